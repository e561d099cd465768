"""Who is acting: a signed-in user, an API token, the anonymous public, or the operator's CLI."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class OrgKind(StrEnum):
    """The kinds of party in a city's AI governance system."""

    regulator = "regulator"  # 主管部门
    expert_committee = "expert_committee"  # 专家委员会
    enterprise = "enterprise"  # 企业
    assessment_lab = "assessment_lab"  # 检测评估机构
    industry_association = "industry_association"  # 行业组织
    research_institute = "research_institute"  # 高校、科研院所


class Role(StrEnum):
    """A user's role inside their organisation."""

    admin = "admin"  # manages the organisation's users and tokens
    member = "member"  # does the organisation's work
    reviewer = "reviewer"  # an expert who reviews (expert committee)


@dataclass(frozen=True, slots=True)
class Principal:
    """The acting party, as every service function receives it."""

    kind: str  # "anonymous" | "user" | "system"
    user_id: int | None = None
    username: str | None = None
    org_id: int | None = None
    org_kind: OrgKind | None = None
    role: Role | None = None
    is_platform_admin: bool = False
    #: None for a browser session (all the user may do); a token's scopes otherwise.
    scopes: frozenset[str] | None = None
    token_id: int | None = None

    @property
    def is_anonymous(self) -> bool:
        return self.kind == "anonymous"

    @property
    def is_system(self) -> bool:
        return self.kind == "system"

    @property
    def is_user(self) -> bool:
        return self.kind == "user"

    def label(self) -> str:
        """How the ledger names this principal."""
        if self.is_user:
            return f"user:{self.user_id}"
        return self.kind


ANONYMOUS = Principal(kind="anonymous")
#: The operator at the server's command line (``gongzhi users create``, ``gongzhi demo load``).
SYSTEM = Principal(kind="system")
