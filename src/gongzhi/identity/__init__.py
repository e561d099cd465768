"""Identity: organisations, users, roles, API tokens, sessions; ``policy`` says who may do what."""

from __future__ import annotations

from pathlib import Path

from gongzhi.areas import Area, NavItem
from gongzhi.i18n import N_

area = Area(
    name="identity",
    models="gongzhi.identity.models",
    api="gongzhi.identity.api:router",
    web="gongzhi.identity.views:router",
    cli="gongzhi.identity.cli:app",
    nav=(
        NavItem(label=N_("Organisations"), path="/admin/orgs", action="org.create", order=80),
        NavItem(label=N_("My organisation"), path="/admin/my-org", action="org.manage_own", order=81),
        NavItem(label=N_("API tokens"), path="/account/tokens", action="token.manage_own", order=90),
    ),
    templates=Path(__file__).parent / "templates",
)
