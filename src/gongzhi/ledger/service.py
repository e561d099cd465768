"""Writing to the ledger: ``record`` appends one entry inside the caller's transaction.

Every area's service function calls ``record`` in the same transaction as the change it records,
so the change and its entry commit together or not at all (``ledger.guard`` refuses to commit a
change without one). Writers are serialised on the one-row ``ledger_state`` (``SELECT ... FOR
UPDATE`` on PostgreSQL, the write lock on SQLite), which gives gap-free, duplicate-free sequence
numbers and a consistent tree. Statements are Core inserts: the ledger is on every write path.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from gongzhi.db.base import utcnow
from gongzhi.db.ledger_guard import WRITTEN_FLAG
from gongzhi.identity.principal import Principal
from gongzhi.ledger.entry import EntryRecord, entry_leaf_hash, format_time
from gongzhi.ledger.merkle import Frontier
from gongzhi.ledger.models import LedgerEntry, LedgerNode, LedgerState

STATE_ROW_ID = 1

_entries = LedgerEntry.__table__
_nodes = LedgerNode.__table__
_state = LedgerState.__table__


@dataclass(frozen=True)
class Change:
    """One change to record, for :func:`record_many`."""

    actor: Principal
    action: str
    subject_type: str
    subject_id: int | str
    payload: dict[str, Any]


@dataclass(frozen=True)
class Recorded:
    """An appended entry: its record (as hashed) and leaf hash."""

    record: EntryRecord
    leaf_hash: bytes

    @property
    def seq(self) -> int:
        return self.record.seq


def record(
    session: Session,
    *,
    actor: Principal,
    action: str,
    subject_type: str,
    subject_id: int | str,
    payload: dict[str, Any],
) -> Recorded:
    """Append one entry (存证记录) describing a state change; returns it with its sequence number.

    The payload is public: put ids, states and digests in it, never personal or confidential data.
    """
    return record_many(session, [Change(actor, action, subject_type, subject_id, payload)])[0]


def record_many(session: Session, changes: Sequence[Change] | Iterable[Change]) -> list[Recorded]:
    """Append several entries in order, under one lock and with one write of the log's head."""
    changes = list(changes)
    if not changes:
        return []
    row = session.execute(
        select(_state.c.size, _state.c.frontier).where(_state.c.id == STATE_ROW_ID).with_for_update()
    ).one_or_none()
    if row is None:  # a database created without the migration's seed row
        frontier = Frontier()
        session.execute(
            insert(_state).values(id=STATE_ROW_ID, size=0, frontier=frontier.to_bytes(), root_hash=frontier.root())
        )
    else:
        frontier = Frontier.from_bytes(row.frontier)
    now = utcnow()
    time_text = format_time(now)
    entry_rows: list[dict[str, Any]] = []
    node_rows: list[dict[str, Any]] = []
    recorded: list[Recorded] = []
    for change in changes:
        rec = EntryRecord(
            seq=frontier.size,
            time=time_text,
            actor_user=change.actor.label(),
            actor_org=str(change.actor.org_id) if change.actor.org_id is not None else None,
            action=change.action,
            subject_type=change.subject_type,
            subject_id=str(change.subject_id),
            payload=change.payload,
        )
        leaf = entry_leaf_hash(rec)  # raises on a payload that is not plain JSON
        node_rows += [{"level": lv, "index": ix, "hash": h} for lv, ix, h in frontier.append(leaf)]
        entry_rows.append(
            {
                "seq": rec.seq,
                "time": now,
                "actor": rec.actor_user,
                "actor_org": rec.actor_org,
                "action": rec.action,
                "subject_type": rec.subject_type,
                "subject_id": rec.subject_id,
                "payload": rec.payload,
                "leaf_hash": leaf,
            }
        )
        recorded.append(Recorded(rec, leaf))
    session.execute(insert(_entries), entry_rows)
    session.execute(insert(_nodes), node_rows)
    session.execute(
        update(_state)
        .where(_state.c.id == STATE_ROW_ID)
        .values(size=frontier.size, frontier=frontier.to_bytes(), root_hash=frontier.root())
    )
    session.info[WRITTEN_FLAG] = True
    return recorded
