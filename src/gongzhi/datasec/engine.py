"""The scan engine: read a source part by part, scan every batch, grade, and build the report.

``scan_location`` is what the CLI, the scan job and the Ray engine share. Its report is plain JSON:
``tables`` (each with its columns), ``columns`` (all columns, flattened, each naming its table),
``records`` for free-text sources, and ``skipped`` parts with the reason.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import polars as pl

from gongzhi.datasec import grading, sources
from gongzhi.datasec.grading import GradingBody
from gongzhi.datasec.sources import MAX_CELL_CHARS, Notes, Skipped, TablePart, TextPart
from gongzhi.datasec.tables import ColumnFinding, TableScan
from gongzhi.datasec.text import scan_texts

Progress = Callable[[float, str], None]
REPORT_FORMAT = "gongzhi.datasec.scan-report@1"


@dataclass(frozen=True)
class ScanOptions:
    """How to scan: a sample of N rows per table (None = every row), free-text fields, batch size."""

    sample: int | None = None
    text_field: str | None = None
    id_field: str | None = None
    batch_rows: int = sources.DEFAULT_BATCH_ROWS
    seed: int = 0


def _truncate(batch: pl.DataFrame, notes: Notes) -> pl.DataFrame:
    """Cut cells longer than MAX_CELL_CHARS (reported), so one huge cell cannot stall the scan."""
    fixes = []
    for name, dtype in batch.schema.items():
        if dtype == pl.String:
            col = batch.get_column(name)
            long = int((col.str.len_bytes() > MAX_CELL_CHARS * 4).sum())
            if long:
                notes.add("truncated_cells", count=long, column=name, limit_chars=MAX_CELL_CHARS)
                fixes.append(pl.col(name).str.slice(0, MAX_CELL_CHARS))
    return batch.with_columns(fixes) if fixes else batch


def table_batches(part: TablePart, options: ScanOptions) -> Iterator[pl.DataFrame]:
    """A part's batches, or a reservoir sample of ``options.sample`` rows."""
    batches = (_truncate(b, part.notes) for b in part.batches())
    if options.sample:
        return sources.reservoir(batches, options.sample, seed=options.seed)
    return batches


def scan_table_part(
    part: TablePart, options: ScanOptions, progress: Progress | None = None, base: float = 0.0, span: float = 1.0
) -> TableScan:
    """Scan every batch of one table part."""
    scan = TableScan()
    seen_bytes = 0.0
    for batch in table_batches(part, options):
        scan.add(batch)
        seen_bytes += batch.estimated_size()
        if progress is not None:
            done = min(0.99, seen_bytes / part.size_bytes) if part.size_bytes else 0.5
            progress(base + span * done, part.name)
    return scan


def graded_columns(findings: list[ColumnFinding], body: GradingBody, locale: str) -> list[ColumnFinding]:
    """Fill in each column's category, level and reason from the grading profile."""
    for f in findings:
        g = grading.grade_entity(body, f.entity_type, locale)
        f.category, f.level, f.reason = g.category, g.level, g.reason
    return findings


def table_report(
    name: str, scan: TableScan, body: GradingBody, locale: str, notes: Notes, *, sampled: int | None
) -> dict[str, Any]:
    """A table's entry in the report."""
    columns = graded_columns(scan.findings(), body, locale)
    table_grade = grading.grade_table(body, [c.entity_type for c in columns], locale)
    rows = max((c.rows for c in columns), default=0)
    return {
        "name": name,
        "rows_scanned": rows,
        "sampled": sampled,
        "level": table_grade.level,
        "category": table_grade.category,
        "reason": table_grade.reason,
        "notes": notes.items,
        "columns": [c.as_dict() for c in columns],
    }


TEXT_BATCH = 20_000


def scan_text_part(part: TextPart, progress: Progress | None = None, base: float = 0.0) -> dict[str, Any]:
    """Findings with character offsets for every record of a free-text part (batched through Polars)."""
    records: list[dict[str, Any]] = []
    counts: dict[str, int] = {}
    batch: list[tuple[str, str]] = []

    def flush() -> None:
        for (rid, _text), findings in zip(batch, scan_texts([t[: MAX_CELL_CHARS * 16] for _, t in batch]), strict=True):
            for f in findings:
                counts[f.entity] = counts.get(f.entity, 0) + 1
            records.append({"id": rid, "findings": [f.as_dict() for f in findings]})
        batch.clear()
        if progress is not None:
            progress(base, part.name)

    for rid, text in part.records():
        batch.append((rid, text))
        if len(batch) >= TEXT_BATCH:
            flush()
    if batch:
        flush()
    return {"name": part.name, "records": records, "entity_counts": counts, "notes": part.notes.items}


def scan_location(
    location: str,
    *,
    body: GradingBody,
    profile_id: str,
    options: ScanOptions = ScanOptions(),
    locale: str = "en",
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Scan a file, folder or database URL and return the report (a JSON-able dict)."""
    started = dt.datetime.now(dt.UTC)
    parts = list(
        sources.open_source(
            location, text_field=options.text_field, id_field=options.id_field, batch_rows=options.batch_rows
        )
    )
    tables: list[dict[str, Any]] = []
    texts: list[dict[str, Any]] = []
    skipped: list[dict[str, str]] = []
    for i, part in enumerate(parts):
        base, span = i / max(1, len(parts)), 1 / max(1, len(parts))
        if isinstance(part, Skipped):
            skipped.append({"name": part.name, "reason": part.reason})
        elif isinstance(part, TextPart):
            texts.append(scan_text_part(part, progress, base))
        else:
            try:
                scan = scan_table_part(part, options, progress, base, span)
            except sources.SourceError as exc:
                skipped.append({"name": part.name, "reason": str(exc)})
                continue
            tables.append(table_report(part.name, scan, body, locale, part.notes, sampled=options.sample))
    return build_report(location, profile_id, body, tables, texts, skipped, options, started, locale)


def build_report(
    location: str,
    profile_id: str,
    body: GradingBody,
    tables: list[dict[str, Any]],
    texts: list[dict[str, Any]],
    skipped: list[dict[str, str]],
    options: ScanOptions,
    started: dt.datetime,
    locale: str,
    engine: str = "local",
) -> dict[str, Any]:
    """The report document; ``columns`` and ``records`` are flattened for simple consumers."""
    columns = [{"table": t["name"], **c} for t in tables for c in t["columns"]]
    records = [r for t in texts for r in t["records"]]
    overall = grading.grade_table(
        body, [c["entity_type"] for c in columns] + [e for t in texts for e in t["entity_counts"]], locale
    )
    return {
        "format": REPORT_FORMAT,
        "source": sources.safe_url(location) if sources.is_database_url(location) else location,
        "profile": profile_id,
        "engine": engine,
        "sample": options.sample,
        "started_at": started.isoformat(),
        "finished_at": dt.datetime.now(dt.UTC).isoformat(),
        "level": overall.level,
        "reason": overall.reason,
        "tables": tables,
        "columns": columns,
        "texts": [{k: v for k, v in t.items() if k != "records"} for t in texts],
        "records": records,
        "skipped": skipped,
    }


def report_bytes(report: dict[str, Any]) -> bytes:
    """The report as canonical UTF-8 JSON (what its SHA-256 is taken of)."""
    return json.dumps(report, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def report_digest(report: dict[str, Any]) -> str:
    """SHA-256 of the canonical report."""
    return hashlib.sha256(report_bytes(report)).hexdigest()
