"""Errors that service functions raise; the edges turn them into HTTP problems or CLI messages.

Each error carries an English message id (translated where it is shown) and the parameters that
fill it, so the same error reads well in the API (RFC 9457 problem details), on a page and in the CLI.
"""

from __future__ import annotations

from typing import Any, ClassVar

from gongzhi.i18n import N_, gettext


class GongzhiError(Exception):
    """Base class: an expected failure with a clear, translatable message."""

    status: ClassVar[int] = 400
    code: ClassVar[str] = "bad-request"
    title: ClassVar[str] = N_("Bad request")

    def __init__(self, message: str, /, **params: Any) -> None:
        super().__init__(message.format(**params) if params else message)
        self.message = message
        self.params = params

    def detail(self, locale: str) -> str:
        """The message in ``locale``."""
        return gettext(locale, self.message, **self.params)


class NotAuthenticated(GongzhiError):
    """The caller must sign in (or send a valid token) first."""

    status = 401
    code = "not-authenticated"
    title = N_("Sign-in required")


class PermissionDenied(GongzhiError):
    """The caller is known but may not do this."""

    status = 403
    code = "forbidden"
    title = N_("Not allowed")


class NotFound(GongzhiError):
    """No such object, or one the caller may not know exists."""

    status = 404
    code = "not-found"
    title = N_("Not found")


class Conflict(GongzhiError):
    """The object's state does not allow the action (e.g. an illegal transition or a duplicate)."""

    status = 409
    code = "conflict"
    title = N_("Conflict")


class InvalidInput(GongzhiError):
    """The input is malformed or breaks a rule."""

    status = 422
    code = "invalid-input"
    title = N_("Invalid input")

    def __init__(self, message: str, /, *, field: str | None = None, **params: Any) -> None:
        super().__init__(message, **params)
        self.field = field


class PayloadTooLarge(GongzhiError):
    """The request body is larger than allowed."""

    status = 413
    code = "payload-too-large"
    title = N_("Request too large")


class TooManyRequests(GongzhiError):
    """Throttled; try again after ``retry_after`` seconds."""

    status = 429
    code = "too-many-requests"
    title = N_("Too many attempts")

    def __init__(self, message: str, /, *, retry_after: int, **params: Any) -> None:
        super().__init__(message, retry_after=retry_after, **params)
        self.retry_after = retry_after
