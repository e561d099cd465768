"""Data-security use cases: sources, scans (as jobs), the inventory, overrides and masked copies.

Each function takes the session and the acting principal, asks the policy and records every change in
the ledger in the same transaction. Ledger payloads hold ids, states and digests only — never values,
file names of uploads or database URLs.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any, BinaryIO, cast

from sqlalchemy import select
from sqlalchemy.orm import Session

from gongzhi import storage
from gongzhi.config import Settings
from gongzhi.datasec import sources
from gongzhi.datasec.entities import ENTITY_TYPES
from gongzhi.datasec.jobs import MASK, SCAN
from gongzhi.datasec.maskio import MaskPolicy, PolicyError
from gongzhi.datasec.models import DataAsset, DataColumn, DataSource, MaskRun, Scan
from gongzhi.datasec.profiles import grading_profile
from gongzhi.datasec.text import Finding, scan_text
from gongzhi.db.base import utcnow
from gongzhi.db.pagination import Page, paginate
from gongzhi.errors import Conflict, InvalidInput, NotFound
from gongzhi.i18n import N_
from gongzhi.identity import policy
from gongzhi.identity.principal import Principal
from gongzhi.jobs.service import submit_job
from gongzhi.ledger.service import record

MAX_TEXT_CHARS = 100_000


def display_location(source: DataSource) -> str:
    """What a user may see of where a source is."""
    if source.kind == "database":
        return sources.safe_url(source.location)
    if source.kind == "upload":
        return source.filename or source.location[:12]
    return source.location


def _visible(stmt: Any, actor: Principal, table: Any) -> Any:
    if policy.is_operator(actor):
        return stmt
    return stmt.where(table.org_id == actor.org_id) if actor.org_id is not None else stmt.where(table.id < 0)


# ------------------------------------------------------------------------------------------ sources


def register_upload(
    session: Session, actor: Principal, settings: Settings, *, name: str, filename: str, stream: BinaryIO
) -> DataSource:
    """Store an uploaded data file (content-addressed) and register it as a source."""
    policy.authorize(actor, "datasec.source.upload")
    filename = Path(filename or "").name.strip()
    suffix = Path(filename).suffix.lower()
    if suffix not in sources.TABLE_SUFFIXES | sources.TEXT_SUFFIXES | {".json"}:
        raise InvalidInput(N_("Upload a CSV, TSV, Excel, Parquet, JSON Lines or text file."), field="file")
    sha, size = storage.put_file(settings, stream, max_bytes=settings.datasec_max_upload_bytes)
    source = DataSource(
        name=(name or filename).strip()[:200] or filename,
        kind="upload",
        location=sha,
        filename=filename[:300],
        size_bytes=size,
        org_id=actor.org_id,
        created_by_id=actor.user_id,
    )
    session.add(source)
    session.flush()
    record(
        session,
        actor=actor,
        action="datasec.source.register",
        subject_type="datasec_source",
        subject_id=source.id,
        payload={"kind": "upload", "sha256": sha, "size": size},
    )
    return source


def register_location(session: Session, actor: Principal, *, name: str, location: str) -> DataSource:
    """Register a server path or a database URL (operators only: it reads data on the server)."""
    policy.authorize(actor, "datasec.source.register_location")
    location = location.strip()
    kind = "database" if sources.is_database_url(location) else "path"
    if kind == "path" and not Path(location).exists():
        raise InvalidInput(N_("No such file or folder on the server: {path}"), field="location", path=location)
    source = DataSource(
        name=name.strip()[:200], kind=kind, location=location, org_id=actor.org_id, created_by_id=actor.user_id
    )
    session.add(source)
    session.flush()
    record(
        session,
        actor=actor,
        action="datasec.source.register",
        subject_type="datasec_source",
        subject_id=source.id,
        payload={"kind": kind},
    )
    return source


def list_sources(
    session: Session, actor: Principal, *, cursor: str | None = None, limit: int = 100
) -> Page[DataSource]:
    """The sources of the actor's organisation (all of them for operators)."""
    policy.authorize(actor, "datasec.list")
    return paginate(
        session,
        _visible(select(DataSource), actor, DataSource),
        key=DataSource.id,
        cursor=cursor,
        limit=limit,
        descending=True,
    )


def get_source(session: Session, actor: Principal, source_id: int) -> DataSource:
    """One source."""
    source = session.get(DataSource, source_id)
    if source is None:
        policy.authorize(actor, "datasec.list")
        raise NotFound(N_("No data source with id {id}."), id=source_id)
    policy.authorize(actor, "datasec.read", source)
    return source


def source_location(settings: Settings, source: DataSource) -> str:
    """Where the scan engine reads the source (an upload is linked under its original name)."""
    if source.kind != "upload":
        return source.location
    blob = storage.path_of(settings, source.location)
    folder = settings.instance_path("datasec", "named", source.location[:16])
    folder.mkdir(parents=True, exist_ok=True)
    link = folder / (source.filename or "data.csv")
    if not link.exists():
        link.symlink_to(blob.resolve())
    return str(link)


