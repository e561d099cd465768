"""The public register (公示): approved, suspended and revoked filings, public fields only.

Everything here reads through the public schemas: a confidential field cannot reach the public,
because it is never put into a ``RegisterEntry``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any, cast

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from gongzhi.db.pagination import Page, paginate, paginate_rows
from gongzhi.errors import NotFound
from gongzhi.i18n import N_
from gongzhi.identity import policy
from gongzhi.identity.models import Organisation
from gongzhi.identity.principal import Principal
from gongzhi.registry.fields import AlgorithmType, Sector
from gongzhi.registry.forms import FilingForm, public_part
from gongzhi.registry.models import AISystem, Filing, SystemVersion
from gongzhi.registry.schemas import RegisterEntry, RegisterSummary, SystemPublicFields
from gongzhi.registry.workflow import PUBLIC_STATES, FilingState

MAX_QUERY = 100

#: One query for a page of summaries: the filing, its system, provider and version, nothing else.
SUMMARY: Select[Any] = cast(  # the columns are read by name in _summary
    "Select[Any]",
    select(
        Filing.id.label("filing_id"),
        Filing.filing_number,
        Filing.state,
        Filing.decided_at,
        Filing.decision_seq,
        AISystem.name.label("system_name"),
        AISystem.name_en.label("system_name_en"),
        AISystem.algorithm_type,
        AISystem.sector,
        AISystem.region,
        AISystem.tiers,
        Organisation.name.label("provider"),
        Organisation.name_en.label("provider_en"),
        SystemVersion.version,
    )
    .join(AISystem, Filing.system_id == AISystem.id)
    .join(Organisation, AISystem.org_id == Organisation.id)
    .join(SystemVersion, Filing.version_id == SystemVersion.id),
)


def search_text(filing: Filing) -> str:
    """What the register's search looks in (lower case): names, provider, filing number, purpose."""
    system = filing.system
    parts = [
        system.name,
        system.name_en or "",
        system.organisation.name,
        system.organisation.name_en or "",
        filing.filing_number or "",
        system.purpose,
    ]
    return " | ".join(parts).lower()


def _filtered(
    stmt: Select[Any],
    q: str | None,
    algorithm_type: AlgorithmType | None,
    sector: Sector | None,
    state: FilingState | None,
    region: str | None,
    provider_id: int | None,
) -> Select[Any]:
    stmt = stmt.where(Filing.state.in_(list(PUBLIC_STATES)))
    if q:
        term = q.strip()[:MAX_QUERY].lower().replace("%", "").replace("_", "")
        stmt = stmt.where(Filing.search_text.like(f"%{term}%"))  # a trigram index answers this on PostgreSQL
    if algorithm_type is not None:
        stmt = stmt.where(AISystem.algorithm_type == algorithm_type)
    if sector is not None:
        stmt = stmt.where(AISystem.sector == sector)
    if state is not None:
        stmt = stmt.where(Filing.state == state)
    if region:
        stmt = stmt.where(AISystem.region.like(f"%{region.strip()[:MAX_QUERY]}%"))
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
) -> tuple[Page[RegisterSummary], int | None]:
    """Search the public register, newest filing first (the total only when asked: it costs a count).

    A query that is a whole filing number is answered from its unique index.
    """
    policy.authorize(actor, "register.read")
    filters = (algorithm_type, sector, state, region, provider_id)
    if q and not cursor:
        exact = session.execute(_filtered(SUMMARY.where(Filing.filing_number == q.strip()), None, *filters)).all()
        if exact:
            return Page(items=[_summary(row) for row in exact], next_cursor=None), len(exact)
    stmt = _filtered(SUMMARY, q, *filters)
    page = paginate_rows(
        session, stmt, key=Filing.id, key_label="filing_id", cursor=cursor, limit=limit, descending=True
    )
    total = None
    if with_total:
        counted = _filtered(select(func.count(Filing.id)).join(AISystem, Filing.system_id == AISystem.id), q, *filters)
        total = session.scalar(counted)
    return Page(items=[_summary(row) for row in page.items], next_cursor=page.next_cursor), total


def _summary(row: Any) -> RegisterSummary:
    m = row._mapping
    seq = m["decision_seq"]
    return RegisterSummary(
        filing_id=m["filing_id"],
        filing_number=m["filing_number"] or "",
        state=m["state"],
        provider=m["provider"],
        provider_en=m["provider_en"],
        version=m["version"],
        approved_at=m["decided_at"],
        tiers=dict(m["tiers"] or {}),
        ledger_seq=seq,
        proof_url=f"/ledger/entries/{seq}" if seq is not None else None,
        system_name=m["system_name"],
        system_name_en=m["system_name_en"],
        algorithm_type=m["algorithm_type"],
        sector=m["sector"],
        region=m["region"],
    )


def get_entry(session: Session, actor: Principal, filing_id: int) -> RegisterEntry:
    """One public entry."""
    policy.authorize(actor, "register.read")
    filing = session.get(Filing, filing_id)
    if filing is None or filing.state not in PUBLIC_STATES:
        raise NotFound(N_("No public register entry {id}."), id=filing_id)
    return entries([filing])[0]


def entries(filings: list[Filing]) -> list[RegisterEntry]:
    """Full public entries (public fields, the public part of the form, tiers, the decision's ledger entry)."""
    out = []
    for filing in filings:
        org, seq = filing.system.organisation, filing.decision_seq
        out.append(
            RegisterEntry(
                filing_id=filing.id,
                filing_number=filing.filing_number or "",
                state=filing.state,
                provider=org.name,
                provider_en=org.name_en,
                version=filing.version.version,
                approved_at=filing.decided_at,
                tiers=dict(filing.system.tiers or {}),
                ledger_seq=seq,
                proof_url=f"/ledger/entries/{seq}" if seq is not None else None,
                system=SystemPublicFields.model_validate(filing.system),
                form=public_part(FilingForm.model_validate(filing.form)),
            )
        )
    return out


def export_all(session: Session, actor: Principal, **filters: Any) -> Iterator[RegisterEntry]:
    """Every matching public entry, in pages (for CSV/JSON exports)."""
    policy.authorize(actor, "register.read")
    args = [filters.get(k) for k in ("q", "algorithm_type", "sector", "state", "region", "provider_id")]
    cursor = None
    while True:
        page = paginate(
            session,
            _filtered(select(Filing).join(AISystem, Filing.system_id == AISystem.id), *args),
            key=Filing.id,
            cursor=cursor,
            limit=500,
            descending=True,
        )
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
