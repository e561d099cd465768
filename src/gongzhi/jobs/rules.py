"""The life of a job (任务) as a pure state machine."""

from __future__ import annotations

from enum import StrEnum


class JobState(StrEnum):
    queued = "queued"
    running = "running"
    succeeded = "succeeded"
    failed = "failed"
    cancelled = "cancelled"


#: Where each state may go next. ``running -> queued`` is the re-queue of an interrupted job.
TRANSITIONS: dict[JobState, frozenset[JobState]] = {
    JobState.queued: frozenset({JobState.running, JobState.cancelled}),
    JobState.running: frozenset({JobState.succeeded, JobState.failed, JobState.cancelled, JobState.queued}),
    JobState.succeeded: frozenset(),
    JobState.failed: frozenset(),
    JobState.cancelled: frozenset(),
}

FINAL_STATES = frozenset({JobState.succeeded, JobState.failed, JobState.cancelled})


def can_transition(current: JobState, target: JobState) -> bool:
    """True when a job in ``current`` may move to ``target``."""
    return target in TRANSITIONS[current]


def after_interruption(*, attempts: int, max_attempts: int, resumable: bool) -> JobState:
    """What becomes of a job whose worker died mid-run: re-queued if it can resume, else failed."""
    return JobState.queued if resumable and attempts < max_attempts else JobState.failed


def clamp_progress(value: float) -> float:
    """Progress is a fraction in [0, 1]; NaN counts as 0."""
    if value != value:  # NaN
        return 0.0
    return min(1.0, max(0.0, value))
