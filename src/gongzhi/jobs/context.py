"""What a running job sees: its parameters, a progress reporter, cancellation, checkpoints."""

from __future__ import annotations

import time
from typing import Any

from sqlalchemy import select, update

from gongzhi.config import Settings
from gongzhi.db.base import utcnow
from gongzhi.db.engine import SessionFactory, transaction
from gongzhi.jobs.models import Job
from gongzhi.jobs.rules import clamp_progress


class JobCancelled(Exception):
    """Raised inside a job when someone asked to cancel it; the runner marks it cancelled."""


class JobContext:
    """Handed to a job kind's ``run``; writes progress straight to the jobs table."""

    #: Progress writes closer together than this are merged (the last one always lands).
    MIN_WRITE_INTERVAL = 0.25

    def __init__(
        self,
        *,
        job_id: int,
        params: dict[str, Any],
        checkpoint: dict[str, Any] | None,
        settings: Settings,
        factory: SessionFactory,
    ) -> None:
        self.job_id = job_id
        self.params = params
        self.checkpoint = checkpoint
        self.settings = settings
        self.factory = factory
        self.result_ref: str | None = None
        self._last_write = 0.0

    def progress(self, fraction: float, message: str | None = None, /, **params: Any) -> None:
        """Report progress in [0, 1] with an optional message id; raises JobCancelled when cancelled."""
        now = time.monotonic()
        if fraction < 1.0 and now - self._last_write < self.MIN_WRITE_INTERVAL:
            return
        self._last_write = now
        with transaction(self.factory) as session:
            session.execute(
                update(Job)
                .where(Job.id == self.job_id)
                .values(
                    progress=clamp_progress(fraction),
                    message=message,
                    message_params=params,
                    heartbeat_at=utcnow(),
                )
            )
            cancelled = session.scalar(select(Job.cancel_requested).where(Job.id == self.job_id))
        if cancelled:
            raise JobCancelled

    def check_cancelled(self) -> None:
        """Raise JobCancelled when someone asked to cancel this job."""
        with self.factory() as session:
            if session.scalar(select(Job.cancel_requested).where(Job.id == self.job_id)):
                raise JobCancelled

    def save_checkpoint(self, checkpoint: dict[str, Any]) -> None:
        """Remember how far a resumable job got; a re-queued run starts from here."""
        self.checkpoint = checkpoint
        with transaction(self.factory) as session:
            session.execute(update(Job).where(Job.id == self.job_id).values(checkpoint=checkpoint))
