"""The ledger (存证): a tamper-evident, signed record of every state change (RFC 9162 style)."""

from __future__ import annotations

from pathlib import Path

from gongzhi.areas import Area, NavItem
from gongzhi.i18n import N_

area = Area(
    name="ledger",
    models="gongzhi.ledger.models",
    api="gongzhi.ledger.api:router",
    web="gongzhi.ledger.views:router",
    cli="gongzhi.ledger.cli:app",
    cli_name="ledger",
    job_kinds="gongzhi.ledger.kinds:KINDS",
    nav=(NavItem(label=N_("Ledger"), path="/ledger", action="ledger.read", order=95),),
    templates=Path(__file__).parent / "templates",
)
