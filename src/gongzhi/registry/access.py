"""Who may do what in the register (deny by default; see gongzhi.identity.policy)."""

from __future__ import annotations

from typing import Any, Protocol

from gongzhi.identity.policy import ALLOW, DENY, HIDE, Decision, action, everyone, is_operator, is_regulator
from gongzhi.identity.principal import OrgKind, Principal, Role

PROVIDER_KINDS = frozenset({OrgKind.enterprise, OrgKind.research_institute})


class OwnedByOrg(Protocol):
    org_id: int


class ReviewLike(Protocol):
    expert_id: int
    conflict: bool | None


def is_provider(p: Principal) -> bool:
    """A user of an organisation that can provide AI systems (enterprise, research institute)."""
    return p.is_user and p.org_kind in PROVIDER_KINDS


def owns(p: Principal, obj: OwnedByOrg) -> bool:
    return is_provider(p) and p.org_id == obj.org_id


def assigned_reviewer(p: Principal, filing: Any) -> Any:
    """The principal's review of this filing, if they are one of its experts."""
    if not (p.is_user and p.role is Role.reviewer):
        return None
    return next((r for r in getattr(filing, "reviews", []) if r.expert_id == p.user_id), None)


def _sees_all(p: Principal) -> bool:
    return is_operator(p) or is_regulator(p)


# ----------------------------------------------------------------------------------------- systems


@action("system.create", scope="registry:write", description="Register an AI system of one's organisation")
def _system_create(p: Principal, _t: Any) -> Decision:
    return ALLOW if is_provider(p) or p.is_system else DENY


@action("system.list_own", scope="registry:read", description="List one's organisation's AI systems")
def _system_list_own(p: Principal, _t: Any) -> Decision:
    return ALLOW if is_provider(p) else DENY


@action("system.list_all", scope="registry:read", description="List every registered AI system")
def _system_list_all(p: Principal, _t: Any) -> Decision:
    return ALLOW if _sees_all(p) else DENY


@action("system.read", scope="registry:read", description="See an AI system's full record")
def _system_read(p: Principal, system: OwnedByOrg) -> Decision:
    return ALLOW if _sees_all(p) or owns(p, system) else HIDE


@action("system.update", scope="registry:write", description="Edit an AI system, add versions, re-tier it")
def _system_update(p: Principal, system: OwnedByOrg) -> Decision:
    if owns(p, system) or p.is_system:
        return ALLOW
    return DENY if _sees_all(p) else HIDE


@action("tiering.rerun_all", scope="registry:write", description="Re-tier every system (after a profile change)")
def _rerun_all(p: Principal, _t: Any) -> Decision:
    return ALLOW if _sees_all(p) else DENY


# ----------------------------------------------------------------------------------------- filings


@action("filing.create", scope="registry:write", description="Start a filing for a system version")
def _filing_create(p: Principal, system: OwnedByOrg) -> Decision:
    return ALLOW if owns(p, system) or p.is_system else (DENY if _sees_all(p) else HIDE)


@action("filing.edit", scope="registry:write", description="Edit a draft filing and its attachments")
def _filing_edit(p: Principal, filing: OwnedByOrg) -> Decision:
    return ALLOW if owns(p, filing) or p.is_system else (DENY if _sees_all(p) else HIDE)


@action("filing.submit", scope="registry:write", description="Declare and submit a filing (enterprise admin)")
def _filing_submit(p: Principal, filing: OwnedByOrg) -> Decision:
    if (owns(p, filing) and p.role is Role.admin) or p.is_system:
        return ALLOW
    return DENY if owns(p, filing) or _sees_all(p) else HIDE


@action("filing.read", scope="registry:read", description="See a filing (confidential parts need more)")
def _filing_read(p: Principal, filing: OwnedByOrg) -> Decision:
    if _sees_all(p) or owns(p, filing) or assigned_reviewer(p, filing) is not None:
        return ALLOW
    return HIDE


@action(
    "filing.read_confidential", scope="registry:read", description="See a filing's confidential fields and attachments"
)
def _filing_read_confidential(p: Principal, filing: OwnedByOrg) -> Decision:
    if _sees_all(p) or owns(p, filing):
        return ALLOW
    review = assigned_reviewer(p, filing)
    if review is not None:  # experts see confidential parts only after declaring no conflict of interest
        return ALLOW if review.conflict is False else DENY
    return HIDE


@action("filing.queue", scope="registry:read", description="See the regulator's queue of filings")
def _filing_queue(p: Principal, _t: Any) -> Decision:
    return ALLOW if _sees_all(p) else DENY


@action("review.assign", scope="registry:write", description="Assign experts to review a filing")
def _review_assign(p: Principal, _filing: Any) -> Decision:
    return ALLOW if _sees_all(p) else DENY


@action(
    "filing.decide",
    scope="registry:write",
    description="Approve, reject, request changes, suspend, reinstate or revoke a filing",
)
def _filing_decide(p: Principal, _filing: Any) -> Decision:
    return ALLOW if is_operator(p) or is_regulator(p, Role.admin) else DENY


# ----------------------------------------------------------------------------------------- reviews


@action("review.list_own", scope="registry:read", description="List one's own review assignments")
def _review_list_own(p: Principal, _t: Any) -> Decision:
    return ALLOW if p.is_user and p.role is Role.reviewer else DENY


@action("review.declare", scope="registry:write", description="Declare conflicts of interest on a review")
def _review_declare(p: Principal, review: ReviewLike) -> Decision:
    return ALLOW if p.is_user and review.expert_id == p.user_id else HIDE


@action("review.opinion", scope="registry:write", description="Give an opinion on a filing under review")
def _review_opinion(p: Principal, review: ReviewLike) -> Decision:
    if not (p.is_user and review.expert_id == p.user_id):
        return HIDE
    return ALLOW if review.conflict is False else DENY


# --------------------------------------------------------------------------------------- the public

action("register.read", scope="registry:read", description="Read the public register (公示)")(everyone)
action("reminders.read", scope="registry:read", description="See one's reminders")(
    lambda p, _t: ALLOW if p.is_user else DENY
)
