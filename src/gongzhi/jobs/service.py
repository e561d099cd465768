"""Job use cases for principals: submit, read, list, cancel."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from gongzhi import areas
from gongzhi.db.base import utcnow
from gongzhi.db.pagination import Page, paginate
from gongzhi.errors import Conflict, InvalidInput, NotFound
from gongzhi.i18n import N_
from gongzhi.identity import policy
from gongzhi.identity.principal import Principal
from gongzhi.jobs.models import Job
from gongzhi.jobs.rules import FINAL_STATES, JobState
from gongzhi.ledger.service import record


def submit_job(session: Session, actor: Principal, *, kind: str, params: Mapping[str, Any]) -> Job:
    """Queue a job of ``kind``; a worker picks it up. Areas call this from their own use cases."""
    policy.authorize(actor, "job.submit")
    job_kind = areas.job_kinds().get(kind)
    if job_kind is None:
        raise InvalidInput(N_("Unknown job kind {kind}."), field="kind", kind=kind)
    clean = job_kind.validate(params)
    job = Job(kind=kind, params=clean, state=JobState.queued, created_by_id=actor.user_id, org_id=actor.org_id)
    session.add(job)
    session.flush()
    record(session, actor=actor, action="job.submit", subject_type="job", subject_id=job.id, payload={"kind": kind})
    return job


def get_job(session: Session, actor: Principal, job_id: int) -> Job:
    """One job, if the actor may see it."""
    job = session.get(Job, job_id)
    if job is None:
        policy.authorize(actor, "job.list")
        raise NotFound(N_("No job with id {id}."), id=job_id)
    policy.authorize(actor, "job.read", job)
    return job


def list_jobs(
    session: Session,
    actor: Principal,
    *,
    state: JobState | None = None,
    cursor: str | None = None,
    limit: int = 50,
) -> Page[Job]:
    """The jobs the actor may see (the same rule as ``job.read``: own jobs, or the org's for admins)."""
    policy.authorize(actor, "job.list")
    stmt = select(Job)
    visible = policy.visible_jobs(actor, Job)
    if visible is not None:
        stmt = stmt.where(visible)
    if state is not None:
        stmt = stmt.where(Job.state == state)
    return paginate(session, stmt, key=Job.id, cursor=cursor, limit=limit)


def cancel_job(session: Session, actor: Principal, job_id: int) -> Job:
    """Cancel a queued job at once; ask a running one to stop at its next progress report."""
    job = get_job(session, actor, job_id)
    policy.authorize(actor, "job.cancel", job)
    if job.state in FINAL_STATES:
        raise Conflict(N_("The job has already ended ({state})."), state=job.state.value)
    if job.state is JobState.queued:
        job.state = JobState.cancelled
        job.finished_at = utcnow()
    job.cancel_requested = True
    record(
        session,
        actor=actor,
        action="job.cancel",
        subject_type="job",
        subject_id=job.id,
        payload={"state": job.state.value},
    )
    return job
