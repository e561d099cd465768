"""Sign-in, sessions, CSRF and throttling through real HTTP requests."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from gongzhi.db.engine import SessionFactory
from gongzhi.identity.models import LoginAttempt, Organisation, WebSession
from gongzhi.web.security import SESSION_COOKIE
from tests.conftest import WebClient


def count(factory: SessionFactory, model: Any) -> int:
    with factory() as s:
        return s.scalar(select(func.count()).select_from(model)) or 0


def test_login_sets_a_secure_httponly_samesite_session_cookie(web: WebClient, passwords: dict[str, str]) -> None:
    web.page("/login")
    response = web.http.post(
        "/login",
        data={
            "username": "regulator",
            "password": passwords["regulator"],
            "csrf_token": web.csrf,
            "next": "/admin/orgs",
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/admin/orgs"
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"{SESSION_COOKIE}=")
    assert "HttpOnly" in cookie and "Secure" in cookie and "SameSite=lax" in cookie.replace("Lax", "lax")
    assert "regulator" in web.page("/")


def test_session_cookie_value_is_stored_only_as_a_hash(
    web: WebClient, passwords: dict[str, str], factory: SessionFactory
) -> None:
    web.login("xinghe", passwords["xinghe"])
    value = web.http.cookies.get(SESSION_COOKIE)
    assert value
    with factory() as s:
        hashes = list(s.scalars(select(WebSession.session_hash)))
    assert hashes and value not in hashes


def test_wrong_password_gives_a_clear_error_and_no_session(web: WebClient, factory: SessionFactory) -> None:
    web.page("/login")
    response = web.http.post(
        "/login",
        data={"username": "xinghe", "password": "not-the-password-1", "csrf_token": web.csrf},
        follow_redirects=False,
    )
    assert response.status_code == 401
    assert "Wrong username or password" in response.text or "用户名或密码错误" in response.text
    assert SESSION_COOKIE not in response.headers.get("set-cookie", "")
    assert count(factory, WebSession) == 0


def test_unknown_user_gets_the_same_message_as_a_wrong_password(web: WebClient) -> None:
    web.page("/login")
    a = web.http.post("/login", data={"username": "nobody-here", "password": "x" * 12, "csrf_token": web.csrf})
    b = web.http.post("/login", data={"username": "xinghe", "password": "x" * 12, "csrf_token": web.csrf})
    assert a.status_code == b.status_code == 401
    assert a.text.replace("nobody-here", "") == b.text.replace("xinghe", "")


def test_login_without_csrf_token_is_refused_and_writes_nothing(
    web: WebClient, passwords: dict[str, str], factory: SessionFactory
) -> None:
    web.page("/login")
    before = count(factory, LoginAttempt)
    response = web.http.post(
        "/login", data={"username": "xinghe", "password": passwords["xinghe"]}, follow_redirects=False
    )
    assert response.status_code == 403
    assert count(factory, LoginAttempt) == before
    assert count(factory, WebSession) == 0


def test_forged_csrf_token_is_refused(web: WebClient, passwords: dict[str, str]) -> None:
    web.login("regulator", passwords["regulator"])
    response = web.http.post(
        "/admin/orgs", data={"name": "伪造单位", "kind": "enterprise", "csrf_token": "0" * 64}, follow_redirects=False
    )
    assert response.status_code == 403


def test_signed_in_api_call_from_the_browser_needs_the_csrf_header(
    web: WebClient, passwords: dict[str, str], factory: SessionFactory
) -> None:
    web.login("regulator", passwords["regulator"])
    before = count(factory, Organisation)
    body = {"name": "浏览器单位", "kind": "enterprise"}
    assert web.http.post("/api/v1/identity/organisations", json=body).status_code == 403
    assert count(factory, Organisation) == before
    ok = web.http.post("/api/v1/identity/organisations", json=body, headers={"X-CSRF-Token": web.csrf})
    assert ok.status_code == 201, ok.text
    assert count(factory, Organisation) == before + 1


def test_repeated_failures_are_throttled_with_retry_after(
    web: WebClient, passwords: dict[str, str], settings: Any
) -> None:
    web.page("/login")
    for _ in range(settings.login_max_failures):
        r = web.http.post("/login", data={"username": "lab", "password": "wrong-password-9", "csrf_token": web.csrf})
        assert r.status_code == 401
    blocked = web.http.post(
        "/login", data={"username": "lab", "password": passwords["lab"], "csrf_token": web.csrf}, follow_redirects=False
    )
    assert blocked.status_code == 429
    assert int(blocked.headers["retry-after"]) > 0
    # Another account from the same browser is not locked by lab's failures.
    web.login("alliance", passwords["alliance"])


def test_logout_ends_the_session(web: WebClient, passwords: dict[str, str], factory: SessionFactory) -> None:
    web.login("lab", passwords["lab"])
    assert count(factory, WebSession) == 1
    response = web.post_form("/logout", {})
    assert response.status_code == 303  # type: ignore[attr-defined]
    assert count(factory, WebSession) == 0
    assert web.http.get("/admin/my-org", follow_redirects=False).status_code == 303  # back to sign-in


def test_open_redirect_after_login_is_not_possible(web: WebClient, passwords: dict[str, str]) -> None:
    web.page("/login")
    response = web.http.post(
        "/login",
        data={"username": "lab", "password": passwords["lab"], "csrf_token": web.csrf, "next": "//evil.example/steal"},
        follow_redirects=False,
    )
    assert response.headers["location"] == "/"


def test_plain_http_on_a_public_host_gets_secure_cookies(app: FastAPI) -> None:
    with TestClient(app, base_url="http://gongzhi.example.gov.cn") as c:
        response = c.get("/login")
        assert "Secure" in response.headers["set-cookie"]
    with TestClient(app, base_url="http://127.0.0.1:8000") as c:
        assert "Secure" not in c.get("/login").headers["set-cookie"]  # local `make run` over plain HTTP


def test_pages_carry_security_headers(client: TestClient) -> None:
    response = client.get("/login")
    assert response.headers["x-frame-options"] == "DENY"
    assert "default-src 'self'" in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"
