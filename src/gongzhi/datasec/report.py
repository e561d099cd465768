"""Rendering a scan report or an inventory as HTML (self-contained) and CSV."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from gongzhi.datasec.entities import entity_label
from gongzhi.i18n import gettext, translations

TEMPLATES = Path(__file__).parent / "templates"
CSV_FIELDS = ["table", "name", "entity_type", "share", "category", "level", "confidence", "reason", "examples"]


def _environment(locale: str) -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(default=True), extensions=["jinja2.ext.i18n"]
    )
    env.install_gettext_translations(translations(locale), newstyle=True)  # type: ignore[attr-defined]
    env.globals["entity_label"] = lambda name: gettext(locale, entity_label(name))
    return env


def report_html(report: dict[str, Any], locale: str = "zh_CN") -> str:
    """A scan report as one printable HTML page."""
    return _environment(locale).get_template("datasec/report.html").render(report=report, locale=locale)


def columns_csv(columns: list[dict[str, Any]]) -> str:
    """Columns as CSV (masked examples joined with ' | ')."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_FIELDS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for c in columns:
        writer.writerow({**c, "examples": " | ".join(c.get("examples") or [])})
    return out.getvalue()
