"""Register use cases on the real database: the workflow, the experts' conflicts, bad input changes nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from gongzhi.config import Settings
from gongzhi.db.engine import SessionFactory, transaction
from gongzhi.errors import Conflict, InvalidInput, NotFound, PayloadTooLarge, PermissionDenied
from gongzhi.ledger.models import LedgerEntry
from gongzhi.registry import filings, register, reviews, service
from gongzhi.registry.models import Filing, TieringRecord
from gongzhi.registry.workflow import FilingState
from gongzhi.standards import loader
from tests.registry.helpers import approved_filing, as_user, new_system, ready_filing


def profiles(settings: Settings) -> list[loader.Profile]:
    return service.configured_tiering_profiles(settings)


def test_a_filing_goes_from_draft_to_the_public_register(session: Session, settings: Settings) -> None:
    filing = approved_filing(session, settings)
    assert filing.state is FilingState.approved
    assert filing.filing_number and filing.filing_number.startswith("示范算备")
    assert filing.reassessment_due_at is not None
    actions = list(
        session.scalars(
            select(LedgerEntry.action)
            .where(LedgerEntry.subject_type == "filing", LedgerEntry.subject_id == str(filing.id))
            .order_by(LedgerEntry.seq)
        )
    )
    assert actions == [
        "filing.create",
        "filing.edit",
        "filing.attach",
        "filing.submit",
        "review.assign",
        "review.declare",
        "review.opinion",
        "review.declare",
        "review.opinion",
        "filing.approve",
    ]
    page, total = register.search(session, as_user(session, "lab"), q=filing.filing_number, with_total=True)
    assert total == 1 and page.items[0].filing_id == filing.id


def test_filing_numbers_are_unique_and_sequential(session: Session, settings: Settings) -> None:
    a = approved_filing(session, settings, name="系统甲")
    b = approved_filing(session, settings, name="系统乙")
    assert a.filing_number != b.filing_number
    assert int((b.filing_number or "")[-5:]) == int((a.filing_number or "")[-5:]) + 1


def test_tiering_keeps_history_and_explains_itself(session: Session, settings: Settings) -> None:
    owner = as_user(session, "xinghe")
    system = new_system(session, owner)
    first = service.retier_system(session, owner, system.id, profiles=profiles(settings))
    cn = next(t for t in first if t.profile_id == "gongzhi.tiering.cn@1")
    assert cn.tier == "filing_and_assessment" and "cn.public_opinion" in [f["id"] for f in cn.result["fired"]]
    assert service.retier_system(session, owner, system.id, profiles=profiles(settings))[0].id == first[0].id
    from gongzhi.registry.schemas import SystemUpdate

    service.update_system(session, owner, system.id, data=SystemUpdate(public_opinion=False))
    again = service.retier_system(session, owner, system.id, profiles=profiles(settings))
    assert next(t for t in again if t.profile_id == "gongzhi.tiering.cn@1").tier == "registration"
    count = session.scalar(select(func.count(TieringRecord.id)).where(TieringRecord.system_id == system.id))
    assert count == 4  # new facts: both profiles evaluated again (cn changed its tier, eu did not)


def test_an_expert_with_a_conflict_is_recused_and_cannot_see_or_judge(session: Session, settings: Settings) -> None:
    owner = as_user(session, "xinghe")
    filing = ready_filing(session, settings, owner, new_system(session, owner))
    filings.submit_filing(session, owner, filing.id, declare=True)
    expert = as_user(session, "expert3")
    (review,) = reviews.assign_reviewers(
        session, as_user(session, "regulator"), settings, filing.id, expert_ids=[expert.user_id or 0]
    )
    before = filings.filing_out(expert, filing)
    assert before.confidential_hidden and "SECRET" not in before.model_dump_json()
    reviews.declare_conflict(session, expert, review.id, has_conflict=True, statement="曾任该企业顾问")
    assert "SECRET" not in filings.filing_out(expert, filing).model_dump_json()
    with pytest.raises(PermissionDenied):
        reviews.give_opinion(session, expert, review.id, opinion="approve", reasons="x")
    with pytest.raises(Conflict, match="No expert free of conflicts"):
        reviews.decide(session, as_user(session, "regulator"), settings, filing.id, decision="approve", reason="x")


def test_cleared_expert_sees_confidential_parts(session: Session, settings: Settings) -> None:
    owner = as_user(session, "xinghe")
    filing = ready_filing(session, settings, owner, new_system(session, owner))
    filings.submit_filing(session, owner, filing.id, declare=True)
    expert = as_user(session, "expert1")
    (review,) = reviews.assign_reviewers(
        session, as_user(session, "regulator"), settings, filing.id, expert_ids=[expert.user_id or 0]
    )
    reviews.declare_conflict(session, expert, review.id, has_conflict=False)
    assert "SECRET-STRATEGY-7f3a" in filings.filing_out(expert, filing).model_dump_json()


def test_changes_requested_go_back_to_the_enterprise_and_need_new_opinions(
    session: Session, settings: Settings
) -> None:
    owner, regulator, expert = as_user(session, "xinghe"), as_user(session, "regulator"), as_user(session, "expert1")
    filing = ready_filing(session, settings, owner, new_system(session, owner))
    filings.submit_filing(session, owner, filing.id, declare=True)
    (review,) = reviews.assign_reviewers(session, regulator, settings, filing.id, expert_ids=[expert.user_id or 0])
    reviews.declare_conflict(session, expert, review.id, has_conflict=False)
    reviews.give_opinion(session, expert, review.id, opinion="request_changes", reasons="补充风险评估")
    reviews.decide(session, regulator, settings, filing.id, decision="request_changes", reason="请补充材料")
    assert filing.state is FilingState.changes_requested
    filings.submit_filing(session, owner, filing.id, declare=True)
    assert filing.revision == 2 and filing.state is FilingState.submitted
    reviews.assign_reviewers(
        session, regulator, settings, filing.id, expert_ids=[as_user(session, "expert2").user_id or 0]
    )
    with pytest.raises(Conflict, match="missing"):
        reviews.decide(session, regulator, settings, filing.id, decision="approve", reason="x")


def test_illegal_transition_is_409_naming_the_allowed_ones(session: Session, settings: Settings) -> None:
    filing = approved_filing(session, settings)
    with pytest.raises(Conflict) as info:
        reviews.decide(session, as_user(session, "regulator"), settings, filing.id, decision="approve", reason="x")
    assert info.value.status == 409 and "suspend" in info.value.params["allowed"]


def test_double_submission_is_refused(session: Session, settings: Settings) -> None:
    owner = as_user(session, "xinghe")
    filing = ready_filing(session, settings, owner, new_system(session, owner))
    filings.submit_filing(session, owner, filing.id, declare=True)
    with pytest.raises(Conflict):
        filings.submit_filing(session, owner, filing.id, declare=True)


def test_experts_are_offered_to_the_regulator_and_an_empty_choice_is_refused(
    session: Session, settings: Settings
) -> None:
    owner, regulator = as_user(session, "xinghe"), as_user(session, "regulator")
    filing = ready_filing(session, settings, owner, new_system(session, owner))
    filings.submit_filing(session, owner, filing.id, declare=True)
    offered = reviews.eligible_experts(session, regulator, filing)
    assert [u.username for u in offered] == ["expert1", "expert2", "expert3"]
    assert reviews.eligible_experts(session, owner, filing) == []
    with pytest.raises(InvalidInput, match="at least one expert"):
        reviews.assign_reviewers(session, regulator, settings, filing.id, expert_ids=[])
    assert filing.state is FilingState.submitted


def test_only_the_enterprise_admin_declares(session: Session, settings: Settings) -> None:
    owner = as_user(session, "xinghe")
    filing = ready_filing(session, settings, owner, new_system(session, owner))
    with pytest.raises(PermissionDenied):
        filings.submit_filing(session, as_user(session, "regulator"), filing.id, declare=True)
    with pytest.raises(NotFound):
        filings.submit_filing(session, as_user(session, "yunfan"), filing.id, declare=True)


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("form", {"entity": {"uscc": ""}}, "Fill in"),
        ("declare", False, "declaration"),
        ("attachment", None, "self-assessment"),
    ],
)
def test_incomplete_submission_is_refused_and_changes_nothing(
    factory: SessionFactory, settings: Settings, field: str, value: object, error: str
) -> None:
    with transaction(factory) as s:
        owner = as_user(s, "xinghe")
        system = new_system(s, owner)
        filing = filings.create_filing(s, owner, system_id=system.id)
        from tests.registry.helpers import secret_form

        form = secret_form()
        if field == "form":
            form["entity"]["uscc"] = ""
        filings.update_form(s, owner, filing.id, form=form)
        if field != "attachment":
            from gongzhi.registry.demo import DEMO_PDF

            filings.add_attachment(
                s, owner, settings, filing.id, kind="self_assessment", filename="r.pdf", chunks=[DEMO_PDF]
            )
        filing_id = filing.id
    with factory() as s:
        before = s.scalar(select(func.count(LedgerEntry.seq)))
    with pytest.raises(InvalidInput, match=error), transaction(factory) as s:
        filings.submit_filing(s, as_user(s, "xinghe"), filing_id, declare=field != "declare")
    with factory() as s:
        assert s.scalar(select(func.count(LedgerEntry.seq))) == before
        assert s.get(Filing, filing_id).state is FilingState.draft  # type: ignore[union-attr]


def test_oversize_and_wrong_type_attachments_are_refused(session: Session, settings: Settings) -> None:
    owner = as_user(session, "xinghe")
    filing = filings.create_filing(session, owner, system_id=new_system(session, owner).id)
    with pytest.raises(InvalidInput, match="not an accepted document"):
        filings.add_attachment(
            session,
            owner,
            settings,
            filing.id,
            kind="evidence",
            filename="x.exe",
            chunks=[b"MZ\x90\x00" + b"\x00" * 100],
        )
    with pytest.raises(InvalidInput, match="Unknown attachment kind"):
        filings.add_attachment(
            session, owner, settings, filing.id, kind="payload", filename="x.pdf", chunks=[b"%PDF-1.4"]
        )
    big = settings.model_copy(update={"registry_max_attachment_bytes": 2048})
    with pytest.raises(PayloadTooLarge):
        filings.add_attachment(
            session, owner, big, filing.id, kind="evidence", filename="x.pdf", chunks=[b"%PDF-1.4" + b" " * 4096]
        )
    assert filing.attachments == []


def test_new_major_version_makes_reassessment_due(session: Session, settings: Settings) -> None:
    filing = approved_filing(session, settings)
    due = filing.reassessment_due_at
    service.add_version(session, as_user(session, "xinghe"), filing.system_id, version="1.1")
    assert filing.reassessment_due_at == due
    service.add_version(session, as_user(session, "xinghe"), filing.system_id, version="2.0")
    assert filing.reassessment_due_at is not None and due is not None and filing.reassessment_due_at < due


def test_reminders_reach_experts_and_enterprise_admins(session: Session, settings: Settings) -> None:
    import datetime as dt

    from gongzhi.registry import reminders

    owner = as_user(session, "xinghe")
    filing = ready_filing(session, settings, owner, new_system(session, owner))
    filings.submit_filing(session, owner, filing.id, declare=True)
    expert = as_user(session, "expert1")
    reviews.assign_reviewers(
        session, as_user(session, "regulator"), settings, filing.id, expert_ids=[expert.user_id or 0], due_days=2
    )
    assert reminders.refresh(session) >= 1
    assert reminders.refresh(session) == 0  # once per thing
    mine = reminders.for_user(session, expert)
    assert any(r.link.startswith("/registry/reviews/") for r in mine)
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=400)
    approved = approved_filing(session, settings, name="到期系统")
    assert reminders.refresh(session, now=later) >= 1
    assert any(str(approved.id) in r.link for r in reminders.for_user(session, owner))
