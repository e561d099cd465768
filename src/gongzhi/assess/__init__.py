"""Trustworthy-AI assessment (可信人工智能评估测试): tests, profiles, process checks and reports for ML models.

The pure core (``groups``, ``fairness``, ``performance``, ``robustness``, ``explain``, ``privacy``,
``quality``, ``engine``) imports no database or web code; ``service`` adds storage, the policy and
the ledger; ``api``, ``views`` and ``cli`` are the edges.
"""

from __future__ import annotations

from pathlib import Path

from gongzhi.areas import Area, NavItem
from gongzhi.i18n import N_

area = Area(
    name="assess",
    models="gongzhi.assess.models",
    access="gongzhi.assess.access",
    api="gongzhi.assess.api:router",
    web="gongzhi.assess.views:router",
    cli="gongzhi.assess.cli:app",
    cli_name="assess",
    job_kinds="gongzhi.assess.kinds:KINDS",
    profile_kinds="gongzhi.assess.profile:PROFILE_KINDS",
    nav=(NavItem(label=N_("Assessments"), path="/assess", action="assessment.list", order=40),),
    templates=Path(__file__).parent / "templates",
)
