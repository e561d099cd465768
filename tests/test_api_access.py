"""Every API route x every role (and the public): the policy's answer is what the API does.

Route expectations live next to each area's tests (``tests/<area>/access_routes.py``, see
``tests/access``). A route with no expectation fails ``test_every_api_route_is_covered``, so a new
route cannot ship without one. Targets belong to the enterprise "xinghe"; other parties must get
401/403/404 with a problem document, never the data.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from pathlib import Path
from types import ModuleType, SimpleNamespace
from typing import Any

import pytest
from fastapi import FastAPI

from gongzhi.config import Settings
from gongzhi.db.engine import SessionFactory, transaction
from tests.access import ROLES, RouteSpec, Targets

DENIED = {401, 403, 404}


def area_tables() -> list[ModuleType]:
    modules = []
    for info in pkgutil.iter_modules([str(Path(__file__).parent)]):
        if info.ispkg and (Path(__file__).parent / info.name / "access_routes.py").exists():
            modules.append(importlib.import_module(f"tests.{info.name}.access_routes"))
    return modules


ROUTES: dict[tuple[str, str], RouteSpec] = {}
for _module in area_tables():
    ROUTES.update(_module.ROUTES)


def api_routes(app: FastAPI) -> set[tuple[str, str]]:
    """Every API route, from the OpenAPI document (which every /api/v1 route is part of)."""
    paths = app.openapi()["paths"]
    return {(method.upper(), path) for path, ops in paths.items() if path.startswith("/api/v1/") for method in ops}


def test_every_api_route_is_covered(app: FastAPI) -> None:
    missing = api_routes(app) - set(ROUTES)
    assert not missing, f"routes without access expectations (tests/<area>/access_routes.py): {sorted(missing)}"
    stale = set(ROUTES) - api_routes(app)
    assert not stale, f"expectations for routes that no longer exist: {sorted(stale)}"


def make_targets(factory: SessionFactory, settings: Settings) -> Targets:
    found: dict[str, Any] = {}
    with transaction(factory) as s:
        for module in area_tables():
            if hasattr(module, "make_targets"):
                found.update(module.make_targets(s, settings))
    return SimpleNamespace(**found)


@pytest.mark.parametrize(("method", "path"), sorted(ROUTES))
def test_route_enforces_policy_for_every_role(
    method: str, path: str, factory: SessionFactory, settings: Settings, api_as: Callable[..., Any]
) -> None:
    spec = ROUTES[(method, path)]
    targets = make_targets(factory, settings)
    for role in ROLES:
        client = api_as(None if role == "anonymous" else role)
        kwargs: dict[str, Any] = {"params": spec.query}
        if spec.files is not None:
            kwargs["files"] = spec.files(targets, role)
            if spec.body is not None:
                kwargs["data"] = spec.body(targets, role)
        elif spec.body is not None:
            kwargs["json"] = spec.body(targets, role)
        response = client.request(method, spec.path(targets), **kwargs)
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


def test_token_scopes_limit_what_a_token_can_do(api_as: Callable[..., Any]) -> None:
    reader = api_as("xinghe", ["identity:read"])
    assert reader.get("/api/v1/identity/organisations").status_code == 200
    response = reader.post("/api/v1/jobs/selftest", json={"steps": 1})
    assert response.status_code == 403
    assert "jobs:write" in response.json()["detail"]
