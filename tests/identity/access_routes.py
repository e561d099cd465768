"""Access expectations of the identity API (targets belong to the enterprise "xinghe")."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from gongzhi.config import Settings
from gongzhi.identity import service as identity
from gongzhi.identity.models import Organisation, User
from gongzhi.identity.principal import SYSTEM
from tests.access import EVERYONE, NOBODY, SIGNED_IN, RouteSpec, Targets


def make_targets(session: Session, settings: Settings) -> dict[str, Any]:
    xinghe = session.scalars(select(User).where(User.username == "xinghe")).one()
    token, _ = identity.create_token(
        session, SYSTEM, user_id=xinghe.id, name="x", scopes=["jobs:read"], expires_in_days=3
    )
    qingsong = session.scalars(select(Organisation).where(Organisation.name.like("青松%"))).one()
    return {
        "xinghe_org": xinghe.org_id,
        "xinghe_user": xinghe.id,
        "xinghe_token": token.id,
        "qingsong_org": qingsong.id,
    }


def _new_org(_t: Targets, role: str) -> dict[str, str]:
    return {"name": f"新单位 {role}", "kind": "enterprise"}


def _new_user(_t: Targets, role: str) -> dict[str, str]:
    return {"username": f"new-{role}", "display_name": "New", "password": "correct-horse-42"}


def _token(_t: Targets, _role: str) -> dict[str, Any]:
    return {"name": "ci", "scopes": ["identity:read"], "expires_in_days": 5}


ROUTES: dict[tuple[str, str], RouteSpec] = {
    ("GET", "/api/v1/identity/me"): RouteSpec(lambda t: "/api/v1/identity/me", EVERYONE),
    ("GET", "/api/v1/identity/organisations"): RouteSpec(lambda t: "/api/v1/identity/organisations", SIGNED_IN),
    ("POST", "/api/v1/identity/organisations"): RouteSpec(
        lambda t: "/api/v1/identity/organisations", frozenset({"operator", "regulator"}), _new_org
    ),
    ("GET", "/api/v1/identity/organisations/{org_id}"): RouteSpec(
        lambda t: f"/api/v1/identity/organisations/{t.xinghe_org}", SIGNED_IN
    ),
    ("PATCH", "/api/v1/identity/organisations/{org_id}"): RouteSpec(
        lambda t: f"/api/v1/identity/organisations/{t.xinghe_org}",
        frozenset({"operator", "regulator", "xinghe"}),
        lambda t, r: {"name_en": f"Renamed by {r}"},
    ),
    ("GET", "/api/v1/identity/organisations/{org_id}/users"): RouteSpec(
        lambda t: f"/api/v1/identity/organisations/{t.xinghe_org}/users", frozenset({"operator", "xinghe"})
    ),
    ("POST", "/api/v1/identity/organisations/{org_id}/users"): RouteSpec(
        lambda t: f"/api/v1/identity/organisations/{t.xinghe_org}/users",
        frozenset({"operator", "regulator", "xinghe"}),
        _new_user,
    ),
    ("GET", "/api/v1/identity/users/{user_id}"): RouteSpec(
        lambda t: f"/api/v1/identity/users/{t.xinghe_user}", frozenset({"operator", "xinghe"})
    ),
    ("PATCH", "/api/v1/identity/users/{user_id}"): RouteSpec(
        lambda t: f"/api/v1/identity/users/{t.xinghe_user}",
        frozenset({"operator", "xinghe"}),
        lambda t, r: {"display_name": f"Renamed by {r}"},
    ),
    ("POST", "/api/v1/identity/me/password"): RouteSpec(
        lambda t: "/api/v1/identity/me/password",
        SIGNED_IN,
        lambda t, r: {"current_password": "wrong-password-1", "new_password": "another-pass-42"},
    ),
    ("GET", "/api/v1/identity/users/{user_id}/tokens"): RouteSpec(
        lambda t: f"/api/v1/identity/users/{t.xinghe_user}/tokens", frozenset({"operator", "xinghe"})
    ),
    # Tokens can only be minted from a browser session (not by another token), so no token holder may.
    ("POST", "/api/v1/identity/users/{user_id}/tokens"): RouteSpec(
        lambda t: f"/api/v1/identity/users/{t.xinghe_user}/tokens", NOBODY, _token
    ),
    ("POST", "/api/v1/identity/tokens/{token_id}/revoke"): RouteSpec(
        lambda t: f"/api/v1/identity/tokens/{t.xinghe_token}/revoke", frozenset({"operator", "xinghe"})
    ),
}
