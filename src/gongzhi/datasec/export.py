"""The inventory as rows and as JSON, CSV or an HTML report (masked examples only, never values)."""

from __future__ import annotations

import csv
import io
from typing import Any

from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response

from gongzhi.datasec.models import DataAsset, DataColumn, DataSource, Scan
from gongzhi.datasec.report import _environment

FIELDS = [
    "source_id",
    "source",
    "scan_id",
    "profile",
    "asset",
    "column",
    "entity_type",
    "share",
    "confidence",
    "category",
    "level",
    "overridden",
    "reason",
    "examples",
]


def inventory_rows(rows: list[tuple[DataSource, Scan, DataAsset, DataColumn]]) -> list[dict[str, Any]]:
    """Plain rows of the inventory (overrides applied)."""
    return [
        {"source_id": s.id, "source": s.name, "scan_id": sc.id, "profile": sc.profile_id, "asset": a.name,
         "column": c.name, "column_id": c.id, "entity_type": c.entity_type, "share": round(c.share, 4),
         "confidence": round(c.confidence, 3), "category": c.effective_category, "level": c.effective_level,
         "overridden": c.override_level is not None or c.override_category is not None, "reason": c.reason,
         "justification": c.override_justification, "examples": list(c.examples)}
        for s, sc, a, c in rows
    ]  # fmt: skip


def inventory_csv(rows: list[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=FIELDS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({**row, "examples": " | ".join(row["examples"])})
    return out.getvalue()


def inventory_html(rows: list[dict[str, Any]], locale: str) -> str:
    return _environment(locale).get_template("datasec/inventory_report.html").render(rows=rows, locale=locale)


def render_inventory(rows: list[dict[str, Any]], fmt: str, locale: str) -> Response:
    """The inventory in the asked format, as an HTTP response (downloadable)."""
    if fmt == "csv":
        return PlainTextResponse(
            inventory_csv(rows),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="datasec-inventory.csv"'},
        )
    if fmt == "html":
        return HTMLResponse(inventory_html(rows, locale))
    return JSONResponse({"items": rows})
