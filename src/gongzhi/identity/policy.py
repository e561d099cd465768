"""Who may do what to which object — deny by default.

Every action has a name (``"user.create"``), the API-token scope it needs (``"identity:write"``) and a
rule that looks at the acting principal and the target object and answers (areas declare their own
actions the same way, in ``gongzhi/<area>/access.py``, named by the area's ``Area.access``):

- ``ALLOW``: go ahead;
- ``DENY``: the caller may know the object exists but may not do this (HTTP 401 for the public, 403 otherwise);
- ``HIDE``: the caller may not even learn that the object exists (HTTP 404).

An action that is not declared here is denied. Service functions call :func:`authorize`; the API,
the web pages and the CLI never decide on their own. Areas add their actions with :func:`action`.

>>> from gongzhi.identity.principal import ANONYMOUS
>>> allows(ANONYMOUS, "org.create")
False
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import Any, Protocol

from sqlalchemy import false, or_

from gongzhi.errors import NotAuthenticated, NotFound, PermissionDenied
from gongzhi.i18n import N_
from gongzhi.identity.principal import OrgKind, Principal, Role


class Decision(Enum):
    ALLOW = "allow"
    DENY = "deny"
    HIDE = "hide"


ALLOW, DENY, HIDE = Decision.ALLOW, Decision.DENY, Decision.HIDE

Rule = Callable[[Principal, Any], Decision]


@dataclass(frozen=True)
class Action:
    """One thing a principal can try to do."""

    name: str
    scope: str
    rule: Rule
    description: str


_ACTIONS: dict[str, Action] = {}


def action(name: str, *, scope: str, description: str) -> Callable[[Rule], Rule]:
    """Declare an action and its rule (a decorator)."""

    def register(rule: Rule) -> Rule:
        if name in _ACTIONS:
            raise ValueError(f"policy action {name!r} declared twice")
        _ACTIONS[name] = Action(name=name, scope=scope, rule=rule, description=description)
        return rule

    return register


def _load_area_actions() -> None:
    """Import every area's ``access`` module, so that the actions it declares are known."""
    from gongzhi.areas import import_access

    import_access()


def actions() -> dict[str, Action]:
    """Every declared action, by name (the platform's and every area's)."""
    _load_area_actions()
    return dict(_ACTIONS)


def scopes() -> list[str]:
    """Every API-token scope an action needs, sorted."""
    return sorted({a.scope for a in actions().values()})


def decide(principal: Principal, name: str, target: Any = None) -> Decision:
    """The policy's answer, without raising."""
    act = _ACTIONS.get(name)
    if act is None:
        _load_area_actions()
        act = _ACTIONS.get(name)
    if act is None:
        return DENY
    decision = act.rule(principal, target)
    if decision is ALLOW and principal.scopes is not None and act.scope not in principal.scopes:
        return DENY
    return decision


def allows(principal: Principal, name: str, target: Any = None) -> bool:
    """True when ``principal`` may do ``name`` to ``target`` (for navigation and buttons)."""
    return decide(principal, name, target) is ALLOW


def authorize(principal: Principal, name: str, target: Any = None) -> None:
    """Raise the right error unless ``principal`` may do ``name`` to ``target``."""
    decision = decide(principal, name, target)
    if decision is ALLOW:
        return
    if principal.is_anonymous:  # the public is asked to sign in, whether or not the object exists
        raise NotAuthenticated(N_("Please sign in first."))
    if decision is HIDE:
        raise NotFound(N_("Not found."))
    act = _ACTIONS.get(name)
    if act is not None and principal.scopes is not None and act.scope not in principal.scopes:
        raise PermissionDenied(N_("This API token lacks the scope {scope}."), scope=act.scope)
    raise PermissionDenied(N_("You are not allowed to do this."))


# ---------------------------------------------------------------------------------------------
# Building blocks for rules


class HasId(Protocol):
    id: int


class UserLike(Protocol):
    id: int
    org_id: int


def is_operator(p: Principal) -> bool:
    """The platform's operators: the CLI on the server and platform administrators."""
    return p.is_system or (p.is_user and p.is_platform_admin)


def is_org_admin(p: Principal, org_id: int | None) -> bool:
    return p.is_user and p.role is Role.admin and org_id is not None and p.org_id == org_id


def is_regulator(p: Principal, role: Role | None = None) -> bool:
    return p.is_user and p.org_kind is OrgKind.regulator and (role is None or p.role is role)


def signed_in(p: Principal, _target: Any = None) -> Decision:
    return ALLOW if (p.is_user or p.is_system) else DENY


def operators_only(p: Principal, _target: Any = None) -> Decision:
    return ALLOW if is_operator(p) else DENY


def everyone(_p: Principal, _target: Any = None) -> Decision:
    return ALLOW


# ---------------------------------------------------------------------------------------------
# identity: organisations, users, tokens

action("org.list", scope="identity:read", description="List organisations")(signed_in)
action("org.read", scope="identity:read", description="See an organisation")(signed_in)


@action("org.create", scope="identity:write", description="Create an organisation")
def _org_create(p: Principal, _target: Any) -> Decision:
    return ALLOW if is_operator(p) or is_regulator(p, Role.admin) else DENY


