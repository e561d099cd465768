from __future__ import annotations

import math

import pytest

from gongzhi.jobs.rules import FINAL_STATES, JobState, after_interruption, can_transition, clamp_progress


@pytest.mark.parametrize("final", sorted(FINAL_STATES))
def test_final_states_go_nowhere(final: JobState) -> None:
    assert not any(can_transition(final, target) for target in JobState)


def test_queued_job_can_start_or_be_cancelled_only() -> None:
    assert {t for t in JobState if can_transition(JobState.queued, t)} == {JobState.running, JobState.cancelled}


def test_interrupted_job_is_requeued_only_when_resumable_with_attempts_left() -> None:
    assert after_interruption(attempts=1, max_attempts=3, resumable=True) is JobState.queued
    assert after_interruption(attempts=3, max_attempts=3, resumable=True) is JobState.failed
    assert after_interruption(attempts=1, max_attempts=3, resumable=False) is JobState.failed


def test_progress_is_clamped() -> None:
    assert clamp_progress(-1) == 0 and clamp_progress(2) == 1 and clamp_progress(math.nan) == 0
    assert clamp_progress(0.25) == 0.25
