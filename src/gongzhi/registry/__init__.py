"""The register (登记备案): AI systems, algorithm filings (算法备案), risk tiering, expert review and the
public register (公示)."""

from __future__ import annotations

from pathlib import Path

from gongzhi.areas import Area, NavItem, Periodic
from gongzhi.i18n import N_

area = Area(
    name="registry",
    models="gongzhi.registry.models",
    access="gongzhi.registry.access",
    api="gongzhi.registry.api:router",
    web="gongzhi.registry.views:router",
    cli="gongzhi.registry.cli:app",
    cli_name="registry",
    job_kinds="gongzhi.registry.reminders:KINDS",
    profile_kinds="gongzhi.registry.tiering:PROFILE_KINDS",
    demo="gongzhi.registry.demo:load",
    periodic=(Periodic(kind="gongzhi.registry.reminders@1", every_seconds=3600),),
    nav=(
        NavItem(label=N_("Public register"), path="/register", action="register.read", order=10),
        NavItem(label=N_("My systems"), path="/registry/systems", action="system.list_own", order=20),
        NavItem(label=N_("Filing queue"), path="/registry/queue", action="filing.queue", order=20),
        NavItem(label=N_("My reviews"), path="/registry/reviews", action="review.list_own", order=20),
    ),
    templates=Path(__file__).parent / "templates",
)
