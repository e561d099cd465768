"""Executors run claimed jobs somewhere; the worker loop feeds them from the jobs table.

``LocalExecutor`` uses a pool of local processes. Another executor (Ray, in the data-security area)
implements the same two methods and is picked by name in ``EXECUTORS``.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import multiprocessing
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Protocol

from pydantic import SecretStr
from pydantic_core import to_jsonable_python

from gongzhi.areas import periodic_jobs
from gongzhi.config import Settings
from gongzhi.db.engine import SessionFactory, make_engine, make_session_factory
from gongzhi.i18n import N_
from gongzhi.jobs import runner
from gongzhi.jobs.rules import JobState

log = logging.getLogger(__name__)


class Executor(Protocol):
    """Runs one claimed job to its end; the future's result is the job's final state."""

    capacity: int

    def submit(self, job_id: int) -> Future[JobState]: ...

    def shutdown(self) -> None: ...


# --- the local process pool ------------------------------------------------------------------

_child: tuple[Settings, SessionFactory] | None = None


def _init_child(settings_json: str) -> None:
    global _child
    settings = Settings.model_validate_json(settings_json)
    _child = (settings, make_session_factory(make_engine(settings.database_url)))


def _run_in_child(job_id: int) -> JobState:
    assert _child is not None, "child process was not initialised"
    settings, factory = _child
    return runner.run_job(factory, settings, job_id)


class LocalExecutor:
    """A pool of local worker processes (spawned, so they share no state with the server)."""

    def __init__(self, settings: Settings) -> None:
        self.capacity = settings.worker_processes
        self._settings_json = settings_json(settings)
        self._pool = self._new_pool()

    def _new_pool(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=self.capacity,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_init_child,
            initargs=(self._settings_json,),
        )

    def submit(self, job_id: int) -> Future[JobState]:
        try:
            return self._pool.submit(_run_in_child, job_id)
        except BrokenProcessPool:
            self._pool = self._new_pool()
            return self._pool.submit(_run_in_child, job_id)

    def shutdown(self) -> None:
        # Stop at once: running jobs are interrupted and re-queued (resumable) or failed by the worker,
        # rather than holding up a restart for as long as the longest job takes.
        processes = list((getattr(self._pool, "_processes", None) or {}).values())
        self._pool.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            process.terminate()
        for process in processes:
            process.join(timeout=10)


def settings_json(settings: Settings) -> str:
    """Settings for another process, secrets included (``model_dump_json`` would mask them as ``**********``)."""
    data = {k: v.get_secret_value() if isinstance(v, SecretStr) else v for k, v in settings.model_dump().items()}
    return json.dumps(to_jsonable_python(data))


# --- Ray (gongzhi[dist]): each job is a Ray task; Ray is imported only when this executor is chosen ----------


def _run_on_ray(settings_text: str, job_id: int) -> JobState:
    settings = Settings.model_validate_json(settings_text)
    engine = make_engine(settings.database_url)
    try:
        return runner.run_job(make_session_factory(engine), settings, job_id)
    finally:
        engine.dispose()


class RayExecutor:
    """Runs each claimed job as a Ray task on ``settings.ray_address`` (or a local Ray instance)."""

    def __init__(self, settings: Settings) -> None:
        import ray

        self._started = not ray.is_initialized()
        if self._started:
            ray.init(address=settings.ray_address, include_dashboard=False, logging_level=logging.ERROR)
        self.capacity = settings.worker_processes
        self._settings_json = settings_json(settings)
        self._task = ray.remote(max_retries=0)(_run_on_ray)
        self._refs: list[object] = []

    def submit(self, job_id: int) -> Future[JobState]:
        ref = self._task.remote(self._settings_json, job_id)
        self._refs.append(ref)
        future: Future[JobState] = ref.future()
        return future

    def shutdown(self) -> None:
        import ray

        for ref in self._refs:
            ray.cancel(ref, force=True)
        self._refs.clear()
        if self._started:
            ray.shutdown()


EXECUTORS: dict[str, Callable[[Settings], Executor]] = {"local": LocalExecutor, "ray": RayExecutor}


# --- the loop that feeds an executor ---------------------------------------------------------


class Worker:
    """Claims queued jobs, hands them to the executor, heartbeats them and recovers orphans."""

    def __init__(self, settings: Settings, factory: SessionFactory, executor: Executor) -> None:
        self.settings = settings
        self.factory = factory
        self.executor = executor
        self.worker_id = runner.new_worker_id()
        self.running: dict[int, Future[JobState]] = {}
        self._stop = threading.Event()

    def stop(self) -> None:
        self._stop.set()

    def recover(self) -> list[int]:
        """Re-queue or fail jobs that a dead worker left running."""
        return runner.recover_interrupted(
            self.factory,
            stale_after=self._stale_after(),
            max_attempts=self.settings.job_max_attempts,
            this_worker=self.worker_id,
        )

    def queue_periodic(self) -> None:
        """Queue the areas' periodic jobs that are due."""
        for periodic in periodic_jobs():
            runner.enqueue_periodic(self.factory, periodic.kind, dt.timedelta(seconds=periodic.every_seconds))

    def _stale_after(self) -> dt.timedelta:
        return dt.timedelta(seconds=3 * self.settings.job_heartbeat_seconds)

    def step(self) -> None:
        """One round: reap finished jobs, then fill free capacity from the queue."""
        for job_id, future in list(self.running.items()):
            if future.done():
                del self.running[job_id]
                exc = future.exception()
                if isinstance(exc, BrokenProcessPool):  # the child died (killed, out of memory) under the job
                    log.error("worker process lost job %s: %r", job_id, exc)
                    runner.interrupt(
                        self.factory, job_id, N_("The worker process running the job died."), max_attempts=0
                    )
                elif exc is not None:  # the runner itself failed (e.g. the database went away)
                    log.error("job %s could not be run: %r", job_id, exc)
                    runner.interrupt(
                        self.factory,
                        job_id,
                        N_("The worker could not run the job: {error}"),
                        max_attempts=0,
                        error_params={"error": repr(exc)[:500]},
                    )
        while len(self.running) < self.executor.capacity and not self._stop.is_set():
            claimed = runner.claim_next(self.factory, self.worker_id)
            if claimed is None:
                break
            self.running[claimed] = self.executor.submit(claimed)

    def run(self) -> None:
        """Loop until :meth:`stop`; then wait for the running jobs to end."""
        self.recover()
        last_beat = 0.0
        while not self._stop.is_set():
            try:
                self.step()
                now = time.monotonic()
                if now - last_beat >= self.settings.job_heartbeat_seconds:
                    runner.heartbeat(self.factory, list(self.running))
                    self.recover()
                    self.queue_periodic()
                    last_beat = now
            except Exception:  # noqa: BLE001 - a database hiccup must not kill the worker loop
                log.exception("worker loop error; retrying")
            self._stop.wait(self.settings.job_poll_seconds)
        self.executor.shutdown()
        for job_id in self.running:
            runner.interrupt(
                self.factory,
                job_id,
                N_("The worker was stopped while the job was running."),
                max_attempts=self.settings.job_max_attempts,
            )
        self.running.clear()
