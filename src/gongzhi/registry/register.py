"""The public register (公示): approved, suspended and revoked filings, public fields only.

Everything here reads through the public schemas: a confidential field cannot reach the public,
because it is never put into a ``RegisterEntry``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from gongzhi.db.pagination import Page, paginate
from gongzhi.errors import NotFound
from gongzhi.i18n import N_
from gongzhi.identity import policy
from gongzhi.identity.models import Organisation
from gongzhi.identity.principal import Principal
from gongzhi.ledger.models import LedgerEntry
from gongzhi.registry.fields import AlgorithmType, Sector
from gongzhi.registry.forms import FilingForm, public_part
from gongzhi.registry.models import AISystem, Filing, TieringRecord
from gongzhi.registry.schemas import RegisterEntry, SystemPublicFields
from gongzhi.registry.workflow import PUBLIC_STATES, FilingState

MAX_QUERY = 100


def _query(
    q: str | None,
    algorithm_type: AlgorithmType | None,
    sector: Sector | None,
    state: FilingState | None,
    region: str | None,
    provider_id: int | None,
) -> Select[Any]:
    stmt = select(Filing).join(AISystem, Filing.system_id == AISystem.id).where(Filing.state.in_(list(PUBLIC_STATES)))
    if q:
        like = f"%{q.strip()[:MAX_QUERY].replace('%', '').replace('_', '')}%"
        stmt = stmt.join(Organisation, Filing.org_id == Organisation.id).where(
            or_(
                AISystem.name.ilike(like),
                AISystem.name_en.ilike(like),
                Filing.filing_number.ilike(like),
                Organisation.name.ilike(like),
                AISystem.purpose.ilike(like),
            )
        )
    if algorithm_type is not None:
        stmt = stmt.where(AISystem.algorithm_type == algorithm_type)
    if sector is not None:
        stmt = stmt.where(AISystem.sector == sector)
    if state is not None:
        stmt = stmt.where(Filing.state == state)
    if region:
        stmt = stmt.where(AISystem.region.ilike(f"%{region.strip()[:MAX_QUERY]}%"))
    if provider_id is not None:
        stmt = stmt.where(Filing.org_id == provider_id)
    return stmt


def search(
    session: Session,
    actor: Principal,
    *,
    q: str | None = None,
    algorithm_type: AlgorithmType | None = None,
    sector: Sector | None = None,
    state: FilingState | None = None,
    region: str | None = None,
    provider_id: int | None = None,
    cursor: str | None = None,
    limit: int = 50,
    with_total: bool = True,
) -> tuple[Page[RegisterEntry], int | None]:
    """Search the public register; newest filing first."""
    policy.authorize(actor, "register.read")
    stmt = _query(q, algorithm_type, sector, state, region, provider_id)
    page = paginate(session, stmt, key=Filing.id, cursor=cursor, limit=limit, descending=True)
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) if with_total else None
    return Page(items=entries(session, page.items), next_cursor=page.next_cursor), total


def get_entry(session: Session, actor: Principal, filing_id: int) -> RegisterEntry:
    """One public entry."""
    policy.authorize(actor, "register.read")
    filing = session.get(Filing, filing_id)
    if filing is None or filing.state not in PUBLIC_STATES:
        raise NotFound(N_("No public register entry {id}."), id=filing_id)
    return entries(session, [filing])[0]


def entries(session: Session, filings: list[Filing]) -> list[RegisterEntry]:
    """Public entries for filings (with their tiers and the ledger entry of their latest decision)."""
    if not filings:
        return []
    ids = [f.id for f in filings]
    system_ids = [f.system_id for f in filings]
    tiers: dict[int, dict[str, str]] = {}
    latest = (
        select(TieringRecord.system_id, TieringRecord.profile_id, func.max(TieringRecord.id).label("last"))
        .where(TieringRecord.system_id.in_(system_ids))
        .group_by(TieringRecord.system_id, TieringRecord.profile_id)
        .subquery()
    )
    for system_id, profile_id, tier_id in session.execute(
        select(TieringRecord.system_id, TieringRecord.profile_id, TieringRecord.tier).join(
            latest, TieringRecord.id == latest.c.last
        )
    ):
        tiers.setdefault(system_id, {})[profile_id] = tier_id
    decisions: dict[str, int] = dict(
        session.execute(
            select(LedgerEntry.subject_id, func.max(LedgerEntry.seq))
            .where(
                LedgerEntry.subject_type == "filing",
                LedgerEntry.subject_id.in_([str(i) for i in ids]),
                LedgerEntry.action.in_(["filing.approve", "filing.suspend", "filing.reinstate", "filing.revoke"]),
            )
            .group_by(LedgerEntry.subject_id)
        ).all()
    )
    out = []
    for filing in filings:
        seq = decisions.get(str(filing.id))
        org = filing.system.organisation
        out.append(
            RegisterEntry(
                filing_id=filing.id,
                filing_number=filing.filing_number or "",
                state=filing.state,
                provider=org.name,
                provider_en=org.name_en,
                system=SystemPublicFields.model_validate(filing.system),
                version=filing.version.version,
                form=public_part(FilingForm.model_validate(filing.form)),
                approved_at=filing.decided_at,
                tiers=tiers.get(filing.system_id, {}),
                ledger_seq=seq,
                proof_url=f"/ledger/entries/{seq}" if seq is not None else None,
            )
        )
    return out


def export_all(session: Session, actor: Principal, **filters: Any) -> Iterator[RegisterEntry]:
    """Every matching public entry, in pages (for CSV/JSON exports)."""
    cursor = None
    while True:
        page, _ = search(session, actor, cursor=cursor, limit=500, with_total=False, **filters)
        yield from page.items
        if not (cursor := page.next_cursor):
            return


CSV_COLUMNS = (
    "filing_number",
    "state",
    "system",
    "system_en",
    "provider",
    "provider_en",
    "algorithm_type",
    "sector",
    "region",
    "version",
    "purpose",
    "approved_at",
    "tier_cn",
    "tier_eu",
    "proof_url",
)


def safe_cell(value: str) -> str:
    """Keep spreadsheet programs from running a cell as a formula (CSV injection)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def csv_row(entry: RegisterEntry) -> list[str]:
    system = entry.system
    return [safe_cell(cell) for cell in _cells(entry, system)]


def _cells(entry: RegisterEntry, system: SystemPublicFields) -> list[str]:
    return [
        entry.filing_number,
        entry.state.value,
        system.name,
        system.name_en or "",
        entry.provider,
        entry.provider_en or "",
        system.algorithm_type.value,
        system.sector.value,
        system.region,
        entry.version,
        system.purpose,
        entry.approved_at.isoformat() if entry.approved_at else "",
        entry.tiers.get("gongzhi.tiering.cn@1", ""),
        entry.tiers.get("gongzhi.tiering.eu-ai-act@1", ""),
        entry.proof_url or "",
    ]


def to_csv(rows: Iterator[RegisterEntry]) -> Iterator[str]:
    """CSV (UTF-8 with a BOM so that spreadsheet programs read Chinese correctly)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    yield "\ufeff" + buffer.getvalue()
    for entry in rows:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(csv_row(entry))
        yield buffer.getvalue()
