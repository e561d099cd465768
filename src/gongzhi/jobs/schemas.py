"""Shapes of jobs at the edges."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from gongzhi.i18n import gettext
from gongzhi.jobs.models import Job
from gongzhi.jobs.rules import JobState


class SelftestCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    steps: int = Field(default=5, ge=1, le=100)
    seconds: float = Field(default=0.2, ge=0, le=10)
    fail: bool = False
    crash: bool = False


class JobPublic(BaseModel):
    """A job as its owner sees it; ``message`` and ``error`` are in the caller's language."""

    id: int
    kind: str
    state: JobState
    progress: float
    message: str | None
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    attempts: int
    cancel_requested: bool
    result: dict[str, Any] | None
    result_ref: str | None
    error: str | None

    @classmethod
    def of(cls, job: Job, locale: str) -> JobPublic:
        return cls(
            id=job.id,
            kind=job.kind,
            state=job.state,
            progress=job.progress,
            message=gettext(locale, job.message, **job.message_params) if job.message else None,
            created_at=job.created_at,
            started_at=job.started_at,
            finished_at=job.finished_at,
            attempts=job.attempts,
            cancel_requested=job.cancel_requested,
            result=job.result,
            result_ref=job.result_ref,
            error=gettext(locale, job.error, **job.error_params) if job.error else None,
        )


class JobPage(BaseModel):
    items: list[JobPublic]
    next_cursor: str | None
