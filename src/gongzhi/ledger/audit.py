"""Security audit (安全审计) of the live ledger: the export verifier plus the database's own structures.

``audit`` streams the log out of the database exactly as ``gongzhi ledger export`` writes it and runs
the offline verifier over it (every leaf hash, the order, every signed tree head), then checks what
only the database has: the stored subtrees and the log head must agree with the entries.
"""

from __future__ import annotations

from typing import cast

from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from gongzhi.identity.principal import Principal
from gongzhi.ledger import merkle
from gongzhi.ledger.models import LedgerEntry, LedgerState
from gongzhi.ledger.service import STATE_ROW_ID, export_lines, log_size, root_at
from gongzhi.ledger.signing import load_public_key_pem
from gongzhi.ledger.verify import Problem, VerifyReport, verify_export

_entries = cast(Table, LedgerEntry.__table__)
_state = cast(Table, LedgerState.__table__)


def audit(
    session: Session,
    actor: Principal,
    *,
    signing_key_pem: str,
    trusted_key_pem: str | None = None,
    workers: int | None = None,
) -> VerifyReport:
    """Verify the whole ledger in the database; the report names the first problem found.

    ``trusted_key_pem`` is the public key an auditor obtained independently (published, pinned);
    without it the operator's current key is used, which cannot reveal a replaced key.
    """
    trusted = load_public_key_pem(trusted_key_pem) if trusted_key_pem else None
    report = verify_export(export_lines(session, actor, signing_key_pem), trusted, workers=workers)
    if not report.ok:
        return report
    problem = _database_problem(session, report.entries)
    if problem is None:
        return report
    return VerifyReport(
        entries=report.entries,
        tree_heads=report.tree_heads,
        signed_size=report.signed_size,
        key_id=report.key_id,
        problem=problem,
    )


def _database_problem(session: Session, entries: int) -> Problem | None:
    size = log_size(session)
    if size != entries:
        return Problem(
            kind="log_size_mismatch",
            tree_size=size,
            message=f"the log head says {size} entries but the table holds {entries} in sequence",
        )
    leaves = (bytes(h) for h in session.scalars(select(_entries.c.leaf_hash).order_by(_entries.c.seq)))
    expected = merkle.root_from_leaves(leaves)
    stored_head = session.scalar(select(_state.c.root_hash).where(_state.c.id == STATE_ROW_ID))
    try:
        from_nodes = root_at(session, size)
    except merkle.MissingNodeError:
        from_nodes = b""
    if from_nodes != expected or (stored_head is not None and bytes(stored_head) != expected):
        return Problem(
            kind="root_mismatch",
            tree_size=size,
            message=f"the stored Merkle tree or log head does not match the entries at size {size}",
        )
    return None
