"""The ledger (存证): a tamper-evident, signed record of every state change (RFC 9162 style)."""

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
    from gongzhi.ledger.api import router

    return router()


def _web() -> APIRouter:
    from gongzhi.ledger.views import router

    return router()


def _cli() -> typer.Typer:
    from gongzhi.ledger.cli import app

    return app


def _kinds() -> Mapping[str, JobKind]:
    from gongzhi.ledger.kinds import AUDIT

    return {AUDIT.id: AUDIT}


area = Area(
    name="ledger",
    models="gongzhi.ledger.models",
    api=_api,
    web=_web,
    cli=_cli,
    cli_name="ledger",
    job_kinds=_kinds,
    nav=(NavItem(label=N_("Ledger"), path="/ledger", action="ledger.read", order=95),),
    templates=Path(__file__).parent / "templates",
)
