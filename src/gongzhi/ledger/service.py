"""Writing to the ledger: ``record`` appends one entry inside the caller's transaction.

Every area's service function calls ``record`` in the same transaction as the change it records,
so the change and its entry commit together or not at all (``ledger.guard`` refuses to commit a
change without one). Writers are serialised on the one-row ``ledger_state`` (``SELECT ... FOR
UPDATE`` on PostgreSQL, the write lock on SQLite), which gives gap-free, duplicate-free sequence
numbers and a consistent tree. Statements are Core inserts: the ledger is on every write path.
"""

from __future__ import annotations

import datetime as dt
import time
import weakref
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Connection, Engine, Table, bindparam, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from gongzhi.db.base import utcnow
from gongzhi.db.engine import SessionFactory, transaction
from gongzhi.db.ledger_guard import WRITTEN_FLAG
from gongzhi.db.pagination import Page, paginate
from gongzhi.errors import Conflict, InvalidInput, NotFound
from gongzhi.i18n import N_
from gongzhi.identity import policy
from gongzhi.identity.principal import Principal
from gongzhi.ledger import merkle, signing
from gongzhi.ledger.canonical import canonicalize
from gongzhi.ledger.entry import EntryRecord, entry_leaf_hash, entry_object, format_time
from gongzhi.ledger.keys import SigningKey
from gongzhi.ledger.merkle import Frontier
from gongzhi.ledger.models import LedgerEntry, LedgerNode, LedgerState, SignedTreeHeadRecord
from gongzhi.ledger.signing import SignedTreeHead, TreeHead
from gongzhi.ledger.store import DbNodeStore
from gongzhi.ledger.verify import EXPORT_FORMAT, EXPORT_VERSION

STATE_ROW_ID = 1

_entries = cast(Table, LedgerEntry.__table__)
_nodes = cast(Table, LedgerNode.__table__)
_state = cast(Table, LedgerState.__table__)
_heads = cast(Table, SignedTreeHeadRecord.__table__)

# Built once: the ledger is on every write path, and building statements costs more than running them.
_LOCK_HEAD = select(_state.c.size, _state.c.frontier).where(_state.c.id == STATE_ROW_ID).with_for_update()
_INSERT_ENTRY = insert(_entries)
_INSERT_NODE = insert(_nodes)
_ADVANCE_HEAD = (
    update(_state)
    .where(
        _state.c.id == STATE_ROW_ID, _state.c.size == bindparam("old_size"), _state.c.root_hash == bindparam("old_root")
    )
    .values(size=bindparam("new_size"), frontier=bindparam("new_frontier"), root_hash=bindparam("new_root"))
)
#: The head each engine last wrote, so a lone writer need not read it back before every append.
_HEADS: weakref.WeakKeyDictionary[Engine, Frontier] = weakref.WeakKeyDictionary()
_UPDATE_HEAD = (
    update(_state)
    .where(_state.c.id == STATE_ROW_ID)
    .values(size=bindparam("new_size"), frontier=bindparam("new_frontier"), root_hash=bindparam("new_root"))
)


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


def record_many(target: Session | Connection, changes: Sequence[Change] | Iterable[Change]) -> list[Recorded]:
    """Append several entries in order, with one write of the log's head, inside ``target``'s transaction."""
    changes = list(changes)
    if not changes:
        return []
    # Core execution on the session's connection: same transaction, without the ORM's per-statement work.
    conn = target.connection() if isinstance(target, Session) else target
    now = utcnow()
    cached = _HEADS.get(conn.engine)
    planned = None
    if cached is not None:
        # Fast path: advance the head we last wrote, if it is still the head (same size and root).
        planned = _plan(cached.copy(), changes, now)
        advanced = conn.execute(
            _ADVANCE_HEAD, {**planned.head_params, "old_size": cached.size, "old_root": cached.root()}
        )
        if advanced.rowcount != 1:
            planned = None
    if planned is None:
        row = conn.execute(_LOCK_HEAD).one_or_none()
        if row is None:  # a database created without the migration's seed row
            empty = Frontier()
            conn.execute(
                insert(_state).values(id=STATE_ROW_ID, size=0, frontier=empty.to_bytes(), root_hash=empty.root())
            )
        planned = _plan(Frontier.from_bytes(row.frontier) if row else Frontier(), changes, now)
        conn.execute(_UPDATE_HEAD, planned.head_params)
    conn.execute(_INSERT_ENTRY, planned.entry_rows)
    if planned.node_rows:
        conn.execute(_INSERT_NODE, planned.node_rows)
    # If this transaction rolls back, the cached head is ahead of the table: the next fast path then
    # fails its size-and-root check and falls back to reading the head.
    _HEADS[conn.engine] = planned.frontier
    if isinstance(target, Session):
        target.info[WRITTEN_FLAG] = True
    return planned.recorded


