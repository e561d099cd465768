"""Shapes shared by every area's API."""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from pydantic import BaseModel

from gongzhi.db.pagination import Page

T = TypeVar("T", bound=BaseModel)


class PageOut(BaseModel, Generic[T]):
    """One page of a list; pass ``next_cursor`` as ``?cursor=`` to get the next page (null on the last)."""

    items: list[T]
    next_cursor: str | None

    @classmethod
    def of(cls, page: Page[Any], schema: type[T]) -> PageOut[T]:
        """Turn a service page of rows into the API page of ``schema``."""
        return PageOut[schema](  # type: ignore[valid-type]
            items=[schema.model_validate(item) for item in page.items], next_cursor=page.next_cursor
        )