@action("org.update", scope="identity:write", description="Rename or (de)activate an organisation")
def _org_update(p: Principal, org: HasId) -> Decision:
    if is_operator(p) or is_regulator(p, Role.admin) or is_org_admin(p, org.id):
        return ALLOW
    return DENY


@action("user.list", scope="identity:read", description="List the users of an organisation")
def _user_list(p: Principal, org: HasId) -> Decision:
    if is_operator(p) or (p.is_user and p.org_id == org.id):
        return ALLOW
    return DENY


@action("user.read", scope="identity:read", description="See a user's profile")
def _user_read(p: Principal, user: UserLike) -> Decision:
    if is_operator(p) or (p.is_user and p.org_id == user.org_id):
        return ALLOW
    return HIDE


@action("user.create", scope="identity:write", description="Create a user in an organisation")
def _user_create(p: Principal, org: HasId) -> Decision:
    # Regulator admins onboard the first administrator of a new party; org admins add their colleagues.
    if is_operator(p) or is_regulator(p, Role.admin) or is_org_admin(p, org.id):
        return ALLOW
    return DENY


@action("user.manage", scope="identity:write", description="Change a user's role, status or password")
def _user_manage(p: Principal, user: UserLike) -> Decision:
    if is_operator(p) or is_org_admin(p, user.org_id):
        return ALLOW
    if p.is_user and p.org_id == user.org_id:
        return DENY
    return HIDE


@action("user.change_own_password", scope="identity:write", description="Change one's own password")
def _change_own_password(p: Principal, _target: Any) -> Decision:
    return ALLOW if p.is_user else DENY


@action("user.grant_platform_admin", scope="identity:write", description="Make a user a platform administrator")
def _grant_platform_admin(p: Principal, _user: Any) -> Decision:
    return operators_only(p)


class TokenLike(Protocol):
    id: int
    user_id: int
    org_id: int


@action("token.create", scope="identity:write", description="Create an API token for a user")
def _token_create(p: Principal, user: UserLike) -> Decision:
    if p.is_system:
        return ALLOW
    if p.token_id is not None:  # a token may not mint tokens: that would outlive its own expiry
        return DENY
    return ALLOW if p.is_user and p.user_id == user.id else DENY


@action("token.list", scope="identity:read", description="List a user's API tokens")
def _token_list(p: Principal, user: UserLike) -> Decision:
    if is_operator(p) or (p.is_user and p.user_id == user.id) or is_org_admin(p, user.org_id):
        return ALLOW
    return HIDE


@action("token.revoke", scope="identity:write", description="Revoke an API token")
def _token_revoke(p: Principal, token: TokenLike) -> Decision:
    if is_operator(p) or (p.is_user and p.user_id == token.user_id) or is_org_admin(p, token.org_id):
        return ALLOW
    return HIDE


@action("org.manage_own", scope="identity:write", description="Manage one's own organisation's users")
def _org_manage_own(p: Principal, _target: Any) -> Decision:
    return ALLOW if p.is_user and p.role is Role.admin else DENY


@action("token.manage_own", scope="identity:write", description="Manage one's own API tokens")
def _token_manage_own(p: Principal, _target: Any) -> Decision:
    return ALLOW if p.is_user and p.token_id is None else DENY


# ---------------------------------------------------------------------------------------------
# jobs


class JobLike(Protocol):
    created_by_id: int | None
    org_id: int | None


def can_see_job(p: Principal, job: JobLike) -> bool:
    """Creator, the creator's organisation admins and the operators see a job."""
    if is_operator(p):
        return True
    if not p.is_user:
        return False
    return p.user_id == job.created_by_id or is_org_admin(p, job.org_id)


def visible_jobs(p: Principal, job_table: Any) -> Any:
    """The SQL condition that selects exactly the jobs :func:`can_see_job` allows (None = all)."""
    if is_operator(p):
        return None
    if not p.is_user:
        return false()
    mine = job_table.created_by_id == p.user_id
    return or_(mine, job_table.org_id == p.org_id) if p.role is Role.admin else mine


action("job.submit", scope="jobs:write", description="Start a long-running job")(signed_in)
action("job.list", scope="jobs:read", description="List jobs one may see")(signed_in)


@action("job.read", scope="jobs:read", description="See a job's state and result")
def _job_read(p: Principal, job: JobLike) -> Decision:
    return ALLOW if can_see_job(p, job) else HIDE


@action("job.cancel", scope="jobs:write", description="Cancel a job")
def _job_cancel(p: Principal, job: JobLike) -> Decision:
    return ALLOW if can_see_job(p, job) else HIDE


# ---------------------------------------------------------------------------------------------
# operations and the public site

action("site.view", scope="site:read", description="See the public pages")(everyone)
#: For "no such object" answers: the public is asked to sign in, signed-in users learn it does not exist.
action("site.signed_in", scope="site:read", description="Be signed in")(signed_in)
action("metrics.read", scope="metrics:read", description="Read Prometheus metrics")(operators_only)
action("ledger.read", scope="ledger:read", description="Read the public ledger and its proofs")(everyone)
