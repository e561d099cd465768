"""Job kinds: what a job of each kind runs. Areas contribute kinds through their ``Area``."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from gongzhi.errors import InvalidInput
from gongzhi.i18n import N_

if TYPE_CHECKING:
    from gongzhi.jobs.context import JobContext

JobFunction = Callable[["JobContext"], "dict[str, Any] | None"]


@dataclass(frozen=True)
class JobKind:
    """A kind of job: a stable id, the function that does the work, and whether it can resume."""

    id: str
    run: JobFunction
    #: Re-queue (and resume from the last checkpoint) when a worker dies mid-run, instead of failing.
    resumable: bool = False
    validate: Callable[[Mapping[str, Any]], dict[str, Any]] = field(default=lambda p: dict(p))


def selftest_params(params: Mapping[str, Any]) -> dict[str, Any]:
    """Parameters of the self-test: ``steps`` (1..100) of ``seconds`` (0..10) each.

    ``fail`` makes it raise half-way and ``crash`` makes its process exit half-way, so an operator can
    watch how failures and lost worker processes are reported.
    """
    steps, seconds = params.get("steps", 5), params.get("seconds", 0.2)
    fail, crash = params.get("fail", False), params.get("crash", False)
    if not isinstance(steps, int) or isinstance(steps, bool) or not 1 <= steps <= 100:
        raise InvalidInput(N_("steps must be a whole number from 1 to 100."), field="steps")
    if not isinstance(seconds, int | float) or isinstance(seconds, bool) or not 0 <= seconds <= 10:
        raise InvalidInput(N_("seconds must be a number from 0 to 10."), field="seconds")
    if not isinstance(fail, bool) or not isinstance(crash, bool):
        raise InvalidInput(N_("fail and crash must be true or false."), field="fail")
    return {"steps": steps, "seconds": float(seconds), "fail": fail, "crash": crash}


def run_selftest(ctx: JobContext) -> dict[str, Any]:
    """Count through the steps, reporting progress; resumes after the last finished step."""
    steps, seconds = int(ctx.params["steps"]), float(ctx.params["seconds"])
    start = int((ctx.checkpoint or {}).get("done", 0))
    for step in range(start, steps):
        time.sleep(seconds)
        if step == steps // 2 and ctx.params.get("fail"):
            raise RuntimeError("self-test asked to fail half-way")
        if step == steps // 2 and ctx.params.get("crash"):
            os._exit(70)  # a process lost mid-job, as if killed or out of memory
        ctx.save_checkpoint({"done": step + 1})
        ctx.progress((step + 1) / steps, N_("Step {step} of {steps}"), step=step + 1, steps=steps)
    return {"steps": steps, "resumed_from": start}


SELFTEST = JobKind(id="gongzhi.jobs.selftest@1", run=run_selftest, resumable=True, validate=selftest_params)

#: The area's job kinds (``Area.job_kinds``).
KINDS: dict[str, JobKind] = {SELFTEST.id: SELFTEST}
