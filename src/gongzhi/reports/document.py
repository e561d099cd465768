"""The report document model: what a report says, independent of HTML or PDF.

Texts are already in the reader's language when they are put in; the renderer adds only layout.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

#: Status words a cell or a headline can carry; each has its own colour in the stylesheet.
STATUSES = ("pass", "fail", "error", "skipped", "info", "incomplete", "inconclusive", "not_assessed", "unanswered")


@dataclass(frozen=True)
class Cell:
    """A table cell with a status badge (``status`` one of STATUSES) or plain emphasis."""

    text: str
    status: str | None = None


@dataclass(frozen=True)
class Paragraph:
    text: str
    kind: str = "paragraph"


@dataclass(frozen=True)
class Note:
    """A highlighted remark: ``level`` info, warning or error."""

    text: str
    level: str = "info"
    kind: str = "note"


@dataclass(frozen=True)
class Facts:
    """Label–value pairs (a definition list)."""

    items: Sequence[tuple[str, str | Cell]]
    kind: str = "facts"


@dataclass(frozen=True)
class Table:
    columns: list[str]
    rows: Sequence[Sequence[str | Cell]]
    caption: str = ""
    numeric: tuple[int, ...] = ()  # right-aligned column indexes
    kind: str = "table"


@dataclass(frozen=True)
class Chart:
    """An inline SVG (from ``gongzhi.reports.svg``) with a caption."""

    svg: str
    caption: str = ""
    kind: str = "chart"


Block = Paragraph | Note | Facts | Table | Chart


@dataclass
class Section:
    title: str
    blocks: list[Block] = field(default_factory=list)
    subsections: list[Section] = field(default_factory=list)
    anchor: str = ""


@dataclass
class Document:
    title: str
    locale: str
    sections: list[Section] = field(default_factory=list)
    subtitle: str = ""
    facts: list[tuple[str, str | Cell]] = field(default_factory=list)
    headline: Cell | None = None
    footer: str = ""
