"""HTML form handling: run a service call and turn expected failures into a message on the form."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from sqlalchemy.orm import Session
from starlette.requests import Request

from gongzhi.errors import GongzhiError
from gongzhi.web.deps import request_locale

T = TypeVar("T")


@dataclass(frozen=True)
class Outcome(Generic[T]):
    """What a form submission came to: a value, or an error message with its HTTP status."""

    value: T | None = None
    error: str | None = None
    status: int = 200


def submit(request: Request, session: Session, action: Callable[[], T]) -> Outcome[T]:
    """Run ``action`` in a savepoint; rule violations become a form error, access errors propagate.

    A refused change is rolled back to the savepoint, so the page can re-render in the same request.
    """
    try:
        with session.begin_nested():
            return Outcome(value=action())
    except GongzhiError as exc:
        if exc.status in (401, 403, 404):
            raise
        return Outcome(error=exc.detail(request_locale(request)), status=exc.status)
