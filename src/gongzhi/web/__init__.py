"""The web shell: layout, static files (vendored), sign-in pages, language switch, health and metrics."""

from __future__ import annotations

from typing import TYPE_CHECKING

from gongzhi.areas import Area, NavItem
from gongzhi.i18n import N_

if TYPE_CHECKING:
    from fastapi import APIRouter


def _web() -> APIRouter:
    from gongzhi.web.views import router

    return router()


area = Area(name="web", web=_web, nav=(NavItem(label=N_("Home"), path="/", action="site.view", order=0),))
