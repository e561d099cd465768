"""Bad input gets a clear RFC 9457 problem and changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from gongzhi.db.engine import SessionFactory
from gongzhi.identity.models import Organisation
from gongzhi.ledger.models import LedgerEntry


def counts(factory: SessionFactory) -> tuple[int, int]:
    with factory() as s:
        return (s.scalar(select(func.count(Organisation.id))) or 0, s.scalar(select(func.count(LedgerEntry.seq))) or 0)


def test_malformed_json_is_400_and_writes_nothing(api_as: Callable[..., Any], factory: SessionFactory) -> None:
    c = api_as("operator")
    before = counts(factory)
    response = c.post(
        "/api/v1/identity/organisations",
        content=b'{"name": "x", "kind": ',
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == 400 and body["code"] == "malformed-json" and body["detail"]
    assert counts(factory) == before


def test_invalid_field_is_422_naming_the_field(api_as: Callable[..., Any], factory: SessionFactory) -> None:
    c = api_as("operator")
    before = counts(factory)
    response = c.post("/api/v1/identity/organisations", json={"name": "x", "kind": "bank"})
    assert response.status_code == 422
    assert any(e["location"][-1] == "kind" for e in response.json()["errors"])
    assert counts(factory) == before


def test_oversize_body_is_413_and_writes_nothing(
    api_as: Callable[..., Any], factory: SessionFactory, settings: Any
) -> None:
    c = api_as("operator")
    before = counts(factory)
    big = {"name": "x" * (settings.max_body_bytes + 10), "kind": "enterprise"}
    response = c.post("/api/v1/identity/organisations", json=big)
    assert response.status_code == 413
    assert response.json()["code"] == "payload-too-large"
    assert counts(factory) == before


def test_oversize_chunked_body_without_length_is_refused(api_as: Callable[..., Any], settings: Any) -> None:
    def chunks() -> Any:
        for _ in range(settings.max_body_bytes // 65536 + 2):
            yield b" " * 65536

    response = api_as("operator").post(
        "/api/v1/identity/organisations", content=chunks(), headers={"content-type": "application/json"}
    )
    assert response.status_code == 413


def test_duplicate_is_409_with_message(api_as: Callable[..., Any]) -> None:
    c = api_as("operator")
    assert c.post("/api/v1/identity/organisations", json={"name": "重复单位", "kind": "enterprise"}).status_code == 201
    again = c.post("/api/v1/identity/organisations", json={"name": "重复单位", "kind": "enterprise"})
    assert again.status_code == 409
    assert "重复单位" in again.json()["detail"]


def test_unknown_api_path_is_a_problem_document(client: TestClient) -> None:
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")


def test_problem_detail_follows_accept_language(api_as: Callable[..., Any]) -> None:
    c = api_as(None)
    en = c.get("/api/v1/identity/organisations", headers={"Accept-Language": "en-GB,en;q=0.9"}).json()
    zh = c.get("/api/v1/identity/organisations", headers={"Accept-Language": "zh-CN"}).json()
    assert en["detail"] == "Please sign in first."
    assert zh["detail"] == "请先登录。"


def test_pagination_walks_every_item_once(api_as: Callable[..., Any]) -> None:
    c = api_as("operator")
    seen: list[int] = []
    cursor = None
    while True:
        params = {"limit": 3, **({"cursor": cursor} if cursor else {})}
        page = c.get("/api/v1/identity/organisations", params=params).json()
        seen += [o["id"] for o in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert len(seen) == len(set(seen)) == 8
    assert c.get("/api/v1/identity/organisations", params={"cursor": "!!bad"}).status_code == 422
