"""The Merkle tree's stored complete subtrees, read from ``ledger_nodes`` in one query per proof."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache

from sqlalchemy import TextClause, text
from sqlalchemy.orm import Session

from gongzhi.ledger.merkle import Coord


@lru_cache(maxsize=1024)
def _lookup(leaves: int, nodes: int) -> TextClause:
    """SELECT of ``leaves`` leaf hashes (level 0, kept in ledger_entries) and ``nodes`` stored subtrees.

    Subtrees are an OR of (level, index) equalities, which both databases answer from the primary key
    (a row-value IN list makes SQLite scan the table); one prepared text statement per shape skips
    SQLAlchemy's per-call statement compilation.
    """
    parts = []
    if leaves:
        seqs = ", ".join(f":s{i}" for i in range(leaves))
        parts.append(f"SELECT 0 AS level, seq AS idx, leaf_hash AS hash FROM ledger_entries WHERE seq IN ({seqs})")
    if nodes:
        terms = " OR ".join(f'(level = :l{i} AND "index" = :i{i})' for i in range(nodes))
        parts.append(f'SELECT level, "index" AS idx, hash FROM ledger_nodes WHERE {terms}')
    return text(" UNION ALL ".join(parts))


class DbNodeStore:
    """A ``merkle.NodeStore`` over ledger_entries (the leaves) and ledger_nodes (complete subtrees above them)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def get_many(self, coords: Sequence[Coord]) -> Mapping[Coord, bytes]:
        wanted = sorted(set(coords))
        if not wanted:
            return {}
        leaves = [index for level, index in wanted if level == 0]
        nodes = [(level, index) for level, index in wanted if level > 0]
        params: dict[str, int] = {f"s{i}": seq for i, seq in enumerate(leaves)}
        for i, (level, index) in enumerate(nodes):
            params[f"l{i}"] = level
            params[f"i{i}"] = index
        rows = self.session.execute(_lookup(len(leaves), len(nodes)), params)
        return {(int(level), int(index)): bytes(digest) for level, index, digest in rows}
