"""ASGI middleware: request-size limit, security headers and request metrics."""

from __future__ import annotations

import json
import time
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Histogram
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gongzhi.i18n import N_, gettext, negotiate_locale
from gongzhi.web.security import CONTENT_SECURITY_POLICY, SECURITY_HEADERS

PROBLEM_JSON = "application/problem+json"


class BodyTooLarge(Exception):
    """The body grew past the limit while it was being read."""


class RequestLimits:
    """Refuse bodies larger than the limit with 413, whether or not Content-Length says so.

    JSON and form bodies get ``max_body_bytes``; file uploads (``multipart/form-data``) get
    ``max_upload_bytes``, and each upload route checks its own, usually smaller, limit while it streams.
    """

    def __init__(self, app: ASGIApp, *, max_body_bytes: int, max_upload_bytes: int, default_locale: str) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.max_upload_bytes = max_upload_bytes
        self.default_locale = default_locale

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        multipart = headers.get(b"content-type", b"").startswith(b"multipart/form-data")
        limit = self.max_upload_bytes if multipart else self.max_body_bytes
        declared = headers.get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            await self._refuse(scope, send, headers, limit)
            return
        received = 0
        started = refused = False

        async def limited_receive() -> Message:
            nonlocal received, refused
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    # Answer now: whatever the app makes of the exception below is dropped.
                    if not started and not refused:
                        refused = True
                        await self._refuse(scope, send, headers, limit)
                    raise BodyTooLarge
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if refused:
                return
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except BodyTooLarge:
            pass

    async def _refuse(self, scope: Scope, send: Send, headers: dict[bytes, bytes], limit: int) -> None:
        accept_language = headers.get(b"accept-language", b"").decode("latin-1")
        locale = negotiate_locale(None, accept_language, self.default_locale)  # type: ignore[arg-type]
        body = json.dumps(
            {
                "type": "about:blank",
                "title": gettext(locale, N_("Request too large")),
                "status": 413,
                "detail": gettext(locale, N_("The request body is larger than {limit} bytes."), limit=limit),
                "code": "payload-too-large",
                "instance": scope.get("path"),
            },
            ensure_ascii=False,
        ).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", PROBLEM_JSON.encode()),
                    (b"content-length", str(len(body)).encode()),
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


class Metrics:
    """Counts and times every request by route template (not raw path, so ids don't explode labels)."""

    def __init__(self, registry: CollectorRegistry) -> None:
        self.requests = Counter(
            "gongzhi_http_requests_total", "HTTP requests", ["method", "route", "status"], registry=registry
        )
        self.latency = Histogram(
            "gongzhi_http_request_seconds", "HTTP request latency", ["method", "route"], registry=registry
        )


class SecurityAndMetrics:
    """Adds security headers to every response and records request metrics."""

    def __init__(self, app: ASGIApp, *, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status = 500

        async def wrapped_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers: list[Any] = list(message.get("headers", []))
                present = {k.lower() for k, _ in headers}
                for name, value in SECURITY_HEADERS.items():
                    if name.lower().encode() not in present:
                        headers.append((name.encode(), value.encode()))
                path = scope.get("path", "")
                if b"content-security-policy" not in present and not path.startswith("/api/docs"):
                    headers.append((b"content-security-policy", CONTENT_SECURITY_POLICY.encode()))
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, wrapped_send)
        finally:
            route = scope.get("route")
            template = getattr(route, "path", None) or "unmatched"
            self.metrics.requests.labels(scope["method"], template, str(status)).inc()
            self.metrics.latency.labels(scope["method"], template).observe(time.perf_counter() - start)
