"""Data security (数据安全): sensitive-data discovery, classification & grading (分类分级), masking (脱敏),
the data inventory (数据资产目录) and scale-out on Ray.

The pure core — ``recognizers``, ``text``, ``tables`` (``scan_table`` for other areas), ``grading``,
``masking``, ``anonymity`` — needs no database; ``service`` adds the inventory and the ledger.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from gongzhi.areas import Area, NavItem
from gongzhi.datasec import access  # noqa: F401 - declares the area's policy actions
from gongzhi.i18n import N_

if TYPE_CHECKING:
    from collections.abc import Mapping

    import typer
    from fastapi import APIRouter
    from pydantic import BaseModel

    from gongzhi.jobs.kinds import JobKind


def _api() -> APIRouter:
    from gongzhi.datasec.api import router

    return router()


def _web() -> APIRouter:
    from gongzhi.datasec.views import router

    return router()


def _cli() -> typer.Typer:
    from gongzhi.datasec.cli import app

    return app


def _kinds() -> Mapping[str, JobKind]:
    from gongzhi.datasec.jobs import KINDS

    return KINDS


def _profile_kinds() -> Mapping[str, type[BaseModel]]:
    from gongzhi.datasec.grading import profile_kinds

    return profile_kinds()


area = Area(
    name="datasec",
    models="gongzhi.datasec.models",
    api=_api,
    web=_web,
    cli=_cli,
    cli_name=None,  # `gongzhi scan`, `gongzhi mask` and `gongzhi datasec …`
    job_kinds=_kinds,
    nav=(NavItem(label=N_("Data security"), path="/datasec", action="datasec.list", order=40),),
    templates=Path(__file__).parent / "templates",
    profile_kinds=_profile_kinds,
)
