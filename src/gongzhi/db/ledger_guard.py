"""No state change without its ledger entry: sessions refuse to commit an unrecorded change.

Every session made by ``make_session_factory`` carries this guard. A transaction that inserts,
updates or deletes rows of a ledgered table (ORM objects or Core statements) must also have called
``ledger.service.record`` before it commits; otherwise the commit raises ``UnledgeredChange`` and
nothing is written. Operational tables opt out with ``__ledger_exempt__ = "why"``; operational
columns (progress, heartbeats, last use) with ``__ledger_exempt_columns__``.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from sqlalchemy import event, inspect
from sqlalchemy.orm import ORMExecuteState, Session, sessionmaker

WRITTEN_FLAG = "gongzhi.ledger.written"
CHANGED_FLAG = "gongzhi.ledger.changed"
SUSPENDED_FLAG = "gongzhi.ledger.suspended"


class UnledgeredChange(RuntimeError):
    """A transaction changed ledgered data without recording the change in the ledger."""


@lru_cache(maxsize=1)
def _rules() -> dict[str, tuple[bool, frozenset[str]]]:
    """Table name -> (whole table exempt, exempt columns), from the mapped classes."""
    from gongzhi.db.base import Base

    rules: dict[str, tuple[bool, frozenset[str]]] = {}
    for mapper in Base.registry.mappers:
        cls = mapper.class_
        table = getattr(cls, "__tablename__", None)
        if table:
            rules[table] = (
                bool(getattr(cls, "__ledger_exempt__", None)),
                frozenset(getattr(cls, "__ledger_exempt_columns__", frozenset())),
            )
    return rules


def _ledgered(table: str, columns: set[str] | None) -> bool:
    """True when a write to ``columns`` of ``table`` (None = the whole row) must be ledgered."""
    exempt, exempt_columns = _rules().get(table, (False, frozenset()))
    if exempt:
        return False
    return columns is None or bool(columns - exempt_columns)


def _pending_changes(session: Session) -> list[str]:
    """Names of ledgered tables with unflushed ORM changes."""
    found = []
    for obj in list(session.new) + list(session.deleted):
        table = getattr(obj, "__tablename__", "")
        if _ledgered(table, None):
            found.append(table)
    for obj in session.dirty:
        state = inspect(obj)
        changed = {attr.key for attr in state.attrs if attr.history.has_changes()}
        table = getattr(obj, "__tablename__", "")
        if changed and _ledgered(table, changed):
            found.append(table)
    return found


def _note(session: Session, tables: list[str]) -> None:
    if tables:
        session.info.setdefault(CHANGED_FLAG, set()).update(tables)


def _before_flush(session: Session, _context: Any, _instances: Any) -> None:
    _note(session, _pending_changes(session))


def _on_execute(state: ORMExecuteState) -> None:
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    target = getattr(state.statement, "table", None)
    table = getattr(target, "name", "")
    columns: set[str] | None = None
    if state.is_update and target is not None:
        # The SET clause's columns: from .values(...) (kept in the statement's _values) and from
        # executemany parameter rows. Anything we cannot tell counts as a change of the whole row.
        values = getattr(state.statement, "_values", None) or {}
        keys = {getattr(key, "key", None) or getattr(key, "name", None) or str(key) for key in values}
        params = state.parameters
        for row in params if isinstance(params, list) else [params] if params else []:
            keys |= set(row)
        columns = {c.name for c in target.columns if c.name in keys} or None
    if _ledgered(table, columns):
        _note(state.session, [table])


def _before_commit(session: Session) -> None:
    if session.in_nested_transaction():  # a savepoint is released: the outer transaction decides
        return
    _note(session, _pending_changes(session))
    changed = session.info.get(CHANGED_FLAG)
    if changed and not session.info.get(WRITTEN_FLAG) and not session.info.get(SUSPENDED_FLAG):
        tables = ", ".join(sorted(changed))
        raise UnledgeredChange(f"a change to {tables} was about to be committed without a ledger entry")


SAVEPOINTS = "gongzhi.ledger.savepoints"
FLAGS = (CHANGED_FLAG, WRITTEN_FLAG, SUSPENDED_FLAG)


def _snapshot(session: Session) -> dict[str, Any]:
    return {flag: (set(v) if isinstance(v, set) else v) for flag in FLAGS if (v := session.info.get(flag))}


def _restore(session: Session, snapshot: dict[str, Any]) -> None:
    for flag in FLAGS:
        session.info.pop(flag, None)
    session.info.update(snapshot)


def _savepoint_started(session: Session, transaction: Any) -> None:
    if transaction.nested:
        session.info.setdefault(SAVEPOINTS, []).append(_snapshot(session))


def _after_commit(session: Session) -> None:
    if session.in_nested_transaction():  # a released savepoint: its changes and entries stay with the outer one
        stack = session.info.get(SAVEPOINTS)
        if stack:
            stack.pop()
        return
    _restore(session, {})
    session.info.pop(SAVEPOINTS, None)


def _after_soft_rollback(session: Session, previous: Any) -> None:
    stack = session.info.get(SAVEPOINTS)
    if previous.nested and stack:  # a savepoint rolled back: forget what happened inside it
        _restore(session, stack.pop())
        return
    _restore(session, {})
    session.info.pop(SAVEPOINTS, None)


def install(factory: sessionmaker[Session]) -> None:
    """Guard every session of ``factory`` (savepoints keep or forget what happened inside them)."""
    event.listen(factory, "before_flush", _before_flush)
    event.listen(factory, "do_orm_execute", _on_execute)
    event.listen(factory, "before_commit", _before_commit)
    event.listen(factory, "after_transaction_create", _savepoint_started)
    event.listen(factory, "after_commit", _after_commit)
    event.listen(factory, "after_soft_rollback", _after_soft_rollback)


def suspend(session: Session) -> None:
    """Let the session's current transaction commit without ledger entries — only for test fixtures
    that build a state no use case can reach (an expired token, a job left by an older release)."""
    session.info[SUSPENDED_FLAG] = True
