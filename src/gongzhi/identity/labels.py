"""Display names of organisation kinds and roles (English message ids; see the catalogs for 中文)."""

from __future__ import annotations

from gongzhi.i18n import N_

ORG_KIND_LABELS: dict[str, str] = {
    "regulator": N_("Regulator"),
    "expert_committee": N_("Expert committee"),
    "enterprise": N_("Enterprise"),
    "assessment_lab": N_("Assessment lab"),
    "industry_association": N_("Industry association"),
    "research_institute": N_("Research institute"),
}

ROLE_LABELS: dict[str, str] = {
    "admin": N_("Administrator"),
    "member": N_("Member"),
    "reviewer": N_("Reviewer (expert)"),
}
