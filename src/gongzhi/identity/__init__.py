"""Identity: organisations, users, roles, API tokens, sessions; ``policy`` says who may do what."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from gongzhi.areas import Area, NavItem
from gongzhi.i18n import N_

if TYPE_CHECKING:
    import typer
    from fastapi import APIRouter


def _api() -> APIRouter:
    from gongzhi.identity.api import router

    return router()


def _web() -> APIRouter:
    from gongzhi.identity.views import router

    return router()


def _cli() -> typer.Typer:
    from gongzhi.identity.cli import app

    return app


area = Area(
    name="identity",
    models="gongzhi.identity.models",
    api=_api,
    web=_web,
    cli=_cli,
    nav=(
        NavItem(label=N_("Organisations"), path="/admin/orgs", action="org.create", order=80),
        NavItem(label=N_("My organisation"), path="/admin/my-org", action="org.manage_own", order=81),
        NavItem(label=N_("API tokens"), path="/account/tokens", action="token.manage_own", order=90),
    ),
    templates=Path(__file__).parent / "templates",
)
