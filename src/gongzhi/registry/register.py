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
from gongzhi.registry.fields import AlgorithmType, Sector
from gongzhi.registry.forms import FilingForm, public_part
from gongzhi.registry.models import AISystem, Filing
from gongzhi.registry.schemas import RegisterEntry, RegisterSummary, SystemPublicFields
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
    with_total: bool = False,
) -> tuple[Page[Filing], int | None]:
    """Search the public register, newest filing first (the total only when asked: it costs a count)."""
    policy.authorize(actor, "register.read")
    stmt = _query(q, algorithm_type, sector, state, region, provider_id)
    page = paginate(session, stmt, key=Filing.id, cursor=cursor, limit=limit, descending=True)
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) if with_total else None
    return page, total


def get_entry(session: Session, actor: Principal, filing_id: int) -> RegisterEntry:
    """One public entry."""
    policy.authorize(actor, "register.read")
    filing = session.get(Filing, filing_id)
    if filing is None or filing.state not in PUBLIC_STATES:
        raise NotFound(N_("No public register entry {id}."), id=filing_id)
    return entries([filing])[0]


def entries(filings: list[Filing]) -> list[RegisterEntry]:
    """Full public entries (public fields, the public part of the form, tiers, the decision's ledger entry)."""
    return [
        RegisterEntry(
            **_summary_fields(f),
            system=SystemPublicFields.model_validate(f.system),
            form=public_part(FilingForm.model_validate(f.form)),
        )
        for f in filings
    ]


def summaries(filings: list[Filing]) -> list[RegisterSummary]:
    """The short form of public entries, for lists and searches."""
    return [
        RegisterSummary(
            **_summary_fields(f),
            system_name=f.system.name,
            system_name_en=f.system.name_en,
            algorithm_type=f.system.algorithm_type,
            sector=f.system.sector,
            region=f.system.region,
        )
        for f in filings
    ]


def _summary_fields(filing: Filing) -> dict[str, Any]:
    org = filing.system.organisation
    seq = filing.decision_seq
    return {
        "filing_id": filing.id,
        "filing_number": filing.filing_number or "",
        "state": filing.state,
        "provider": org.name,
        "provider_en": org.name_en,
        "version": filing.version.version,
        "approved_at": filing.decided_at,
        "tiers": dict(filing.system.tiers or {}),
        "ledger_seq": seq,
        "proof_url": f"/ledger/entries/{seq}" if seq is not None else None,
    }


def export_all(session: Session, actor: Principal, **filters: Any) -> Iterator[RegisterEntry]:
    """Every matching public entry, in pages (for CSV/JSON exports)."""
    cursor = None
    while True:
        page, _ = search(session, actor, cursor=cursor, limit=500, **filters)
        yield from entries(page.items)
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
