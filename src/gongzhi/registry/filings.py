"""Filing use cases (备案): start, edit the form, attach documents, declare and submit."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from gongzhi import storage
from gongzhi.config import Settings
from gongzhi.db.base import utcnow
from gongzhi.db.pagination import Page, paginate
from gongzhi.errors import Conflict, InvalidInput, NotFound
from gongzhi.i18n import N_
from gongzhi.identity import policy
from gongzhi.identity.principal import Principal
from gongzhi.ledger.service import record
from gongzhi.registry import rules
from gongzhi.registry.access import assigned_reviewer
from gongzhi.registry.forms import FilingForm, missing_required, public_part
from gongzhi.registry.models import Attachment, Filing, FilingRevision, Review
from gongzhi.registry.schemas import AttachmentOut, FilingOut, ReviewOut
from gongzhi.registry.service import get_system
from gongzhi.registry.workflow import EDITABLE_STATES, FilingState, Transition, allowed, next_state


def _digest(data: Any) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()


def create_filing(session: Session, actor: Principal, *, system_id: int, version: str | None = None) -> Filing:
    """Start a draft filing for a version of a system (the newest version by default)."""
    system = get_system(session, actor, system_id)
    policy.authorize(actor, "filing.create", system)
    versions = {v.version: v for v in system.versions}
    chosen = versions.get(version) if version else system.versions[-1]
    if chosen is None:
        raise InvalidInput(N_("The system has no version {version}."), field="version", version=version)
    open_states = [s for s in FilingState if s not in (FilingState.rejected, FilingState.revoked)]
    if session.scalar(select(Filing.id).where(Filing.version_id == chosen.id, Filing.state.in_(open_states))):
        raise Conflict(N_("Version {version} of this system already has a filing."), version=chosen.version)
    form = FilingForm()
    form.public_disclosure.purpose = system.purpose
    filing = Filing(
        system_id=system.id,
        version_id=chosen.id,
        org_id=system.org_id,
        state=FilingState.draft,
        form=form.model_dump(mode="json"),
        created_by_id=actor.user_id,
    )
    session.add(filing)
    session.flush()
    record(
        session,
        actor=actor,
        action="filing.create",
        subject_type="filing",
        subject_id=filing.id,
        payload={"system_id": system.id, "version": chosen.version},
    )
    return filing


def get_filing(session: Session, actor: Principal, filing_id: int) -> Filing:
    """One filing, if the actor may see it (confidential parts are decided by ``filing_out``)."""
    filing = session.get(Filing, filing_id)
    if filing is None:
        policy.authorize(actor, "site.signed_in")
        raise NotFound(N_("No filing with id {id}."), id=filing_id)
    policy.authorize(actor, "filing.read", filing)
    return filing


def list_filings(
    session: Session,
    actor: Principal,
    *,
    mine: bool = True,
    states: Iterable[FilingState] | None = None,
    cursor: str | None = None,
    limit: int = 100,
) -> Page[Filing]:
    """The actor's organisation's filings, or (regulator) the queue of all filings."""
    stmt = select(Filing)
    if mine:
        policy.authorize(actor, "system.list_own")
        stmt = stmt.where(Filing.org_id == actor.org_id)
    else:
        policy.authorize(actor, "filing.queue")
    if states:
        stmt = stmt.where(Filing.state.in_(list(states)))
    return paginate(session, stmt, key=Filing.id, cursor=cursor, limit=limit)


def update_form(session: Session, actor: Principal, filing_id: int, *, form: dict[str, Any]) -> Filing:
    """Replace the form of a draft (or a filing sent back for changes)."""
    filing = get_filing(session, actor, filing_id)
    policy.authorize(actor, "filing.edit", filing)
    _require_editable(filing)
    try:
        parsed = FilingForm.model_validate(form)
    except ValidationError as exc:
        error = exc.errors()[0]
        where = ".".join(str(p) for p in error.get("loc", ()))
        raise InvalidInput(
            N_("The form field {field} is not valid: {error}"), field=where, error=error.get("msg")
        ) from None
    filing.form = parsed.model_dump(mode="json")
    filing.updated_at = utcnow()
    record(
        session,
        actor=actor,
        action="filing.edit",
        subject_type="filing",
        subject_id=filing.id,
        payload={"form_sha256": _digest(filing.form)},
    )
    return filing


def _require_editable(filing: Filing) -> None:
    if filing.state not in EDITABLE_STATES:
        raise Conflict(
            N_(
                "A filing that is {state} cannot be changed; it can be changed while it is a draft "
                "or sent back for changes."
            ),
            state=filing.state.value,
        )


def add_attachment(
    session: Session,
    actor: Principal,
    settings: Settings,
    filing_id: int,
    *,
    kind: str,
    filename: str,
    chunks: Iterable[bytes],
    report_ref: str | None = None,
    content_type: str | None = None,
) -> Attachment:
    """Store a document for a filing (checked by content, size-limited, kept by its SHA-256).

    ``content_type`` is given only for documents the platform made itself (an assessment report).
    """
    filing = get_filing(session, actor, filing_id)
    policy.authorize(actor, "filing.edit", filing)
    _require_editable(filing)
    if kind not in rules.ATTACHMENT_KINDS:
        raise InvalidInput(
            N_("Unknown attachment kind {kind}; use one of {kinds}."),
            field="kind",
            kind=kind,
            kinds=", ".join(rules.ATTACHMENT_KINDS),
        )
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1].strip()[:255]
    if not name:
        raise InvalidInput(N_("The file needs a name."), field="file")
    sha, size = storage.put(settings, chunks, max_bytes=settings.registry_max_attachment_bytes)
    if size == 0:
        raise InvalidInput(N_("The file is empty."), field="file")
    content_type = content_type or rules.sniff(storage.head(settings, sha), name)
    if content_type is None:
        raise InvalidInput(
            N_(
                "{name} is not an accepted document: use PDF, PNG, JPEG, Word or Excel (.docx, "
                ".xlsx), text, Markdown, CSV or JSON."
            ),
            field="file",
            name=name,
        )
    attachment = Attachment(
        kind=kind,
        filename=name,
        content_type=content_type,
        size=size,
        sha256=sha,
        report_ref=report_ref,
        uploaded_by_id=actor.user_id,
    )
    filing.attachments.append(attachment)  # through the relationship, so the filing's list stays current
    session.flush()
    record(
        session,
        actor=actor,
        action="filing.attach",
        subject_type="filing",
        subject_id=filing.id,
        payload={"attachment_id": attachment.id, "kind": kind, "sha256": sha, "size": size},
    )
    return attachment


REPORT_TYPES = {"pdf": "application/pdf", "json": "application/json", "html": "text/html"}


def attach_report(
    session: Session, actor: Principal, settings: Settings, filing_id: int, *, report_id: int
) -> Attachment:
    """Attach an assessment report (评估报告) of the platform: its bytes and SHA-256 as the assessment recorded them."""
    from gongzhi.assess.service import report_bytes, report_for_filing

    filing = get_filing(session, actor, filing_id)
    policy.authorize(actor, "filing.edit", filing)  # before anything is said about the report
    _require_editable(filing)
    ref = report_for_filing(session, actor, report_id)  # NotFound unless the actor may see the report
    report, data = report_bytes(session, actor, settings, report_id)
    return add_attachment(
        session,
        actor,
        settings,
        filing_id,
        kind="assessment_report",
        filename=f"{ref.title}.{report.format}",
        chunks=[data],
        report_ref=f"assess:{ref.report_id}",
        content_type=REPORT_TYPES.get(report.format),
    )


def remove_attachment(session: Session, actor: Principal, attachment_id: int) -> None:
    """Remove a document from a draft filing (the stored bytes stay, referenced by earlier revisions)."""
    attachment = session.get(Attachment, attachment_id)
    if attachment is None:
        policy.authorize(actor, "site.signed_in")
        raise NotFound(N_("No attachment with id {id}."), id=attachment_id)
    filing = get_filing(session, actor, attachment.filing_id)
    policy.authorize(actor, "filing.edit", filing)
    _require_editable(filing)
    filing.attachments.remove(attachment)
    session.delete(attachment)
    record(
        session,
        actor=actor,
        action="filing.detach",
        subject_type="filing",
        subject_id=filing.id,
        payload={"attachment_id": attachment_id, "sha256": attachment.sha256},
    )


def get_attachment(session: Session, actor: Principal, attachment_id: int) -> Attachment:
    """An attachment the actor may download (attachments are confidential)."""
    attachment = session.get(Attachment, attachment_id)
    if attachment is None:
        policy.authorize(actor, "site.signed_in")
        raise NotFound(N_("No attachment with id {id}."), id=attachment_id)
    filing = get_filing(session, actor, attachment.filing_id)
    policy.authorize(actor, "filing.read_confidential", filing)
    return attachment


def submit_filing(session: Session, actor: Principal, filing_id: int, *, declare: bool) -> Filing:
    """The enterprise administrator declares the filing true and submits it (a revision is frozen)."""
    filing = get_filing(session, actor, filing_id)
    policy.authorize(actor, "filing.submit", filing)
    target = next_state(filing.state, Transition.submit)
    if not declare:
        raise InvalidInput(
            N_("Submitting needs the administrator's declaration that the filing is true."), field="declare"
        )
    missing = missing_required(FilingForm.model_validate(filing.form))
    if missing:
        raise InvalidInput(N_("Fill in before submitting: {fields}."), field=missing[0], fields=", ".join(missing))
    if not any(a.kind == "self_assessment" for a in filing.attachments):
        raise InvalidInput(
            N_("Attach the algorithm safety self-assessment report before submitting."), field="attachments"
        )
    now = utcnow()
    filing.revision += 1
    snapshot = {"form": filing.form, "attachments": sorted(a.sha256 for a in filing.attachments)}
    revision = FilingRevision(
        filing_id=filing.id,
        number=filing.revision,
        form=filing.form,
        attachments=snapshot["attachments"],
        sha256=_digest(snapshot),
        submitted_at=now,
    )
    session.add(revision)
    filing.state, filing.submitted_at, filing.updated_at = target, now, now
    filing.declared_by_id, filing.declared_at = actor.user_id, now
    record(
        session,
        actor=actor,
        action="filing.submit",
        subject_type="filing",
        subject_id=filing.id,
        payload={"revision": filing.revision, "sha256": revision.sha256, "declared_by": actor.user_id},
    )
    return filing


# ------------------------------------------------------------------------------------------- views


def can_see_confidential(actor: Principal, filing: Filing) -> bool:
    return policy.allows(actor, "filing.read_confidential", filing)


def visible_reviews(actor: Principal, filing: Filing) -> list[Review]:
    """Reviews the actor may see: all for the regulator, one's own for an expert, none for the provider."""
    if policy.allows(actor, "filing.queue"):
        return list(filing.reviews)
    own = assigned_reviewer(actor, filing)
    return [own] if own is not None else []


def filing_out(actor: Principal, filing: Filing) -> FilingOut:
    """The filing as the actor may see it (confidential parts only for those cleared to see them)."""
    confidential = can_see_confidential(actor, filing)
    form = filing.form if confidential else public_part(FilingForm.model_validate(filing.form))
    return FilingOut(
        id=filing.id,
        system_id=filing.system_id,
        system_name=filing.system.name,
        org_id=filing.org_id,
        version=filing.version.version,
        state=filing.state,
        revision=filing.revision,
        form=form,
        filing_number=filing.filing_number,
        submitted_at=filing.submitted_at,
        decided_at=filing.decided_at,
        decision_reason=filing.decision_reason,
        review_due_at=filing.review_due_at,
        reassessment_due_at=filing.reassessment_due_at,
        allowed_transitions=[t.value for t in allowed(filing.state)],
        attachments=[AttachmentOut.model_validate(a) for a in filing.attachments] if confidential else [],
        reviews=[ReviewOut.model_validate(r) for r in visible_reviews(actor, filing)],
        confidential_hidden=not confidential,
    )
