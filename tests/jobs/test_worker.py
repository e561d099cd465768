"""Jobs run by a real worker with a real process pool, on the real database."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from gongzhi.config import Settings
from gongzhi.db.engine import SessionFactory, transaction
from gongzhi.db.ledger_guard import suspend
from gongzhi.identity.principal import SYSTEM
from gongzhi.jobs import runner, service
from gongzhi.jobs.executor import LocalExecutor, Worker
from gongzhi.jobs.kinds import SELFTEST
from gongzhi.jobs.models import Job
from gongzhi.jobs.rules import FINAL_STATES, JobState
from gongzhi.ledger.models import LedgerEntry


def submit(factory: SessionFactory, **params: object) -> int:
    with transaction(factory) as s:
        return service.submit_job(s, SYSTEM, kind=SELFTEST.id, params=params).id


def job(factory: SessionFactory, job_id: int) -> Job:
    with factory() as s:
        found = s.get(Job, job_id)
        assert found is not None
        return found


def wait_for(factory: SessionFactory, job_id: int, states: set[JobState], timeout: float = 60) -> Job:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = job(factory, job_id)
        if found.state in states:
            return found
        time.sleep(0.05)
    raise AssertionError(f"job {job_id} still {job(factory, job_id).state} after {timeout}s")


@pytest.fixture
def worker(settings: Settings, factory: SessionFactory) -> Iterator[Worker]:
    w = Worker(settings, factory, LocalExecutor(settings))
    thread = threading.Thread(target=w.run, daemon=True)
    thread.start()
    yield w
    w.stop()
    thread.join(timeout=30)


def test_job_runs_to_success_with_progress_and_ledger(factory: SessionFactory, worker: Worker) -> None:
    job_id = submit(factory, steps=3, seconds=0.05)
    done = wait_for(factory, job_id, FINAL_STATES)
    assert done.state is JobState.succeeded, done.error
    assert done.progress == 1.0 and done.result == {"steps": 3, "resumed_from": 0}
    assert done.started_at and done.finished_at and done.finished_at >= done.started_at
    with factory() as s:
        actions = list(
            s.scalars(
                select(LedgerEntry.action).where(
                    LedgerEntry.subject_type == "job", LedgerEntry.subject_id == str(job_id)
                )
            )
        )
    assert actions == ["job.submit", "job.succeeded"]


def test_failing_job_is_marked_failed_with_the_error(factory: SessionFactory, worker: Worker) -> None:
    job_id = submit(factory, steps=2, seconds=0, fail=True)
    done = wait_for(factory, job_id, FINAL_STATES)
    assert done.state is JobState.failed
    assert done.error_params and "fail half-way" in done.error_params["error"]


def test_lost_worker_process_fails_the_job_and_the_worker_goes_on(factory: SessionFactory, worker: Worker) -> None:
    crashed = submit(factory, steps=2, seconds=0, crash=True)
    assert wait_for(factory, crashed, FINAL_STATES).state is JobState.failed
    assert job(factory, crashed).error == "The worker process running the job died."
    after = submit(factory, steps=1, seconds=0)
    assert wait_for(factory, after, FINAL_STATES).state is JobState.succeeded


def test_running_job_can_be_cancelled(factory: SessionFactory, worker: Worker) -> None:
    job_id = submit(factory, steps=100, seconds=0.1)
    wait_for(factory, job_id, {JobState.running})
    with transaction(factory) as s:
        service.cancel_job(s, SYSTEM, job_id)
    assert wait_for(factory, job_id, FINAL_STATES).state is JobState.cancelled


def test_queued_job_is_cancelled_at_once(factory: SessionFactory) -> None:
    job_id = submit(factory, steps=1, seconds=0)
    with transaction(factory) as s:
        assert service.cancel_job(s, SYSTEM, job_id).state is JobState.cancelled
    assert runner.claim_next(factory, "w") is None


def test_stale_running_job_of_unknown_kind_is_failed_on_recovery(factory: SessionFactory) -> None:
    with transaction(factory) as s:
        suspend(s)  # a job left behind by an older release's worker
        j = Job(kind="gone.kind@1", params={}, state=JobState.running, worker_id="elsewhere:1:x", attempts=1)
        s.add(j)
        s.flush()
        job_id = j.id
    import datetime as dt

    recovered = runner.recover_interrupted(factory, stale_after=dt.timedelta(0), max_attempts=3, this_worker="me")
    assert recovered == [job_id]
    assert job(factory, job_id).state is JobState.failed


def _start_worker(settings: Settings, cwd: Path) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "GONGZHI_DATABASE_URL": settings.database_url,
        "GONGZHI_DATA_DIR": str(settings.data_dir),
        "GONGZHI_SECRET_KEY": "x" * 40,
        "GONGZHI_WORKER_PROCESSES": "1",
        "GONGZHI_JOB_POLL_SECONDS": "0.05",
        "GONGZHI_JOB_HEARTBEAT_SECONDS": "0.5",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "gongzhi", "worker"],
        cwd=cwd,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def test_job_of_a_killed_worker_is_requeued_and_resumes_after_restart(
    settings: Settings, factory: SessionFactory, tmp_path: Path
) -> None:
    job_id = submit(factory, steps=40, seconds=0.1)
    first = _start_worker(settings, tmp_path)
    try:
        deadline = time.monotonic() + 60
        while job(factory, job_id).progress < 0.2:
            assert time.monotonic() < deadline, "the job never made progress"
            time.sleep(0.05)
    finally:
        os.killpg(first.pid, signal.SIGKILL)  # the worker and its pool, with no chance to clean up
        first.wait()
    assert job(factory, job_id).state is JobState.running  # left behind by the dead worker
    second = _start_worker(settings, tmp_path)
    try:
        done = wait_for(factory, job_id, FINAL_STATES, timeout=90)
    finally:
        os.killpg(second.pid, signal.SIGTERM)
        second.wait(timeout=30)
    assert done.state is JobState.succeeded, done.error
    assert done.attempts == 2
    assert done.result is not None and done.result["resumed_from"] >= 8
