"""Data security (数据安全): sensitive-data discovery, classification & grading (分类分级), masking (脱敏),
the data inventory (数据资产目录) and scale-out on Ray.

The pure core — ``recognizers``, ``text``, ``tables`` (``scan_table`` for other areas), ``grading``,
``masking``, ``anonymity`` — needs no database; ``service`` adds the inventory and the ledger.
"""

from __future__ import annotations

from pathlib import Path

from gongzhi.areas import Area, NavItem
from gongzhi.i18n import N_

area = Area(
    name="datasec",
    models="gongzhi.datasec.models",
    access="gongzhi.datasec.access",
    api="gongzhi.datasec.api:router",
    web="gongzhi.datasec.views:router",
    cli="gongzhi.datasec.cli:app",
    cli_name=None,  # `gongzhi scan`, `gongzhi mask` and `gongzhi datasec …`
    job_kinds="gongzhi.datasec.jobs:KINDS",
    profile_kinds="gongzhi.datasec.grading:PROFILE_KINDS",
    nav=(NavItem(label=N_("Data security"), path="/datasec", action="datasec.list", order=40),),
    templates=Path(__file__).parent / "templates",
)
