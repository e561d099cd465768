"""Review use cases (评审): the regulator assigns experts, experts declare conflicts and give opinions,
the regulator decides (决定) and issues the filing number (备案编号)."""

from __future__ import annotations

import datetime as dt
import hashlib

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from gongzhi.config import Settings
from gongzhi.db.base import utcnow
from gongzhi.db.pagination import Page, paginate
from gongzhi.errors import Conflict, InvalidInput, NotFound
from gongzhi.i18n import N_
from gongzhi.identity import policy
from gongzhi.identity.models import Organisation, User
from gongzhi.identity.principal import OrgKind, Principal, Role
from gongzhi.ledger.service import record
from gongzhi.registry import rules
from gongzhi.registry.filings import get_filing
from gongzhi.registry.models import Filing, Review
from gongzhi.registry.register import search_text
from gongzhi.registry.workflow import FilingState, Transition, next_state

OPINIONS = ("approve", "request_changes", "reject")


def eligible_experts(session: Session, actor: Principal, filing: Filing) -> list[User]:
    """The active experts of the expert committees, for those who may assign reviewers of ``filing``."""
    if not policy.allows(actor, "review.assign", filing):
        return []
    return list(
        session.scalars(
            select(User)
            .join(Organisation, User.org_id == Organisation.id)
            .where(Organisation.kind == OrgKind.expert_committee, User.role == Role.reviewer, User.active.is_(True))
            .order_by(User.id)
        )
    )


def assign_reviewers(
    session: Session,
    actor: Principal,
    settings: Settings,
    filing_id: int,
    *,
    expert_ids: list[int],
    due_days: int | None = None,
) -> list[Review]:
    """Assign experts of the expert committee; the first assignment starts the review."""
    filing = get_filing(session, actor, filing_id)
    policy.authorize(actor, "review.assign", filing)
    if not expert_ids:
        raise InvalidInput(N_("Choose at least one expert."), field="expert_ids")
    if filing.state is FilingState.submitted:
        filing.state = next_state(filing.state, Transition.start_review)
    elif filing.state is not FilingState.under_review:
        next_state(filing.state, Transition.start_review)  # raises Conflict naming what is allowed
    due = utcnow() + dt.timedelta(days=due_days or settings.registry_review_days)
    already = {r.expert_id for r in filing.reviews}
    added: list[Review] = []
    for expert_id in dict.fromkeys(expert_ids):
        expert = session.get(User, expert_id)
        if (
            expert is None
            or expert.role is not Role.reviewer
            or expert.organisation.kind is not OrgKind.expert_committee
        ):
            raise InvalidInput(
                N_("User {id} is not an expert of the expert committee."), field="expert_ids", id=expert_id
            )
        if not expert.active:
            raise InvalidInput(N_("Expert {id} is deactivated."), field="expert_ids", id=expert_id)
        if expert_id in already:
            raise Conflict(N_("Expert {id} is already assigned to this filing."), id=expert_id)
        review = Review(expert_id=expert_id, assigned_by_id=actor.user_id, due_at=due)
        filing.reviews.append(review)  # through the relationship, so the filing's list stays current
        added.append(review)
    session.flush()
    filing.review_due_at = min([r.due_at for r in filing.reviews] + [due])
    record(
        session,
        actor=actor,
        action="review.assign",
        subject_type="filing",
        subject_id=filing.id,
        payload={"experts": [r.expert_id for r in added], "due_at": due.isoformat(), "state": filing.state.value},
    )
    return added


def get_review(session: Session, actor: Principal, review_id: int) -> Review:
    review = session.get(Review, review_id)
    if review is None:
        policy.authorize(actor, "site.signed_in")
        raise NotFound(N_("No review with id {id}."), id=review_id)
    policy.authorize(actor, "review.declare", review)
    return review


def my_reviews(session: Session, actor: Principal, *, cursor: str | None = None, limit: int = 100) -> Page[Review]:
    """The actor's review assignments."""
    policy.authorize(actor, "review.list_own")
    return paginate(
        session, select(Review).where(Review.expert_id == actor.user_id), key=Review.id, cursor=cursor, limit=limit
    )


def declare_conflict(
    session: Session, actor: Principal, review_id: int, *, has_conflict: bool, statement: str = ""
) -> Review:
    """Declare conflicts of interest (利益冲突声明) before seeing confidential parts; a conflict recuses."""
    review = get_review(session, actor, review_id)
    if review.conflict is not None:
        raise Conflict(N_("You have already declared on this review."))
    if review.filing.state is not FilingState.under_review:
        raise Conflict(N_("The filing is no longer under review ({state})."), state=review.filing.state.value)
    if has_conflict and not statement.strip():
        raise InvalidInput(N_("Describe the conflict of interest."), field="statement")
    review.conflict, review.conflict_statement, review.declared_at = has_conflict, statement.strip() or None, utcnow()
    # The statement may name people or interests: the ledger keeps only that a declaration was made.
    record(
        session,
        actor=actor,
        action="review.declare",
        subject_type="filing",
        subject_id=review.filing_id,
        payload={"review_id": review.id, "conflict": has_conflict},
    )
    return review


