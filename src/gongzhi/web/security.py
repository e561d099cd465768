"""Browser security: the CSRF token, cookie flags and response headers."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import secrets

from starlette.requests import Request
from starlette.responses import Response

from gongzhi.config import Settings

SESSION_COOKIE = "gongzhi_session"
CSRF_COOKIE = "gongzhi_csrf"
LANG_COOKIE = "gongzhi_lang"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

#: Pages and HTMX fragments: our own scripts and styles only, no framing, no plugins.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


def csrf_browser_value(request: Request) -> str:
    """This browser's CSRF cookie value, created for the response when the browser has none yet."""
    value = request.cookies.get(CSRF_COOKIE) or getattr(request.state, "new_csrf_value", None)
    if not value or len(value) > 128:
        value = secrets.token_urlsafe(32)
        request.state.new_csrf_value = value
    return value


def csrf_token_for(secret: bytes, browser_value: str) -> str:
    """The token that forms and HTMX send back: an HMAC of the browser's cookie value."""
    return hmac.new(secret, b"csrf:" + browser_value.encode(), hashlib.sha256).hexdigest()


def csrf_valid(secret: bytes, request: Request, presented: str | None) -> bool:
    """True when ``presented`` matches this browser's CSRF cookie."""
    browser_value = request.cookies.get(CSRF_COOKIE)
    if not browser_value or not presented:
        return False
    return hmac.compare_digest(csrf_token_for(secret, browser_value), presented)


def cookie_secure(settings: Settings, request: Request) -> bool:
    """Whether cookies get the Secure flag: always on HTTPS and off-host; 'auto' allows plain HTTP on loopback."""
    if settings.cookie_secure == "always":
        return True
    if settings.cookie_secure == "never":
        return False
    if request.url.scheme == "https":
        return True
    return not _is_loopback(request.url.hostname or "")


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def set_cookie(
    response: Response,
    request: Request,
    settings: Settings,
    name: str,
    value: str,
    *,
    max_age: int | None = None,
    samesite: str = "lax",
) -> None:
    """Set a cookie with HttpOnly, SameSite and (when it applies) Secure."""
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        httponly=True,
        samesite=samesite,  # type: ignore[arg-type]
        secure=cookie_secure(settings, request),
        path="/",
    )
