"""Jobs (任务): long work with persisted state and progress, run by a worker through an executor."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from gongzhi.areas import Area, NavItem
from gongzhi.i18n import N_

if TYPE_CHECKING:
    from collections.abc import Mapping

    import typer
    from fastapi import APIRouter

    from gongzhi.jobs.kinds import JobKind


def _api() -> APIRouter:
    from gongzhi.jobs.api import router

    return router()


def _web() -> APIRouter:
    from gongzhi.jobs.views import router

    return router()


def _cli() -> typer.Typer:
    from gongzhi.jobs.cli import app

    return app


def _kinds() -> Mapping[str, JobKind]:
    from gongzhi.jobs.kinds import SELFTEST

    return {SELFTEST.id: SELFTEST}


area = Area(
    name="jobs",
    models="gongzhi.jobs.models",
    api=_api,
    web=_web,
    cli=_cli,
    cli_name="jobs",
    job_kinds=_kinds,
    nav=(NavItem(label=N_("Jobs"), path="/jobs", action="job.list", order=70),),
    templates=Path(__file__).parent / "templates",
)
