"""API tokens: shown once, stored hashed, scoped, expiring and revocable."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select, update

from gongzhi.db.engine import SessionFactory, transaction
from gongzhi.db.ledger_guard import suspend
from gongzhi.identity.models import ApiToken
from tests.conftest import WebClient, make_token


def test_token_is_stored_only_as_a_hash(factory: SessionFactory) -> None:
    plaintext = make_token(factory, "xinghe", ["identity:read"])
    with factory() as s:
        token = s.scalars(select(ApiToken)).all()[-1]
    assert plaintext.startswith(f"gz_{token.prefix}_")
    assert plaintext not in (token.token_hash, token.prefix)
    assert len(token.token_hash) == 64


def test_expired_token_is_refused_with_a_clear_message(client: TestClient, factory: SessionFactory) -> None:
    plaintext = make_token(factory, "xinghe", ["identity:read"])
    with transaction(factory) as s:
        suspend(s)  # time passes: the token's expiry is now behind us
        s.execute(update(ApiToken).values(expires_at=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)))
    response = client.get("/api/v1/identity/me", headers={"Authorization": f"Bearer {plaintext}"})
    assert response.status_code == 401
    assert response.json()["detail"] in ("The API token has expired.", "API 令牌已过期。")


def test_revoked_token_is_refused_at_once(
    api_as: Callable[..., Any], client: TestClient, factory: SessionFactory
) -> None:
    plaintext = make_token(factory, "lab", ["identity:read", "identity:write"])
    headers = {"Authorization": f"Bearer {plaintext}"}
    me = client.get("/api/v1/identity/me", headers=headers).json()
    tokens = client.get(f"/api/v1/identity/users/{me['user']['id']}/tokens", headers=headers).json()
    assert client.post(f"/api/v1/identity/tokens/{tokens[0]['id']}/revoke", headers=headers).status_code == 200
    response = client.get("/api/v1/identity/me", headers=headers)
    assert response.status_code == 401
    assert "revoked" in response.json()["detail"] or "撤销" in response.json()["detail"]


def test_malformed_and_unknown_tokens_are_refused(client: TestClient) -> None:
    for value in ("nonsense", "gz_short_x", "gz_aaaaaaaaaaaa_" + "b" * 43):
        response = client.get("/api/v1/identity/me", headers={"Authorization": f"Bearer {value}"})
        assert response.status_code == 401, value
        assert response.headers["content-type"].startswith("application/problem+json")


def test_a_token_cannot_mint_tokens(api_as: Callable[..., Any]) -> None:
    c = api_as("xinghe")
    me = c.get("/api/v1/identity/me").json()
    response = c.post(f"/api/v1/identity/users/{me['user']['id']}/tokens", json={"name": "x", "scopes": ["jobs:read"]})
    assert response.status_code == 403


def test_token_made_in_the_browser_is_shown_once_and_works(web: WebClient, passwords: dict[str, str], app: Any) -> None:
    web.login("qingsong", passwords["qingsong"])
    web.page("/account/tokens")
    response = web.http.post(
        "/account/tokens",
        data={
            "name": "pipeline",
            "scopes": ["identity:read", "jobs:read"],
            "expires_in_days": "7",
            "csrf_token": web.csrf,
        },
    )
    assert response.status_code == 200
    import re

    plaintext = re.search(r'data-testid="new-token">(gz_[^<]+)<', response.text)
    assert plaintext
    assert plaintext.group(1) not in web.page("/account/tokens")  # never shown again
    with TestClient(app, base_url="https://testserver") as c:
        me = c.get("/api/v1/identity/me", headers={"Authorization": f"Bearer {plaintext.group(1)}"}).json()
    assert me["user"]["username"] == "qingsong"
    assert me["scopes"] == ["identity:read", "jobs:read"]


def test_unknown_scope_is_a_clear_error(web: WebClient, passwords: dict[str, str]) -> None:
    web.login("qingsong", passwords["qingsong"])
    web.page("/account/tokens")
    response = web.http.post(
        "/account/tokens", data={"name": "x", "scopes": ["root:everything"], "csrf_token": web.csrf}
    )
    assert response.status_code == 422
    assert "root:everything" in response.text