def give_opinion(session: Session, actor: Principal, review_id: int, *, opinion: str, reasons: str) -> Review:
    """An expert's opinion (评审意见) on the filing's current revision."""
    review = get_review(session, actor, review_id)
    policy.authorize(actor, "review.opinion", review)
    if opinion not in OPINIONS:
        raise InvalidInput(N_("An opinion is approve, request_changes or reject."), field="opinion")
    if not reasons.strip():
        raise InvalidInput(N_("Give the reasons for your opinion."), field="reasons")
    if review.filing.state is not FilingState.under_review:
        raise Conflict(N_("The filing is no longer under review ({state})."), state=review.filing.state.value)
    if review.opinion is not None and review.revision == review.filing.revision:
        raise Conflict(N_("You have already given your opinion on this revision."))
    review.opinion, review.reasons, review.opinion_at = opinion, reasons.strip(), utcnow()
    review.revision = review.filing.revision
    record(
        session,
        actor=actor,
        action="review.opinion",
        subject_type="filing",
        subject_id=review.filing_id,
        payload={"review_id": review.id, "opinion": opinion, "revision": review.revision},
    )
    return review


def decide(
    session: Session, actor: Principal, settings: Settings, filing_id: int, *, decision: str, reason: str
) -> Filing:
    """The regulator's decision: approve (with a filing number), reject, request changes, suspend, reinstate,
    revoke. Approval and rejection need every expert cleared to review to have given an opinion."""
    filing = get_filing(session, actor, filing_id)
    policy.authorize(actor, "filing.decide", filing)
    try:
        transition = Transition(decision)
    except ValueError:
        raise InvalidInput(N_("Unknown decision {decision}."), field="decision", decision=decision) from None
    if transition in (Transition.submit, Transition.start_review):
        raise InvalidInput(N_("Unknown decision {decision}."), field="decision", decision=decision)
    if not reason.strip():
        raise InvalidInput(N_("Give the reason for the decision."), field="reason")
    target = next_state(filing.state, transition)
    if transition in (Transition.approve, Transition.reject):
        cleared = [r for r in filing.reviews if r.conflict is False]
        if not cleared:
            raise Conflict(N_("No expert free of conflicts has reviewed this filing yet."))
        waiting = [r for r in cleared if r.revision != filing.revision or r.opinion is None]
        if waiting:
            raise Conflict(N_("{n} expert opinion(s) on the current revision are still missing."), n=len(waiting))
    now = utcnow()
    filing.state, filing.decided_at, filing.decision_reason, filing.updated_at = target, now, reason.strip(), now
    if transition is Transition.approve and filing.filing_number is None:
        filing.filing_number = _issue_number(session, settings, filing, now)
    if transition in (Transition.approve, Transition.reinstate):
        filing.reassessment_due_at = now + dt.timedelta(days=settings.registry_reassessment_days)
    entry = record(
        session,
        actor=actor,
        action=f"filing.{transition.value}",
        subject_type="filing",
        subject_id=filing.id,
        payload={
            "state": target.value,
            "filing_number": filing.filing_number,
            "revision": filing.revision,
            "reason_sha256": _sha(reason.strip()),
        },
    )
    filing.decision_seq = entry.seq
    filing.search_text = search_text(filing)
    return filing


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _issue_number(session: Session, settings: Settings, filing: Filing, now: dt.datetime) -> str:
    """The next filing number of the year, unique even when two approvals race."""
    year_start = dt.datetime(now.year, 1, 1, tzinfo=dt.UTC)
    seq = (
        session.scalar(
            select(func.count(Filing.id)).where(Filing.filing_number.is_not(None), Filing.decided_at >= year_start)
        )
        or 0
    ) + 1
    for _ in range(50):
        number = rules.filing_number(
            settings.registry_filing_number_format,
            prefix=settings.registry_filing_number_prefix,
            year=now.year,
            algorithm_type=filing.system.algorithm_type.value,
            seq=seq,
            region=filing.system.region,
        )
        try:
            with session.begin_nested():
                filing.filing_number = number
                session.flush()
            return number
        except IntegrityError:
            seq += 1
    raise Conflict(N_("Could not issue a unique filing number; check the number format."))
