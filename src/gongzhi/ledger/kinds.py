"""Ledger job kinds: a full audit of the live ledger, for logs too large to verify while one waits."""

from __future__ import annotations

from typing import Any

from gongzhi.i18n import N_
from gongzhi.identity.principal import SYSTEM
from gongzhi.jobs.context import JobContext
from gongzhi.jobs.kinds import JobKind


def run_audit(ctx: JobContext) -> dict[str, Any]:
    """Verify every entry, tree head and stored subtree; the result is the audit report."""
    from gongzhi.ledger import keys
    from gongzhi.ledger.audit import audit
    from gongzhi.ledger.schemas import AuditOut

    ctx.progress(0.0, N_("Verifying the ledger"))
    with ctx.factory() as session:
        report = audit(session, SYSTEM, signing_key_pem=keys.for_settings(ctx.settings).public_pem)
    return AuditOut.of(report).model_dump(mode="json")


AUDIT = JobKind(id="gongzhi.ledger.audit@1", run=run_audit, resumable=True)

#: The area's job kinds (``Area.job_kinds``).
KINDS: dict[str, JobKind] = {AUDIT.id: AUDIT}