# -------------------------------------------------------------------------------------------- scans


def start_scan(
    session: Session,
    actor: Principal,
    settings: Settings,
    source_id: int,
    *,
    profile: str | None = None,
    sample_rows: int | None = None,
    text_field: str | None = None,
    id_field: str | None = None,
) -> Scan:
    """Queue a scan of a source as a job; the job fills in the inventory."""
    source = get_source(session, actor, source_id)
    policy.authorize(actor, "datasec.scan", source)
    profile_id, _body = grading_profile(profile, settings.profile_dirs)
    if sample_rows is not None and sample_rows < 1:
        raise InvalidInput(N_("The sample must be at least one row."), field="sample_rows")
    scan = Scan(
        source_id=source.id,
        org_id=source.org_id,
        created_by_id=actor.user_id,
        profile_id=profile_id,
        sample_rows=sample_rows,
        options={"text_field": text_field, "id_field": id_field},
    )
    session.add(scan)
    session.flush()
    job = submit_job(session, actor, kind=SCAN.id, params={"scan_id": scan.id})
    scan.job_id = job.id
    record(
        session,
        actor=actor,
        action="datasec.scan.start",
        subject_type="datasec_scan",
        subject_id=scan.id,
        payload={"source_id": source.id, "profile": profile_id, "sample_rows": sample_rows, "job_id": job.id},
    )
    return scan


def list_scans(
    session: Session, actor: Principal, *, source_id: int | None = None, cursor: str | None = None, limit: int = 100
) -> Page[Scan]:
    """Scans the actor may see, newest first."""
    policy.authorize(actor, "datasec.list")
    stmt = _visible(select(Scan), actor, Scan)
    if source_id is not None:
        stmt = stmt.where(Scan.source_id == source_id)
    return paginate(session, stmt, key=Scan.id, cursor=cursor, limit=limit, descending=True)


def get_scan(session: Session, actor: Principal, scan_id: int) -> Scan:
    """One scan with its assets."""
    scan = session.get(Scan, scan_id)
    if scan is None:
        policy.authorize(actor, "datasec.list")
        raise NotFound(N_("No scan with id {id}."), id=scan_id)
    policy.authorize(actor, "datasec.read", scan)
    return scan


def report_path(settings: Settings, sha256: str) -> Path:
    """Where a scan report is kept (content-addressed JSON)."""
    folder = settings.instance_path("datasec", "reports")
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{sha256}.json"


def scan_report(session: Session, actor: Principal, settings: Settings, scan_id: int) -> dict[str, Any]:
    """A finished scan's report, checked against the digest in the database (and the ledger)."""
    scan = get_scan(session, actor, scan_id)
    if not scan.report_sha256:
        raise Conflict(N_("The scan has not finished yet."))
    raw = report_path(settings, scan.report_sha256).read_bytes()
    if hashlib.sha256(raw).hexdigest() != scan.report_sha256:
        raise Conflict(N_("The stored report does not match its recorded digest."))
    report: dict[str, Any] = json.loads(raw)
    return report


def inventory(
    session: Session, actor: Principal, *, level: str | None = None, entity_type: str | None = None, limit: int = 2000
) -> list[tuple[DataSource, Scan, DataAsset, DataColumn]]:
    """The data inventory: columns of the newest finished scan of every source, optionally filtered."""
    policy.authorize(actor, "datasec.list")
    latest = _visible(select(Scan.source_id, Scan.id), actor, Scan).where(Scan.state == "done").order_by(Scan.id.desc())
    newest: dict[int, int] = {}
    for source_id, scan_id in session.execute(latest):
        newest.setdefault(source_id, scan_id)
    if not newest:
        return []
    stmt = (
        select(DataSource, Scan, DataAsset, DataColumn)
        .join(Scan, Scan.source_id == DataSource.id)
        .join(DataAsset, DataAsset.scan_id == Scan.id)
        .join(DataColumn, DataColumn.asset_id == DataAsset.id)
        .where(Scan.id.in_(list(newest.values())))
        .order_by(DataSource.id, DataAsset.id, DataColumn.id)
        .limit(limit)
    )
    rows = cast(list[tuple[DataSource, Scan, DataAsset, DataColumn]], [tuple(r) for r in session.execute(stmt)])
    out = []
    for source, scan, asset, column in rows:
        if entity_type and column.entity_type != entity_type:
            continue
        if level and column.effective_level != level:
            continue
        out.append((source, scan, asset, column))
    return out


