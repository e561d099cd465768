"""What the scan and mask jobs do in the worker: run the engine, store the outcome, record it.

The outcome is written in one transaction with its ledger entry (by the system principal, naming the
scan or run); a re-run after an interruption replaces a partial outcome, so the jobs are resumable.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from typing import Any

from sqlalchemy import delete, select

from gongzhi.datasec import engine, maskio
from gongzhi.datasec.keys import pseudonym_key
from gongzhi.datasec.models import DataAsset, DataColumn, MaskRun, Scan
from gongzhi.datasec.profiles import grading_profile
from gongzhi.datasec.service import mask_path, report_path, source_location
from gongzhi.datasec.sources import SourceError
from gongzhi.db.base import utcnow
from gongzhi.db.engine import transaction
from gongzhi.errors import GongzhiError, NotFound
from gongzhi.i18n import N_
from gongzhi.identity.principal import SYSTEM
from gongzhi.jobs.context import JobContext
from gongzhi.ledger.service import record


def _fail(ctx: JobContext, model: type[Scan] | type[MaskRun], obj_id: int, reason: str) -> None:
    with transaction(ctx.factory) as session:
        obj = session.get(model, obj_id)
        if obj is not None:
            setattr(obj, "state", "failed")  # noqa: B010 - Scan and MaskRun both have it


def run_scan_job(ctx: JobContext) -> dict[str, Any]:
    """Scan, store the report (content-addressed) and the inventory rows, record the digest."""
    scan_id = int(ctx.params["scan_id"])
    with transaction(ctx.factory) as session:
        scan = session.get(Scan, scan_id)
        if scan is None:
            raise NotFound(N_("No scan with id {id}."), id=scan_id)
        scan.state = "running"
        location = source_location(ctx.settings, scan.source)
        profile, sample, options = scan.profile_id, scan.sample_rows, dict(scan.options)
    profile_id, body = grading_profile(profile, ctx.settings.profile_dirs)
    ctx.progress(0.0, N_("Reading the source"))

    def progress(fraction: float, name: str) -> None:
        ctx.progress(min(0.95, fraction), N_("Scanning {part}"), part=name)

    scan_options = engine.ScanOptions(
        sample=sample,
        text_field=options.get("text_field"),
        id_field=options.get("id_field"),
        batch_rows=ctx.settings.datasec_batch_rows,
    )
    try:
        report = engine.scan_location(
            location,
            body=body,
            profile_id=profile_id,
            options=scan_options,
            locale=ctx.settings.default_locale,
            progress=progress,
        )
    except SourceError as exc:
        _fail(ctx, Scan, scan_id, str(exc))
        raise GongzhiError(N_("The source could not be read: {error}"), error=str(exc)) from None
    raw = engine.report_bytes(report)
    sha = hashlib.sha256(raw).hexdigest()
    path = report_path(ctx.settings, sha)
    path.write_bytes(raw)
    with transaction(ctx.factory) as session:
        scan = session.get(Scan, scan_id)
        assert scan is not None
        _replace_inventory(session, scan, report)
        scan.state, scan.level, scan.report_sha256, scan.finished_at = "done", report["level"], sha, utcnow()
        scan.summary = summary = _summary(report)
        record(
            session,
            actor=SYSTEM,
            action="datasec.scan.complete",
            subject_type="datasec_scan",
            subject_id=scan.id,
            payload={"report_sha256": sha, "level": report["level"], "profile": profile_id, **summary},
        )
    ctx.result_ref = f"/datasec/scans/{scan_id}"
    return {"scan_id": scan_id, "report_sha256": sha, "level": report["level"], **summary}


def _summary(report: dict[str, Any]) -> dict[str, Any]:
    typed = [c for c in report["columns"] if c["entity_type"]]
    return {
        "tables": len(report["tables"]),
        "columns": len(report["columns"]),
        "sensitive_columns": len(typed),
        "entity_types": sorted({c["entity_type"] for c in typed}),
        "records": len(report["records"]),
        "findings": sum(len(r["findings"]) for r in report["records"]),
        "skipped": len(report["skipped"]),
    }


def _replace_inventory(session: Any, scan: Scan, report: dict[str, Any]) -> None:
    old = list(session.scalars(select(DataAsset.id).where(DataAsset.scan_id == scan.id)))
    if old:
        session.execute(delete(DataColumn).where(DataColumn.asset_id.in_(old)))
        session.execute(delete(DataAsset).where(DataAsset.id.in_(old)))
    for table in report["tables"]:
        asset = DataAsset(
            scan_id=scan.id,
            org_id=scan.org_id,
            name=table["name"][:300],
            kind="table",
            rows_scanned=table["rows_scanned"],
            level=table["level"],
            category=table["category"],
            reason=table["reason"],
            notes={"items": table["notes"]},
        )
        session.add(asset)
        session.flush()
        for c in table["columns"]:
            session.add(DataColumn(
                asset_id=asset.id, org_id=scan.org_id, name=str(c["name"])[:300], entity_type=c["entity_type"],
                share=c["share"], confidence=c["confidence"], category=c["category"], level=c["level"],
                reason=c["reason"], examples=list(c["examples"]),
                entities={"items": c["entities"], "recognizers": c["recognizers"]},
            ))  # fmt: skip
    for text in report["texts"]:
        session.add(
            DataAsset(
                scan_id=scan.id,
                org_id=scan.org_id,
                name=text["name"][:300],
                kind="text",
                rows_scanned=0,
                notes={"entity_counts": text["entity_counts"], "items": text["notes"]},
            )
        )
    if report["skipped"]:
        session.add(
            DataAsset(
                scan_id=scan.id,
                org_id=scan.org_id,
                name="(skipped)",
                kind="skipped",
                notes={"items": report["skipped"]},
            )
        )


def run_mask_job(ctx: JobContext) -> dict[str, Any]:
    """Write the de-identified copy, record its SHA-256."""
    mask_id = int(ctx.params["mask_id"])
    with transaction(ctx.factory) as session:
        run = session.get(MaskRun, mask_id)
        if run is None:
            raise NotFound(N_("No masking run with id {id}."), id=mask_id)
        run.state = "running"
        location = source_location(ctx.settings, run.source)
        policy = maskio.MaskPolicy.from_dict(run.policy)
        out = mask_path(ctx.settings, run)
    ctx.progress(0.0, N_("Masking"))

    def progress(fraction: float, name: str) -> None:
        ctx.progress(min(0.95, fraction), N_("Masking {part}"), part=name)

    work = out.with_suffix(".parts")
    try:
        result = maskio.mask_location(
            location,
            work / f"data{out.suffix}",
            policy,
            pseudonym_key(ctx.settings),
            progress=progress,
            batch_rows=ctx.settings.datasec_batch_rows,
        )
    except (SourceError, maskio.PolicyError) as exc:
        _fail(ctx, MaskRun, mask_id, str(exc))
        raise GongzhiError(N_("The masked copy could not be written: {error}"), error=str(exc)) from None
    final = _bundle(work, out)
    sha = maskio.file_sha256(final)
    public = {
        "rows": sum(t["rows"] for t in result["tables"]),
        "tables": len(result["tables"]),
        "skipped": result["skipped"],
        "anonymity": [t.get("anonymity") for t in result["tables"] if t.get("anonymity")],
        "columns": [{"table": t["table"], **dict(t["columns"])} for t in result["tables"]],
    }
    with transaction(ctx.factory) as session:
        run = session.get(MaskRun, mask_id)
        assert run is not None
        run.state, run.output_sha256, run.finished_at, run.result = "done", sha, dt.datetime.now(dt.UTC), public
        if final.suffix == ".zip":
            run.output_format = "zip"
        record(
            session,
            actor=SYSTEM,
            action="datasec.mask.complete",
            subject_type="datasec_mask",
            subject_id=run.id,
            payload={"output_sha256": sha, "rows": public["rows"], "tables": public["tables"]},
        )
    ctx.result_ref = f"/datasec/masks/{mask_id}"
    return {"mask_id": mask_id, "output_sha256": sha, "rows": public["rows"]}


def _bundle(work: Path, out: Path) -> Path:
    """One output file: the single table's copy, or a zip of several."""
    import shutil
    import zipfile

    files = sorted(p for p in work.rglob("*") if p.is_file())
    if len(files) == 1:
        shutil.move(files[0], out)
        shutil.rmtree(work, ignore_errors=True)
        return out
    bundle = out.with_suffix(".zip")
    with zipfile.ZipFile(bundle, "w", zipfile.ZIP_DEFLATED) as z:
        for f in files:
            z.write(f, f.relative_to(work))
    shutil.rmtree(work, ignore_errors=True)
    return bundle
