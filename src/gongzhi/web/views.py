"""Core pages and endpoints: home, sign-in and sign-out, language switch, health and metrics."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response
from prometheus_client import CollectorRegistry, Gauge, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from sqlalchemy import func, select, text

from gongzhi.config import SUPPORTED_LOCALES
from gongzhi.errors import GongzhiError, TooManyRequests
from gongzhi.identity import policy
from gongzhi.identity.auth import end_session, sign_in
from gongzhi.jobs.models import Job
from gongzhi.jobs.rules import JobState
from gongzhi.web.deps import DB, Caller, csrf_protect, get_settings, request_locale
from gongzhi.web.security import LANG_COOKIE, SESSION_COOKIE, set_cookie
from gongzhi.web.templating import render


def safe_next(target: str | None) -> str:
    """Only redirect to a path on this site (no open redirects)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


def router() -> APIRouter:
    r = APIRouter(include_in_schema=False)

    @r.get("/")
    def home(request: Request, caller: Caller) -> Response:
        return render(request, "home.html")

    @r.get("/login")
    def login_form(request: Request, caller: Caller, next: str = "/") -> Response:
        if caller.is_user:
            return RedirectResponse(safe_next(next), status_code=303)
        return render(request, "login.html", next=safe_next(next), username="", error=None)

    @r.post("/login", dependencies=[Depends(csrf_protect)])
    def login(
        request: Request,
        username: Annotated[str, Form(max_length=200)],
        password: Annotated[str, Form(max_length=1000)],
        next: Annotated[str, Form(max_length=2000)] = "/",
    ) -> Response:
        settings = get_settings(request)
        client = request.client.host if request.client else "unknown"
        try:
            _principal, cookie = sign_in(
                request.app.state.factory,
                username=username,
                password=password,
                client=client,
                user_agent=request.headers.get("user-agent"),
                max_failures=settings.login_max_failures,
                window=dt.timedelta(seconds=settings.login_window_seconds),
                session_ttl=dt.timedelta(hours=settings.session_ttl_hours),
            )
        except GongzhiError as exc:
            response = render(
                request,
                "login.html",
                status_code=exc.status,
                next=safe_next(next),
                username=username[:64],
                error=exc.detail(request_locale(request)),
            )
            if isinstance(exc, TooManyRequests):
                response.headers["Retry-After"] = str(exc.retry_after)
            return response
        redirect = RedirectResponse(safe_next(next), status_code=303)
        set_cookie(redirect, request, settings, SESSION_COOKIE, cookie, max_age=int(settings.session_ttl_hours * 3600))
        return redirect

    @r.post("/logout", dependencies=[Depends(csrf_protect)])
    def logout(request: Request, session: DB) -> Response:
        cookie = request.cookies.get(SESSION_COOKIE)
        if cookie:
            end_session(session, cookie)
        response = RedirectResponse("/", status_code=303)
        response.delete_cookie(SESSION_COOKIE, path="/")
        return response

    @r.get("/lang/{code}")
    def switch_language(request: Request, code: str, next: str = "/") -> Response:
        response = RedirectResponse(safe_next(next), status_code=303)
        if code in SUPPORTED_LOCALES:
            set_cookie(response, request, get_settings(request), LANG_COOKIE, code, max_age=365 * 86400)
        return response

    @r.get("/healthz")
    def healthz(request: Request) -> JSONResponse:
        try:
            with request.app.state.read_factory() as session:
                session.execute(text("SELECT 1"))
        except Exception as exc:  # noqa: BLE001 - report any database failure as unhealthy
            return JSONResponse({"status": "unavailable", "database": type(exc).__name__}, status_code=503)
        return JSONResponse({"status": "ok", "database": "ok"})

    @r.get("/metrics")
    def metrics(request: Request, caller: Caller, session: DB) -> Response:
        policy.authorize(caller, "metrics.read")
        registry: CollectorRegistry = request.app.state.metrics_registry
        body = generate_latest(registry) + _job_gauges(session)
        return PlainTextResponse(body, media_type=CONTENT_TYPE_LATEST)

    return r


def _job_gauges(session: DB) -> bytes:
    """Jobs by state, counted at scrape time."""
    registry = CollectorRegistry()
    gauge = Gauge("gongzhi_jobs", "Jobs by state", ["state"], registry=registry)
    counts: dict[JobState, int] = dict(session.execute(select(Job.state, func.count()).group_by(Job.state)).all())
    for state in JobState:
        gauge.labels(state.value).set(counts.get(state, 0))
    return bytes(generate_latest(registry))
