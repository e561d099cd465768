"""The worker's side of jobs: claim, run, finish, heartbeat and recover interrupted jobs.

These functions are not called by principals; they run inside ``gongzhi worker`` (or the worker
thread of ``gongzhi serve``) and its child processes. Outcomes are recorded in the ledger by the
system principal.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import traceback
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from gongzhi import areas
from gongzhi.db.base import utcnow
from gongzhi.db.engine import SessionFactory, transaction
from gongzhi.errors import GongzhiError
from gongzhi.i18n import N_
from gongzhi.identity.principal import SYSTEM
from gongzhi.jobs.context import JobCancelled, JobContext
from gongzhi.jobs.models import Job
from gongzhi.jobs.rules import JobState, after_interruption
from gongzhi.ledger.service import record

log = logging.getLogger(__name__)


def new_worker_id() -> str:
    """``host:pid:random`` — lets a restarted worker on the same host tell dead peers from live ones."""
    return f"{socket.gethostname()}:{os.getpid()}:{os.urandom(3).hex()}"


def claim_next(factory: SessionFactory, worker_id: str) -> int | None:
    """Atomically take the oldest queued job; None when the queue is empty."""
    for _ in range(5):  # another worker may win the race for the same row; try the next one
        with transaction(factory) as session:
            job_id = session.scalar(select(Job.id).where(Job.state == JobState.queued).order_by(Job.id).limit(1))
            if job_id is None:
                return None
            now = utcnow()
            taken = session.execute(
                update(Job)
                .where(Job.id == job_id, Job.state == JobState.queued)
                .values(
                    state=JobState.running,
                    worker_id=worker_id,
                    started_at=now,
                    heartbeat_at=now,
                    attempts=Job.attempts + 1,
                )
            ).rowcount  # type: ignore[attr-defined]
            if taken == 1:
                return job_id
    return None


def run_job(factory: SessionFactory, settings: Any, job_id: int) -> JobState:
    """Run a claimed job to its end and store the outcome (in this process)."""
    with factory() as session:
        job = session.get(Job, job_id)
        if job is None or job.state is not JobState.running:
            return job.state if job else JobState.failed
        kind_id, params, checkpoint = job.kind, dict(job.params), job.checkpoint
    ctx = JobContext(job_id=job_id, params=params, checkpoint=checkpoint, settings=settings, factory=factory)
    kind = areas.job_kinds().get(kind_id)
    try:
        if kind is None:
            raise GongzhiError(N_("Unknown job kind {kind}."), kind=kind_id)
        result = kind.run(ctx)
    except JobCancelled:
        return finish(factory, job_id, JobState.cancelled)
    except GongzhiError as exc:
        return finish(factory, job_id, JobState.failed, error=exc.message, error_params=exc.params)
    except Exception as exc:  # noqa: BLE001 - any failure of the job's code ends the job, never the worker
        log.error("job %s (%s) failed:\n%s", job_id, kind_id, traceback.format_exc())
        return finish(
            factory,
            job_id,
            JobState.failed,
            error=N_("Unexpected error: {error}"),
            error_params={"error": f"{type(exc).__name__}: {exc}"[:2000]},
        )
    return finish(factory, job_id, JobState.succeeded, result=result, result_ref=ctx.result_ref)


def finish(
    factory: SessionFactory,
    job_id: int,
    state: JobState,
    *,
    result: dict[str, Any] | None = None,
    result_ref: str | None = None,
    error: str | None = None,
    error_params: dict[str, Any] | None = None,
) -> JobState:
    """Store a job's outcome with its ledger entry (unless it already ended, e.g. cancelled while queued)."""
    with transaction(factory) as session:
        job = session.get(Job, job_id, with_for_update=True)
        if job is None or job.state is not JobState.running:
            return job.state if job else state
        _end(session, job, state, result=result, result_ref=result_ref, error=error, error_params=error_params or {})
    return state


