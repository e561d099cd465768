"""Tables of the ledger (存证): entries, stored Merkle subtrees, the log's head and signed tree heads."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import BigInteger, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from gongzhi.db.base import Base


class LedgerEntry(Base):
    """One recorded state change (存证记录); its leaf hash is SHA-256(0x00 || canonical entry)."""

    __tablename__ = "ledger_entries"
    __ledger_exempt__ = "the ledger itself"

    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    time: Mapped[dt.datetime]
    actor: Mapped[str] = mapped_column(String(40))
    actor_org: Mapped[str | None] = mapped_column(String(40))
    action: Mapped[str] = mapped_column(String(80), index=True)
    subject_type: Mapped[str] = mapped_column(String(60))
    subject_id: Mapped[str] = mapped_column(String(80))
    payload: Mapped[dict[str, Any]]
    leaf_hash: Mapped[bytes] = mapped_column(LargeBinary(32))


class LedgerNode(Base):
    """The hash of a complete, aligned subtree: leaves [index * 2**level, (index + 1) * 2**level)."""

    __tablename__ = "ledger_nodes"
    __ledger_exempt__ = "derived from the entries"

    level: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    index: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    hash: Mapped[bytes] = mapped_column(LargeBinary(32))


class LedgerState(Base):
    """The one-row head of the log: its size and the frontier of the Merkle tree (locked by writers)."""

    __tablename__ = "ledger_state"
    __ledger_exempt__ = "derived from the entries"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    size: Mapped[int] = mapped_column(BigInteger)
    frontier: Mapped[bytes] = mapped_column(LargeBinary)
    root_hash: Mapped[bytes] = mapped_column(LargeBinary(32))


class SignedTreeHeadRecord(Base):
    """A signed tree head (签名树头): the operator's signed statement of the log at one size."""

    __tablename__ = "ledger_tree_heads"
    __ledger_exempt__ = "signatures over the ledger"

    tree_size: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    root_hash: Mapped[bytes] = mapped_column(LargeBinary(32))
    timestamp_ms: Mapped[int] = mapped_column(BigInteger)
    signature: Mapped[bytes] = mapped_column(LargeBinary(64))
    key_id: Mapped[str] = mapped_column(String(64))