def override_column(
    session: Session,
    actor: Principal,
    settings: Settings,
    column_id: int,
    *,
    level: str | None,
    category: str | None,
    justification: str,
) -> DataColumn:
    """Override a column's level and/or category; the justification is kept, its SHA-256 is ledgered."""
    column = session.get(DataColumn, column_id)
    if column is None:
        policy.authorize(actor, "datasec.list")
        raise NotFound(N_("No column with id {id}."), id=column_id)
    policy.authorize(actor, "datasec.override", column)
    justification = justification.strip()
    if len(justification) < 5:
        raise InvalidInput(N_("Give a justification of at least five characters."), field="justification")
    if not level and not category:
        raise InvalidInput(N_("Choose a level or a category to set."), field="level")
    _pid, body = grading_profile(column.asset.scan.profile_id, settings.profile_dirs)
    if level and level not in {lv.id for lv in body.levels}:
        raise InvalidInput(
            N_("{level} is not a level of profile {profile}."),
            field="level",
            level=level,
            profile=column.asset.scan.profile_id,
        )
    if category and category not in {c.id for c in body.categories}:
        raise InvalidInput(
            N_("{category} is not a category of profile {profile}."),
            field="category",
            category=category,
            profile=column.asset.scan.profile_id,
        )
    column.override_level = level or column.override_level
    column.override_category = category or column.override_category
    column.override_justification = justification
    column.overridden_by_id = actor.user_id
    column.overridden_at = utcnow()
    record(
        session,
        actor=actor,
        action="datasec.column.override",
        subject_type="datasec_column",
        subject_id=column.id,
        payload={
            "level": column.override_level,
            "category": column.override_category,
            "was_level": column.level,
            "justification_sha256": hashlib.sha256(justification.encode()).hexdigest(),
        },
    )
    return column


# -------------------------------------------------------------------------------------------- masks


def start_mask(
    session: Session, actor: Principal, source_id: int, *, policy_doc: dict[str, Any], output_format: str = "csv"
) -> MaskRun:
    """Queue a de-identified copy of a source."""
    source = get_source(session, actor, source_id)
    policy.authorize(actor, "datasec.mask", source)
    try:
        parsed = MaskPolicy.from_dict(policy_doc)
    except (PolicyError, ValueError, TypeError) as exc:
        raise InvalidInput(N_("The masking policy is not valid: {error}"), field="policy", error=str(exc)) from None
    if output_format not in ("csv", "parquet"):
        raise InvalidInput(N_("The output format is csv or parquet."), field="output_format")
    run = MaskRun(
        source_id=source.id,
        org_id=source.org_id,
        created_by_id=actor.user_id,
        policy=parsed.as_dict(),
        output_format=output_format,
    )
    session.add(run)
    session.flush()
    job = submit_job(session, actor, kind=MASK.id, params={"mask_id": run.id})
    run.job_id = job.id
    record(
        session,
        actor=actor,
        action="datasec.mask.start",
        subject_type="datasec_mask",
        subject_id=run.id,
        payload={
            "source_id": source.id,
            "job_id": job.id,
            "policy_sha256": hashlib.sha256(json.dumps(run.policy, sort_keys=True).encode()).hexdigest(),
        },
    )
    return run


def get_mask(session: Session, actor: Principal, mask_id: int) -> MaskRun:
    """One masking run."""
    run = session.get(MaskRun, mask_id)
    if run is None:
        policy.authorize(actor, "datasec.list")
        raise NotFound(N_("No masking run with id {id}."), id=mask_id)
    policy.authorize(actor, "datasec.read", run)
    return run


def mask_output(session: Session, actor: Principal, settings: Settings, mask_id: int) -> tuple[Path, str]:
    """The de-identified file of a finished run and a download name."""
    run = get_mask(session, actor, mask_id)
    if run.state != "done" or not run.output_sha256:
        raise Conflict(N_("The masked copy is not ready yet."))
    path = mask_path(settings, run)
    if not path.exists():
        raise NotFound(N_("The masked copy is no longer stored."))
    return path, f"masked-{run.source_id}-{run.id}.{'zip' if path.suffix == '.zip' else run.output_format}"


def mask_path(settings: Settings, run: MaskRun) -> Path:
    """Where a masking run writes its copy."""
    folder = settings.instance_path("datasec", "masked")
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{run.id}.{run.output_format}"


# ----------------------------------------------------------------------------------------- reference


def find_in_text(actor: Principal, text: str) -> list[Finding]:
    """Sensitive values in a short text, with character offsets."""
    policy.authorize(actor, "datasec.scan_text")
    if len(text) > MAX_TEXT_CHARS:
        raise InvalidInput(N_("The text is longer than {limit} characters."), field="text", limit=MAX_TEXT_CHARS)
    return scan_text(text)


def entity_types(actor: Principal) -> list[dict[str, Any]]:
    """The entity types and their recognizers."""
    from gongzhi.datasec.recognizers import RECOGNIZERS

    policy.authorize(actor, "datasec.reference")
    return [
        {
            "name": e.name,
            "label": e.label,
            "group": e.group,
            "default_strategy": e.mask,
            "recognizers": [r.id for r in RECOGNIZERS if r.entity == e.name],
        }
        for e in ENTITY_TYPES.values()
    ]
