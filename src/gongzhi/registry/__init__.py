"""The register (登记备案): AI systems, algorithm filings (算法备案), risk tiering, expert review and the
public register (公示)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from gongzhi.areas import Area, NavItem, Periodic
from gongzhi.i18n import N_
from gongzhi.registry import access  # noqa: F401 - declares the register's policy actions

if TYPE_CHECKING:
    from collections.abc import Mapping

    import typer
    from fastapi import APIRouter
    from pydantic import BaseModel
    from sqlalchemy.orm import Session

    from gongzhi.demo import DemoWorld
    from gongzhi.jobs.kinds import JobKind


def _api() -> APIRouter:
    from gongzhi.registry.api import router

    return router()


def _web() -> APIRouter:
    from gongzhi.registry.views import router

    return router()


def _cli() -> typer.Typer:
    from gongzhi.registry.cli import app

    return app


def _kinds() -> Mapping[str, JobKind]:
    from gongzhi.registry.reminders import REFRESH

    return {REFRESH.id: REFRESH}


def _demo(session: Session, world: DemoWorld) -> None:
    from gongzhi.registry.demo import load

    load(session, world)


def _profiles() -> Mapping[str, type[BaseModel]]:
    from gongzhi.registry.tiering import TieringBody

    return {"tiering": TieringBody}


area = Area(
    name="registry",
    models="gongzhi.registry.models",
    api=_api,
    web=_web,
    cli=_cli,
    cli_name="registry",
    job_kinds=_kinds,
    profile_kinds=_profiles,
    demo=_demo,
    periodic=(Periodic(kind="gongzhi.registry.reminders@1", every_seconds=3600),),
    nav=(
        NavItem(label=N_("Public register"), path="/register", action="register.read", order=10),
        NavItem(label=N_("My systems"), path="/registry/systems", action="system.list_own", order=20),
        NavItem(label=N_("Filing queue"), path="/registry/queue", action="filing.queue", order=20),
        NavItem(label=N_("My reviews"), path="/registry/reviews", action="review.list_own", order=20),
    ),
    templates=Path(__file__).parent / "templates",
)
