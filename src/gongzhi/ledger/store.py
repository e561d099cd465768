"""The Merkle tree's stored complete subtrees, read from ``ledger_nodes`` in one query per proof."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import cast

from sqlalchemy import Table, select, tuple_
from sqlalchemy.orm import Session

from gongzhi.ledger.merkle import Coord
from gongzhi.ledger.models import LedgerNode

_nodes = cast(Table, LedgerNode.__table__)


class DbNodeStore:
    """A ``merkle.NodeStore`` over the ledger_nodes table."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def get_many(self, coords: Sequence[Coord]) -> Mapping[Coord, bytes]:
        if not coords:
            return {}
        rows = self.session.execute(
            select(_nodes.c.level, _nodes.c.index, _nodes.c.hash).where(
                tuple_(_nodes.c.level, _nodes.c.index).in_(list(coords))
            )
        )
        return {(level, index): bytes(digest) for level, index, digest in rows}