@dataclass
class _Plan:
    frontier: Frontier
    recorded: list[Recorded]
    entry_rows: list[dict[str, Any]]
    node_rows: list[dict[str, Any]]

    @property
    def head_params(self) -> dict[str, Any]:
        return {
            "new_size": self.frontier.size,
            "new_frontier": self.frontier.to_bytes(),
            "new_root": self.frontier.root(),
        }


def _plan(frontier: Frontier, changes: list[Change], now: dt.datetime) -> _Plan:
    """The rows that append ``changes`` to the tree ``frontier`` (which is advanced in place)."""
    time_text = format_time(now)
    plan = _Plan(frontier, [], [], [])
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
        # Level-0 nodes are the entries' own leaf hashes; only the subtrees above them are stored.
        plan.node_rows += [{"level": lv, "index": ix, "hash": h} for lv, ix, h in frontier.append(leaf) if lv]
        plan.entry_rows.append(
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
        plan.recorded.append(Recorded(rec, leaf))
    return plan


# ------------------------------------------------------------------------------------------ reading


@dataclass(frozen=True)
class InclusionProof:
    """An entry's audit path to the root of the tree of ``tree_size`` entries (RFC 9162 2.1.3)."""

    seq: int
    tree_size: int
    leaf_hash: bytes
    path: list[bytes]
    root_hash: bytes


@dataclass(frozen=True)
class ConsistencyProof:
    """Proof that the tree of ``first`` entries is a prefix of the tree of ``second`` (RFC 9162 2.1.4)."""

    first: int
    second: int
    first_root: bytes
    second_root: bytes
    path: list[bytes]


def authorize_read(actor: Principal) -> None:
    """The ledger is public; this still goes through the policy, like every read."""
    policy.authorize(actor, "ledger.read")


def latest_audit_result(session: Session) -> dict[str, Any] | None:
    """The report of the newest finished audit job, with when it finished (for large logs)."""
    from gongzhi.jobs.models import Job
    from gongzhi.jobs.rules import JobState
    from gongzhi.ledger.kinds import AUDIT

    job = session.scalars(
        select(Job).where(Job.kind == AUDIT.id, Job.state == JobState.succeeded).order_by(Job.id.desc()).limit(1)
    ).first()
    if job is None or job.result is None:
        return None
    return {**job.result, "finished_at": job.finished_at}


def check_live_audit_size(session: Session, limit: int) -> None:
    """Refuse a live audit of a log larger than ``limit`` entries (those run as a job)."""
    size = log_size(session)
    if size > limit:
        raise Conflict(
            N_(
                "The ledger has {size} entries, more than {limit} to verify while you wait; start an audit job instead."
            ),
            size=size,
            limit=limit,
        )


def log_size(session: Session) -> int:
    """How many entries the log holds."""
    return int(session.scalar(select(_state.c.size).where(_state.c.id == STATE_ROW_ID)) or 0)


def record_of(row: Any) -> EntryRecord:
    """The entry as hashed, from a ledger_entries row or LedgerEntry object."""
    return EntryRecord(
        seq=int(row.seq),
        time=format_time(row.time),
        actor_user=row.actor,
        actor_org=row.actor_org,
        action=row.action,
        subject_type=row.subject_type,
        subject_id=row.subject_id,
        payload=row.payload,
    )


def get_entry(session: Session, actor: Principal, seq: int) -> tuple[EntryRecord, bytes]:
    """One entry as hashed, with its stored leaf hash."""
    policy.authorize(actor, "ledger.read")
    row = session.execute(select(_entries).where(_entries.c.seq == seq)).one_or_none()
    if row is None:
        raise NotFound(N_("No ledger entry with sequence number {seq}."), seq=seq)
    return record_of(row), bytes(row.leaf_hash)


def list_entries(
    session: Session,
    actor: Principal,
    *,
    subject_type: str | None = None,
    subject_id: str | None = None,
    action: str | None = None,
    cursor: str | None = None,
    limit: int = 100,
    newest_first: bool = False,
) -> Page[LedgerEntry]:
    """Entries in order (or newest first), optionally about one subject or of one action."""
    policy.authorize(actor, "ledger.read")
    stmt = select(LedgerEntry)
    if subject_type is not None:
        stmt = stmt.where(LedgerEntry.subject_type == subject_type)
    if subject_id is not None:
        stmt = stmt.where(LedgerEntry.subject_id == subject_id)
    if action is not None:
        stmt = stmt.where(LedgerEntry.action == action)
    return paginate(session, stmt, key=LedgerEntry.seq, cursor=cursor, limit=limit, descending=newest_first)


def trail(session: Session, actor: Principal, subject_type: str, subject_id: int | str) -> list[LedgerEntry]:
    """The entries about one record, oldest first (at most the newest 200)."""
    page = list_entries(
        session, actor, subject_type=subject_type, subject_id=str(subject_id), limit=200, newest_first=True
    )
    return list(reversed(page.items))


def _check_size(session: Session, size: int, *, name: str) -> int:
    current = log_size(session)
    if not 0 <= size <= current:
        raise InvalidInput(N_("{name} must be between 0 and the log size {size}."), field=name, name=name, size=current)
    return current


def root_at(session: Session, size: int) -> bytes:
    """The Merkle root of the first ``size`` entries, from the stored subtrees."""
    return merkle.root_at(size, DbNodeStore(session))


def inclusion_proof(session: Session, actor: Principal, seq: int, tree_size: int) -> InclusionProof:
    """The audit path of entry ``seq`` in the tree of ``tree_size`` entries (one database query)."""
    policy.authorize(actor, "ledger.read")
    if not 0 <= seq < tree_size:
        raise InvalidInput(
            N_("The entry {seq} is not in a tree of {size} entries."), field="seq", seq=seq, size=tree_size
        )
    store = DbNodeStore(session)
    nodes = store.get_many(merkle.nodes_for_inclusion(seq, tree_size) + merkle.nodes_for_root(tree_size) + [(0, seq)])
    try:
        path = merkle.inclusion_proof_from_nodes(seq, tree_size, nodes)
        root = merkle.root_from_nodes(tree_size, nodes)
    except merkle.MissingNodeError:  # the log is smaller than tree_size (checked only then: a query less)
        _check_size(session, tree_size, name="tree_size")
        raise
    return InclusionProof(seq=seq, tree_size=tree_size, leaf_hash=nodes[(0, seq)], path=path, root_hash=root)


def consistency_proof(session: Session, actor: Principal, first: int, second: int) -> ConsistencyProof:
    """Proof that the log of ``second`` entries extends the log of ``first`` entries without changes."""
    policy.authorize(actor, "ledger.read")
    if not 0 <= first <= second:
        raise InvalidInput(N_("first must be between 0 and second."), field="first")
    nodes = DbNodeStore(session).get_many(
        merkle.nodes_for_consistency(first, second) + merkle.nodes_for_root(first) + merkle.nodes_for_root(second)
    )
    try:
        return ConsistencyProof(
            first=first,
            second=second,
            first_root=merkle.root_from_nodes(first, nodes),
            second_root=merkle.root_from_nodes(second, nodes),
            path=merkle.consistency_proof_from_nodes(first, second, nodes),
        )
    except merkle.MissingNodeError:  # the log is smaller than ``second`` (checked only then: a query less)
        _check_size(session, second, name="second")
        raise


# ------------------------------------------------------------------------------------- tree heads


def sth_of(row: Any) -> SignedTreeHead:
    """A signed tree head from a ledger_tree_heads row or record."""
    head = TreeHead(tree_size=int(row.tree_size), root_hash=bytes(row.root_hash), timestamp_ms=int(row.timestamp_ms))
    return SignedTreeHead(head=head, signature=bytes(row.signature), key_id=row.key_id)


def latest_tree_head(session: Session, actor: Principal) -> SignedTreeHead | None:
    """The newest signed tree head, if any has been signed."""
    policy.authorize(actor, "ledger.read")
    row = session.execute(select(_heads).order_by(_heads.c.tree_size.desc()).limit(1)).one_or_none()
    return sth_of(row) if row is not None else None


def tree_head_at(session: Session, actor: Principal, tree_size: int) -> SignedTreeHead:
    """The signed tree head of one size."""
    policy.authorize(actor, "ledger.read")
    row = session.execute(select(_heads).where(_heads.c.tree_size == tree_size)).one_or_none()
    if row is None:
        raise NotFound(N_("No signed tree head for size {size}."), size=tree_size)
    return sth_of(row)


def list_tree_heads(
    session: Session, actor: Principal, *, cursor: str | None = None, limit: int = 100
) -> Page[SignedTreeHeadRecord]:
    """Every signed tree head, oldest first."""
    policy.authorize(actor, "ledger.read")
    return paginate(
        session, select(SignedTreeHeadRecord), key=SignedTreeHeadRecord.tree_size, cursor=cursor, limit=limit
    )


def all_tree_heads(session: Session) -> list[SignedTreeHead]:
    """Every signed tree head, oldest first (for exports and audits)."""
    return [sth_of(row) for row in session.execute(select(_heads).order_by(_heads.c.tree_size))]


def sign_tree_head(session: Session, key: SigningKey) -> SignedTreeHead:
    """Sign the log at its current size, unless the newest head already covers it (the operator's act).

    The root is recomputed from the stored subtrees and must equal the log head's root; a mismatch
    means the tables were altered, and nothing is signed.
    """
    size = log_size(session)
    latest = session.execute(select(_heads).order_by(_heads.c.tree_size.desc()).limit(1)).one_or_none()
    if latest is not None and int(latest.tree_size) >= size:
        return sth_of(latest)
    root = root_at(session, size)
    stored_root = session.scalar(select(_state.c.root_hash).where(_state.c.id == STATE_ROW_ID))
    if stored_root is not None and bytes(stored_root) != root:
        raise Conflict(N_("The ledger's stored tree does not match its head; run `gongzhi ledger verify`."))
    previous_ms = int(latest.timestamp_ms) if latest is not None else 0
    head = TreeHead(tree_size=size, root_hash=root, timestamp_ms=max(previous_ms, int(time.time() * 1000)))
    sth = signing.sign_tree_head(key.private, head)
    try:
        with session.begin_nested():
            session.execute(
                insert(_heads).values(
                    tree_size=size,
                    root_hash=root,
                    timestamp_ms=head.timestamp_ms,
                    signature=sth.signature,
                    key_id=sth.key_id,
                )
            )
    except IntegrityError:  # another process signed this size a moment ago: theirs stands
        return sth_of(session.execute(select(_heads).where(_heads.c.tree_size == size)).one())
    return sth


def ensure_tree_head(factory: SessionFactory, key: SigningKey) -> SignedTreeHead:
    """Sign the current size in a transaction of its own (readers may call this from a GET)."""
    with transaction(factory) as session:
        return sign_tree_head(session, key)


# ------------------------------------------------------------------------------------------ export


def export_lines(session: Session, actor: Principal, public_key_pem: str, *, batch: int = 5000) -> Iterator[bytes]:
    """The whole log as JSON lines (header, entries with their stored leaf hashes, signed tree heads).

    Stored leaf hashes are exported as they are, so an entry altered in the database shows up as a
    leaf-hash mismatch at its own sequence number when the export is verified.
    """
    policy.authorize(actor, "ledger.read")
    heads = deque(all_tree_heads(session))
    header = {
        "type": "header",
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "public_key": public_key_pem,
        "key_id": signing.key_id(signing.load_public_key_pem(public_key_pem)),
    }
    yield canonicalize(header) + b"\n"
    written = 0
    while heads and heads[0].tree_size <= written:
        yield canonicalize(heads.popleft().to_json()) + b"\n"
    last = -1
    while True:
        rows = session.execute(
            select(_entries).where(_entries.c.seq > last).order_by(_entries.c.seq).limit(batch)
        ).all()
        if not rows:
            break
        for row in rows:
            line = {**entry_object(record_of(row)), "type": "entry", "leaf_hash": bytes(row.leaf_hash).hex()}
            yield canonicalize(line) + b"\n"
            written += 1
            while heads and heads[0].tree_size <= written:
                yield canonicalize(heads.popleft().to_json()) + b"\n"
        last = int(rows[-1].seq)
    for sth in heads:
        yield canonicalize(sth.to_json()) + b"\n"
