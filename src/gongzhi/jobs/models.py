"""The jobs table: long work with persisted state and progress."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Enum, Float, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from gongzhi.db.base import Base, utcnow
from gongzhi.jobs.rules import JobState


class Job(Base):
    """One job (任务): a kind, its parameters, state, progress and result."""

    __tablename__ = "jobs"
    # Submission, cancellation and the outcome are recorded in the ledger; progress and heartbeats
    # are operational and would drown the ledger.
    __ledger_exempt_columns__ = frozenset(
        {
            "progress",
            "message",
            "message_params",
            "heartbeat_at",
            "worker_id",
            "started_at",
            "attempts",
            "checkpoint",
            "state",
            "cancel_requested",
        }
    )
    __table_args__ = (Index("ix_jobs_state_id", "state", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(80))
    params: Mapped[dict[str, Any]] = mapped_column(default=dict)
    state: Mapped[JobState] = mapped_column(Enum(JobState, native_enum=False, length=20), default=JobState.queued)
    progress: Mapped[float] = mapped_column(Float, default=0.0)
    message: Mapped[str | None] = mapped_column(String(500))
    message_params: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    org_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    started_at: Mapped[dt.datetime | None]
    finished_at: Mapped[dt.datetime | None]
    heartbeat_at: Mapped[dt.datetime | None]
    worker_id: Mapped[str | None] = mapped_column(String(120))
    attempts: Mapped[int] = mapped_column(default=0)
    cancel_requested: Mapped[bool] = mapped_column(default=False)
    checkpoint: Mapped[dict[str, Any] | None]
    result: Mapped[dict[str, Any] | None]
    result_ref: Mapped[str | None] = mapped_column(String(500))
    error: Mapped[str | None] = mapped_column(Text)
    error_params: Mapped[dict[str, Any]] = mapped_column(default=dict)
