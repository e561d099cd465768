"""``gongzhi jobs``: list, show, cancel jobs and run the worker self-test."""

from __future__ import annotations

import time
from typing import Annotated

import typer
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from gongzhi.cli_support import cli_locale, console, fail, load_settings, t, unit_of_work
from gongzhi.identity.principal import SYSTEM
from gongzhi.jobs import service
from gongzhi.jobs.kinds import SELFTEST
from gongzhi.jobs.rules import FINAL_STATES, JobState
from gongzhi.jobs.schemas import JobPublic

app = typer.Typer(help=t("Long-running jobs."), no_args_is_help=True)


@app.command("list", help=t("List jobs, oldest first."))
def jobs_list(
    state: Annotated[JobState | None, typer.Option(help=t("Only jobs in this state."))] = None,
    limit: Annotated[int, typer.Option(help=t("How many jobs to show."))] = 50,
) -> None:
    with unit_of_work() as session:
        table = Table("id", t("Kind"), t("State"), t("Progress"), t("Created"))
        for job in service.list_jobs(session, SYSTEM, state=state, limit=limit).items:
            table.add_row(
                str(job.id),
                job.kind,
                job.state.value,
                f"{job.progress:.0%}",
                job.created_at.strftime("%Y-%m-%d %H:%M:%S"),
            )
        console.print(table)


@app.command("show", help=t("Show one job as JSON."))
def jobs_show(job_id: Annotated[int, typer.Argument(help=t("Job id."))]) -> None:
    with unit_of_work() as session:
        typer.echo(JobPublic.of(service.get_job(session, SYSTEM, job_id), cli_locale()).model_dump_json(indent=2))


@app.command("cancel", help=t("Cancel a queued job, or ask a running one to stop."))
def jobs_cancel(job_id: Annotated[int, typer.Argument(help=t("Job id."))]) -> None:
    with unit_of_work() as session:
        job = service.cancel_job(session, SYSTEM, job_id)
        console.print(t("Job {id}: {state}", id=job.id, state=job.state.value))


@app.command("selftest", help=t("Queue a harmless counting job to check that a worker runs jobs and reports progress."))
def jobs_selftest(
    steps: Annotated[int, typer.Option(help=t("Number of steps."))] = 5,
    seconds: Annotated[float, typer.Option(help=t("Seconds per step."))] = 0.2,
    wait: Annotated[bool, typer.Option("--wait/--no-wait", help=t("Follow the job until it ends."))] = True,
    timeout: Annotated[float, typer.Option(help=t("Give up waiting after this many seconds."))] = 120.0,
) -> None:
    settings = load_settings()
    with unit_of_work(settings) as session:
        job_id = service.submit_job(session, SYSTEM, kind=SELFTEST.id, params={"steps": steps, "seconds": seconds}).id
    console.print(t("Queued job {id}.", id=job_id))
    if wait:
        follow(job_id, timeout=timeout)


def follow(job_id: int, *, timeout: float) -> JobPublic:
    """Show a job's progress bar until it ends; exit 1 unless it succeeded."""
    settings = load_settings()
    deadline = time.monotonic() + timeout
    columns = (TextColumn("{task.description}"), BarColumn(), TaskProgressColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=False) as bar:
        task = bar.add_task(t("Job {id}", id=job_id), total=1.0)
        while True:
            with unit_of_work(settings) as session:
                job = JobPublic.of(service.get_job(session, SYSTEM, job_id), cli_locale())
            label = t("Job {id}", id=job_id)
            bar.update(task, completed=job.progress, description=f"{label} {job.message or ''}")
            if job.state in FINAL_STATES:
                break
            if time.monotonic() > deadline:
                fail(t("The job did not end in time; is a worker running (gongzhi worker)?"))
            time.sleep(0.3)
    if job.state is not JobState.succeeded:
        fail(t("Job {id} ended {state}: {error}", id=job_id, state=job.state.value, error=job.error or ""))
    console.print(t("Job {id} succeeded.", id=job_id))
    return job
