"""Rendering a report document: self-contained HTML, PDF through WeasyPrint, and the SHA-256 of either."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, pass_context, select_autoescape
from jinja2.runtime import Context
from markupsafe import Markup

from gongzhi import __version__
from gongzhi.i18n import translations
from gongzhi.reports.document import Document

TEMPLATES = Path(__file__).parent / "templates"


@pass_context
def _gettext(context: Context, message: str, **params: Any) -> str:
    text = translations(context.get("locale", "zh_CN")).gettext(message)
    return text.format(**params) if params else text


@lru_cache(maxsize=1)
def environment() -> Environment:
    """The report templates (separate from the web pages: no navigation, no scripts)."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(default=True, default_for_string=True),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["_"] = _gettext
    env.globals["version"] = __version__
    env.filters["svg"] = lambda s: Markup(s)  # charts come from gongzhi.reports.svg, which escapes every label
    return env


def render_html(document: Document, *, template: str = "reports/document.html") -> str:
    """The document as one self-contained HTML page (inline CSS and SVG)."""
    return environment().get_template(template).render(doc=document, locale=document.locale)


def render_pdf(html: str) -> bytes:
    """The same HTML as a PDF (WeasyPrint). Chinese needs a CJK font installed (Debian fonts-noto-cjk)."""
    import logging

    from weasyprint import HTML  # type: ignore[import-untyped]

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    pdf: bytes = HTML(string=html).write_pdf()
    return pdf


def digest(data: bytes) -> str:
    """SHA-256 hex digest, the value recorded in the ledger for a report."""
    return hashlib.sha256(data).hexdigest()