def _end(
    session: Session,
    job: Job,
    state: JobState,
    *,
    result: dict[str, Any] | None = None,
    result_ref: str | None = None,
    error: str | None = None,
    error_params: dict[str, Any] | None = None,
) -> None:
    job.state = state
    job.finished_at = utcnow()
    job.heartbeat_at = None
    if state is JobState.succeeded:
        job.progress = 1.0
        job.result, job.result_ref = result, result_ref
    job.error, job.error_params = error, error_params or {}
    record(
        session,
        actor=SYSTEM,
        action=f"job.{state.value}",
        subject_type="job",
        subject_id=job.id,
        payload={"kind": job.kind, "attempts": job.attempts, "result_ref": result_ref},
    )


def heartbeat(factory: SessionFactory, job_ids: list[int]) -> None:
    """Tell the world these jobs' worker is alive."""
    if job_ids:
        with transaction(factory) as session:
            session.execute(
                update(Job).where(Job.id.in_(job_ids), Job.state == JobState.running).values(heartbeat_at=utcnow())
            )


def interrupt(
    factory: SessionFactory,
    job_id: int,
    reason: str,
    *,
    max_attempts: int,
    error_params: dict[str, Any] | None = None,
) -> None:
    """A job's run was cut short: re-queue it (resumable kinds, attempts left) or fail it with ``reason``."""
    with transaction(factory) as session:
        job = session.get(Job, job_id, with_for_update=True)
        if job is not None and job.state is JobState.running:
            _interrupt(session, job, reason, max_attempts=max_attempts, error_params=error_params)


def recover_interrupted(
    factory: SessionFactory, *, stale_after: dt.timedelta, max_attempts: int, this_worker: str
) -> list[int]:
    """Jobs left 'running' by a dead worker are re-queued (resumable kinds) or failed. Returns their ids.

    A job is orphaned when its heartbeat is older than ``stale_after``, or at once when its worker
    ran on this host and that process no longer exists.
    """
    now = utcnow()
    recovered: list[int] = []
    with transaction(factory) as session:
        running = session.scalars(select(Job).where(Job.state == JobState.running).with_for_update())
        for job in running:
            if job.worker_id == this_worker:
                continue
            stale = job.heartbeat_at is None or now - job.heartbeat_at > stale_after
            if stale or _dead_local_worker(job.worker_id):
                _interrupt(session, job, N_("The worker stopped while the job was running."), max_attempts=max_attempts)
                recovered.append(job.id)
    return recovered


def _interrupt(
    session: Session, job: Job, reason: str, *, max_attempts: int, error_params: dict[str, Any] | None = None
) -> None:
    kind = areas.job_kinds().get(job.kind)
    target = after_interruption(
        attempts=job.attempts, max_attempts=max_attempts, resumable=kind is not None and kind.resumable
    )
    if target is JobState.queued and not job.cancel_requested:
        job.state, job.worker_id, job.heartbeat_at = JobState.queued, None, None
        job.message, job.message_params = N_("Re-queued after an interruption."), {}
        return
    _end(
        session,
        job,
        JobState.cancelled if job.cancel_requested else JobState.failed,
        error=reason,
        error_params=error_params,
    )


def _dead_local_worker(worker_id: str | None) -> bool:
    if not worker_id:
        return True
    host, _, rest = worker_id.partition(":")
    pid_text = rest.partition(":")[0]
    if host != socket.gethostname() or not pid_text.isdigit():
        return False
    if int(pid_text) == os.getpid():  # our own pid, reused after a restart (e.g. pid 1 in a container)
        return True
    try:
        os.kill(int(pid_text), 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # exists, owned by someone else
        return False
    return False


def enqueue_periodic(factory: SessionFactory, kind: str, every: dt.timedelta) -> int | None:
    """Queue a job of ``kind`` unless one was queued within ``every``; returns the new job's id."""
    from gongzhi.jobs.service import submit_job

    with transaction(factory) as session:
        recent = session.scalar(select(Job.id).where(Job.kind == kind, Job.created_at > utcnow() - every).limit(1))
        if recent is not None:
            return None
        return submit_job(session, SYSTEM, kind=kind, params={}).id
