"""The policy as a pure table: deny by default, scopes cut down what a token may do."""

from __future__ import annotations

from dataclasses import dataclass

from gongzhi.identity import policy
from gongzhi.identity.principal import ANONYMOUS, SYSTEM, OrgKind, Principal, Role


@dataclass
class Obj:
    id: int
    org_id: int
    user_id: int = 0
    created_by_id: int | None = None


def user(org_id: int, role: Role = Role.member, kind: OrgKind = OrgKind.enterprise, **kw: object) -> Principal:
    return Principal(kind="user", user_id=kw.pop("user_id", 100), org_id=org_id, org_kind=kind, role=role, **kw)  # type: ignore[arg-type]


def test_undeclared_action_is_denied_even_to_the_operator() -> None:
    assert policy.decide(SYSTEM, "no.such.action") is policy.DENY


def test_every_action_has_a_scope_and_description() -> None:
    for name, act in policy.actions().items():
        assert ":" in act.scope and act.description, name


def test_hidden_objects_look_absent_to_signed_in_users() -> None:
    other = Obj(id=5, org_id=2)
    assert policy.decide(user(1), "user.read", other) is policy.HIDE
    assert policy.decide(user(2), "user.read", other) is policy.ALLOW


def test_token_scope_narrows_what_the_user_may_do() -> None:
    admin = user(1, Role.admin, scopes=frozenset({"identity:read"}), token_id=9)
    assert policy.allows(admin, "user.list", Obj(id=1, org_id=1))
    assert not policy.allows(admin, "user.create", Obj(id=1, org_id=1))


#: What the public may do without signing in — every addition here is a decision to publish something.
PUBLIC_ACTIONS = {"site.view", "ledger.read", "register.read", "assessment.profiles"}


def test_anonymous_may_only_see_public_things() -> None:
    target = Obj(id=1, org_id=1)
    allowed = set()
    for name, act in policy.actions().items():
        try:
            if act.rule(ANONYMOUS, target) is policy.ALLOW:
                allowed.add(name)
        except AttributeError:  # a rule that needs a richer target than this stand-in: not public anyway
            continue
    assert allowed == PUBLIC_ACTIONS


def test_job_visibility_matches_the_sql_filter() -> None:
    job = Obj(id=1, org_id=1, created_by_id=100)
    assert policy.can_see_job(user(1), job)
    assert not policy.can_see_job(user(1, user_id=101), job)
    assert policy.can_see_job(user(1, Role.admin, user_id=101), job)
    assert not policy.can_see_job(user(2, Role.admin, user_id=101), job)
