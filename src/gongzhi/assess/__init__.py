"""Trustworthy-AI assessment (可信人工智能评估测试): tests, profiles, process checks and reports for ML models.

The pure core (``groups``, ``fairness``, ``performance``, ``robustness``, ``explain``, ``privacy``,
``quality``, ``engine``) imports no database or web code; ``service`` adds storage, the policy and
the ledger; ``api``, ``views`` and ``cli`` are the edges.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from gongzhi.areas import Area, NavItem
from gongzhi.assess import access as access  # declares the area's policy actions
from gongzhi.i18n import N_

if TYPE_CHECKING:
    from collections.abc import Mapping

    import typer
    from fastapi import APIRouter
    from pydantic import BaseModel

    from gongzhi.jobs.kinds import JobKind


def _api() -> APIRouter:
    from gongzhi.assess.api import router

    return router()


def _web() -> APIRouter:
    from gongzhi.assess.views import router

    return router()


def _cli() -> typer.Typer:
    from gongzhi.assess.cli import app

    return app


def _kinds() -> Mapping[str, JobKind]:
    from gongzhi.assess.kinds import RUN

    return {RUN.id: RUN}


def _profile_kinds() -> Mapping[str, type[BaseModel]]:
    from gongzhi.assess.profile import AssessmentProfile

    return {"assessment": AssessmentProfile}


area = Area(
    name="assess",
    models="gongzhi.assess.models",
    api=_api,
    web=_web,
    cli=_cli,
    cli_name="assess",
    job_kinds=_kinds,
    nav=(NavItem(label=N_("Assessments"), path="/assess", action="assessment.list", order=40),),
    templates=Path(__file__).parent / "templates",
    profile_kinds=_profile_kinds,
)
