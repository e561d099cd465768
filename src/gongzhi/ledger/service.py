"""Writing to the ledger: ``record`` appends one entry inside the caller's transaction.

Every area's service function calls ``record`` in the same transaction as the change it records,
so the change and its entry commit together or not at all. Writers are serialised on the one-row
``ledger_state`` (``SELECT ... FOR UPDATE`` on PostgreSQL, the write lock on SQLite), which gives
gap-free, duplicate-free sequence numbers and a consistent tree.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from gongzhi.db.base import utcnow
from gongzhi.identity.principal import Principal
from gongzhi.ledger.entry import EntryRecord, entry_leaf_hash, format_time
from gongzhi.ledger.merkle import Frontier
from gongzhi.ledger.models import LedgerEntry, LedgerNode, LedgerState

STATE_ROW_ID = 1


def record(
    session: Session,
    *,
    actor: Principal,
    action: str,
    subject_type: str,
    subject_id: int | str,
    payload: dict[str, Any],
) -> LedgerEntry:
    """Append one entry (存证记录) describing a state change; returns it with its sequence number.

    The payload is public: put ids, states and digests in it, never personal or confidential data.
    """
    state = session.get(LedgerState, STATE_ROW_ID, with_for_update=True, populate_existing=True)
    if state is None:
        state = LedgerState(id=STATE_ROW_ID, size=0, frontier=Frontier().to_bytes(), root_hash=Frontier().root())
        session.add(state)
    now = utcnow()
    rec = EntryRecord(
        seq=state.size,
        time=format_time(now),
        actor_user=actor.label(),
        actor_org=str(actor.org_id) if actor.org_id is not None else None,
        action=action,
        subject_type=subject_type,
        subject_id=str(subject_id),
        payload=payload,
    )
    leaf = entry_leaf_hash(rec)
    frontier = Frontier.from_bytes(state.frontier)
    new_nodes = frontier.append(leaf)
    entry = LedgerEntry(
        seq=rec.seq,
        time=now,
        actor=rec.actor_user,
        actor_org=rec.actor_org,
        action=action,
        subject_type=subject_type,
        subject_id=rec.subject_id,
        payload=payload,
        leaf_hash=leaf,
    )
    session.add(entry)
    session.add_all(LedgerNode(level=level, index=index, hash=digest) for level, index, digest in new_nodes)
    state.size = rec.seq + 1
    state.frontier = frontier.to_bytes()
    state.root_hash = frontier.root()
    return entry
