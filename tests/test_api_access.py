"""Every API route x every role (and the public): the policy's answer is what the API does.

A route missing from ROUTES fails ``test_every_api_route_is_covered``, so a new route cannot ship
without its access expectations. Targets belong to the enterprise "xinghe"; other parties must get
401/403/404 with a problem document, never the data.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy import select

from gongzhi.config import Settings
from gongzhi.db.engine import SessionFactory, transaction
from gongzhi.identity import service as identity
from gongzhi.identity.models import Organisation, User
from gongzhi.identity.principal import SYSTEM
from gongzhi.jobs import service as jobs
from gongzhi.jobs.kinds import SELFTEST
from gongzhi.ledger import keys
from gongzhi.ledger import service as ledger

ROLES = ["anonymous", "operator", "regulator", "officer", "expert1", "xinghe", "qingsong", "lab"]
DENIED = {401, 403, 404}


@dataclass
class Targets:
    xinghe_org: int
    xinghe_user: int
    xinghe_token: int
    xinghe_job: int
    qingsong_org: int
    tree_size: int


@dataclass(frozen=True)
class RouteSpec:
    """How to call a route, and which roles may get past the policy."""

    path: Callable[[Targets], str]
    allowed: frozenset[str]
    body: Callable[[Targets, str], Any] | None = None
    query: dict[str, str] = field(default_factory=dict)


SIGNED_IN = frozenset(ROLES) - {"anonymous"}
EVERYONE = frozenset(ROLES)


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
        lambda t: f"/api/v1/identity/users/{t.xinghe_user}/tokens", frozenset(), _token
    ),
    ("POST", "/api/v1/identity/tokens/{token_id}/revoke"): RouteSpec(
        lambda t: f"/api/v1/identity/tokens/{t.xinghe_token}/revoke", frozenset({"operator", "xinghe"})
    ),
    ("GET", "/api/v1/jobs"): RouteSpec(lambda t: "/api/v1/jobs", SIGNED_IN),
    ("GET", "/api/v1/jobs/{job_id}"): RouteSpec(
        lambda t: f"/api/v1/jobs/{t.xinghe_job}", frozenset({"operator", "xinghe"})
    ),
    ("POST", "/api/v1/jobs/{job_id}/cancel"): RouteSpec(
        lambda t: f"/api/v1/jobs/{t.xinghe_job}/cancel", frozenset({"operator", "xinghe"})
    ),
    ("POST", "/api/v1/jobs/selftest"): RouteSpec(
        lambda t: "/api/v1/jobs/selftest", SIGNED_IN, lambda t, r: {"steps": 1, "seconds": 0}
    ),
    # The ledger is public: anyone may read it and check it.
    ("GET", "/api/v1/ledger/public-key"): RouteSpec(lambda t: "/api/v1/ledger/public-key", EVERYONE),
    ("GET", "/api/v1/ledger/tree-heads/latest"): RouteSpec(lambda t: "/api/v1/ledger/tree-heads/latest", EVERYONE),
    ("GET", "/api/v1/ledger/tree-heads"): RouteSpec(lambda t: "/api/v1/ledger/tree-heads", EVERYONE),
    ("GET", "/api/v1/ledger/tree-heads/{tree_size}"): RouteSpec(
        lambda t: f"/api/v1/ledger/tree-heads/{t.tree_size}", EVERYONE
    ),
    ("GET", "/api/v1/ledger/entries"): RouteSpec(lambda t: "/api/v1/ledger/entries", EVERYONE),
    ("GET", "/api/v1/ledger/entries/{seq}"): RouteSpec(lambda t: "/api/v1/ledger/entries/0", EVERYONE),
    ("GET", "/api/v1/ledger/proofs/inclusion"): RouteSpec(
        lambda t: "/api/v1/ledger/proofs/inclusion", EVERYONE, query={"seq": "0"}
    ),
    ("GET", "/api/v1/ledger/proofs/consistency"): RouteSpec(
        lambda t: "/api/v1/ledger/proofs/consistency", EVERYONE, query={"first": "1", "second": "2"}
    ),
    ("GET", "/api/v1/ledger/export"): RouteSpec(lambda t: "/api/v1/ledger/export", EVERYONE),
    ("GET", "/api/v1/ledger/audit"): RouteSpec(lambda t: "/api/v1/ledger/audit", EVERYONE),
    ("POST", "/api/v1/ledger/audit-jobs"): RouteSpec(lambda t: "/api/v1/ledger/audit-jobs", SIGNED_IN),
}


def api_routes(app: FastAPI) -> set[tuple[str, str]]:
    """Every API route, from the OpenAPI document (which every /api/v1 route is part of)."""
    paths = app.openapi()["paths"]
    return {(method.upper(), path) for path, ops in paths.items() if path.startswith("/api/v1/") for method in ops}


def test_every_api_route_is_covered(app: FastAPI) -> None:
    missing = api_routes(app) - set(ROUTES)
    assert not missing, f"routes without access expectations in tests/test_api_access.py: {sorted(missing)}"
    stale = set(ROUTES) - api_routes(app)
    assert not stale, f"expectations for routes that no longer exist: {sorted(stale)}"


def make_targets(factory: SessionFactory, settings: Settings) -> Targets:
    with transaction(factory) as s:
        xinghe = s.scalars(select(User).where(User.username == "xinghe")).one()
        token, _ = identity.create_token(
            s, SYSTEM, user_id=xinghe.id, name="x", scopes=["jobs:read"], expires_in_days=3
        )
        principal = _principal(s, "xinghe")
        job = jobs.submit_job(s, principal, kind=SELFTEST.id, params={"steps": 1, "seconds": 0})
        qingsong = s.scalars(select(Organisation).where(Organisation.name.like("青松%"))).one()
        sth = ledger.sign_tree_head(s, keys.for_settings(settings))
        return Targets(
            tree_size=sth.tree_size,
            xinghe_org=xinghe.org_id,
            xinghe_user=xinghe.id,
            xinghe_token=token.id,
            xinghe_job=job.id,
            qingsong_org=qingsong.id,
        )


def _principal(s: Any, username: str) -> Any:
    from gongzhi.identity.auth import principal_for

    return principal_for(s.scalars(select(User).where(User.username == username)).one())


@pytest.mark.parametrize(("method", "path"), sorted(ROUTES))
def test_route_enforces_policy_for_every_role(
    method: str, path: str, app: FastAPI, factory: SessionFactory, settings: Settings, api_as: Callable[..., Any]
) -> None:
    spec = ROUTES[(method, path)]
    targets = make_targets(factory, settings)
    for role in ROLES:
        client = api_as(None if role == "anonymous" else role)
        body = spec.body(targets, role) if spec.body else None
        response = client.request(method, spec.path(targets), json=body, params=spec.query)
        if role in spec.allowed:
            assert response.status_code not in DENIED, (role, response.status_code, response.text)
        else:
            expected = {401} if role == "anonymous" else {403, 404}
            assert response.status_code in expected, (role, response.status_code, response.text)
            assert response.headers["content-type"].startswith("application/problem+json")
            problem = response.json()
            assert set(problem) >= {"type", "title", "status", "detail"}
            assert "items" not in problem and "username" not in problem


def test_lists_never_show_another_organisations_jobs(
    factory: SessionFactory, settings: Settings, api_as: Callable[..., Any]
) -> None:
    targets = make_targets(factory, settings)
    mine = api_as("qingsong").post("/api/v1/jobs/selftest", json={"steps": 1, "seconds": 0}).json()["id"]
    listed = {j["id"] for j in api_as("qingsong").get("/api/v1/jobs").json()["items"]}
    assert mine in listed and targets.xinghe_job not in listed
    # The operator sees both.
    assert {mine, targets.xinghe_job} <= {j["id"] for j in api_as("operator").get("/api/v1/jobs").json()["items"]}


def test_token_scopes_limit_what_a_token_can_do(factory: SessionFactory, api_as: Callable[..., Any]) -> None:
    reader = api_as("xinghe", ["identity:read"])
    assert reader.get("/api/v1/identity/organisations").status_code == 200
    response = reader.post("/api/v1/jobs/selftest", json={"steps": 1})
    assert response.status_code == 403
    assert "jobs:write" in response.json()["detail"]
