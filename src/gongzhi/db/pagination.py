"""Keyset pagination: stable pages by ascending id, with an opaque cursor."""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import Select
from sqlalchemy.orm import InstrumentedAttribute, Session

from gongzhi.errors import InvalidInput
from gongzhi.i18n import N_

T = TypeVar("T")
MAX_PAGE_SIZE = 500


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of results and the cursor of the next page (None on the last page)."""

    items: list[T]
    next_cursor: str | None


def encode_cursor(last_id: int) -> str:
    return base64.urlsafe_b64encode(json.dumps({"after": last_id}).encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    """The id after which the page starts; InvalidInput for a cursor we did not make."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        after = json.loads(raw)["after"]
    except (binascii.Error, ValueError, KeyError, TypeError) as exc:
        raise InvalidInput(N_("The page cursor is not valid."), field="cursor") from exc
    if not isinstance(after, int) or isinstance(after, bool):
        raise InvalidInput(N_("The page cursor is not valid."), field="cursor")
    return after


def paginate(
    session: Session,
    stmt: Select[Any],
    *,
    key: InstrumentedAttribute[int],
    cursor: str | None,
    limit: int,
    descending: bool = False,
) -> Page[Any]:
    """Run ``stmt`` ordered by ``key`` (ascending, or descending) and return at most ``limit`` rows after ``cursor``."""
    rows = list(session.scalars(_window(stmt, key, cursor, limit, descending)))
    more = len(rows) > limit
    items = rows[:limit]
    return Page(items=items, next_cursor=encode_cursor(getattr(items[-1], key.key)) if more else None)


def paginate_rows(
    session: Session,
    stmt: Select[Any],
    *,
    key: Any,
    key_label: str,
    cursor: str | None,
    limit: int,
    descending: bool = False,
) -> Page[Any]:
    """Like :func:`paginate`, for statements that select columns (rows); ``key_label`` names the key's column."""
    rows = list(session.execute(_window(stmt, key, cursor, limit, descending)))
    more = len(rows) > limit
    items = rows[:limit]
    return Page(items=items, next_cursor=encode_cursor(items[-1]._mapping[key_label]) if more else None)


def _window(stmt: Select[Any], key: Any, cursor: str | None, limit: int, descending: bool) -> Select[Any]:
    """``stmt`` after the cursor, in key order, one row more than the page (to know if another follows)."""
    if not 1 <= limit <= MAX_PAGE_SIZE:
        raise InvalidInput(N_("The page size must be between 1 and {max}."), field="limit", max=MAX_PAGE_SIZE)
    if cursor:
        after = decode_cursor(cursor)
        stmt = stmt.where(key < after if descending else key > after)
    return stmt.order_by(key.desc() if descending else key).limit(limit + 1)
