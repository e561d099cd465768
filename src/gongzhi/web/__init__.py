"""The web shell: layout, static files (vendored), sign-in pages, language switch, health and metrics."""

from __future__ import annotations

from gongzhi.areas import Area, NavItem
from gongzhi.i18n import N_

area = Area(
    name="web", web="gongzhi.web.views:router", nav=(NavItem(label=N_("Home"), path="/", action="site.view", order=0),)
)
