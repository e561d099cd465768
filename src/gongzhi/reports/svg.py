"""Charts as inline SVG strings: no scripts, no external assets, identical in HTML and PDF.

Every label is escaped; sizes are in user units, so a chart scales with its container.

>>> svg = bar_chart([("a", 0.5, None), ("b", 0.25, (0.2, 0.3))], title="Selection rate")
>>> svg.startswith("<svg") and "Selection rate" in svg
True
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

FONT = "'Noto Sans CJK SC','Noto Sans SC','Source Han Sans SC','Microsoft YaHei',sans-serif"
PALETTE = ("#2f6fb0", "#d9822b", "#3a9a5b", "#b03a48", "#7a5bb0", "#5b8a8a", "#a0782f", "#555555")
OK, BAD, GRID, INK, MUTED = "#3a9a5b", "#b03a48", "#e3e6ea", "#1f2933", "#6b7785"


def _fmt(value: float, digits: int = 3) -> str:
    return f"{value:.{digits}f}".rstrip("0").rstrip(".") if abs(value) < 1e6 else f"{value:.3g}"


def _open(width: int, height: int, title: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
        f'role="img" aria-label="{escape(title)}" font-family="{FONT}" font-size="12">',
        f"<title>{escape(title)}</title>",
        f'<text x="0" y="14" font-size="13" font-weight="bold" fill="{INK}">{escape(title)}</text>',
    ]


def bar_chart(
    items: Sequence[tuple[str, float | None, tuple[float, float] | None]],
    *,
    title: str,
    threshold: float | None = None,
    threshold_label: str = "",
    max_value: float | None = None,
    digits: int = 3,
    bad_above: bool | None = None,
) -> str:
    """Horizontal bars with optional confidence whiskers and a threshold line.

    ``bad_above`` colours bars beyond the threshold (True: above is bad, False: below is bad).
    """
    label_w, bar_w, row_h, top = 170, 380, 22, 30
    height = top + row_h * max(len(items), 1) + 24
    width = label_w + bar_w + 70
    values = [v for _, v, _ in items if v is not None] + [hi for *_, ci in items if ci for hi in ci[1:]]
    scale_max = max_value if max_value is not None else max([*values, threshold or 0.0, 1e-12])
    scale = bar_w / scale_max if scale_max > 0 else 0.0
    out = _open(width, height, title)
    for i in range(5):
        x = label_w + bar_w * i / 4
        out.append(f'<line x1="{x:.1f}" y1="{top - 4}" x2="{x:.1f}" y2="{height - 20}" stroke="{GRID}"/>')
        out.append(
            f'<text x="{x:.1f}" y="{height - 6}" text-anchor="middle" fill="{MUTED}" font-size="10">'
            f"{_fmt(scale_max * i / 4, digits)}</text>"
        )
    for row, (label, value, ci) in enumerate(items):
        y = top + row * row_h
        out.append(f'<text x="{label_w - 6}" y="{y + 14}" text-anchor="end" fill="{INK}">{escape(label[:28])}</text>')
        if value is None:
            out.append(f'<text x="{label_w + 4}" y="{y + 14}" fill="{MUTED}">—</text>')
            continue
        colour = PALETTE[0]
        if threshold is not None and bad_above is not None:
            colour = BAD if (value > threshold if bad_above else value < threshold) else OK
        w = max(value * scale, 0.0)
        out.append(f'<rect x="{label_w}" y="{y + 4}" width="{w:.1f}" height="{row_h - 8}" fill="{colour}" rx="2"/>')
        if ci is not None:
            x1, x2 = label_w + ci[0] * scale, label_w + ci[1] * scale
            mid = y + row_h / 2
            out.append(f'<line x1="{x1:.1f}" y1="{mid}" x2="{x2:.1f}" y2="{mid}" stroke="{INK}" stroke-width="1.2"/>')
            for x in (x1, x2):
                out.append(f'<line x1="{x:.1f}" y1="{mid - 4}" x2="{x:.1f}" y2="{mid + 4}" stroke="{INK}"/>')
        out.append(
            f'<text x="{label_w + max(w, (ci[1] * scale) if ci else 0) + 6:.1f}" y="{y + 14}" fill="{INK}">'
            f"{_fmt(value, digits)}</text>"
        )
    if threshold is not None and scale:
        x = label_w + threshold * scale
        out.append(
            f'<line x1="{x:.1f}" y1="{top - 6}" x2="{x:.1f}" y2="{height - 20}" stroke="{BAD}" '
            f'stroke-dasharray="4 3" stroke-width="1.5"/>'
        )
        if threshold_label:
            out.append(
                f'<text x="{x + 3:.1f}" y="{top - 8}" fill="{BAD}" font-size="10">{escape(threshold_label)}</text>'
            )
    out.append("</svg>")
    return "".join(out)


def line_chart(
    series: Sequence[tuple[str, Sequence[float], Sequence[float]]],
    *,
    title: str,
    x_label: str = "",
    y_label: str = "",
    diagonal: bool = False,
    x_range: tuple[float, float] | None = None,
    y_range: tuple[float, float] | None = None,
) -> str:
    """Lines with markers (e.g. calibration with its diagonal, partial dependence)."""
    width, height, left, top, plot_w, plot_h = 560, 300, 56, 30, 470, 220
    xs = [x for _, sx, _ in series for x in sx] or [0.0, 1.0]
    ys = [y for _, _, sy in series for y in sy] or [0.0, 1.0]
    x0, x1 = x_range or (min(xs), max(xs))
    y0, y1 = y_range or (min(ys), max(ys))
    if x1 == x0:
        x1 = x0 + 1
    if y1 == y0:
        y1 = y0 + 1

    def px(x: float) -> float:
        return left + (x - x0) / (x1 - x0) * plot_w

    def py(y: float) -> float:
        return top + plot_h - (y - y0) / (y1 - y0) * plot_h

    out = _open(width, height, title)
    for i in range(5):
        gy = top + plot_h * i / 4
        out.append(f'<line x1="{left}" y1="{gy:.1f}" x2="{left + plot_w}" y2="{gy:.1f}" stroke="{GRID}"/>')
        out.append(
            f'<text x="{left - 6}" y="{gy + 4:.1f}" text-anchor="end" fill="{MUTED}" font-size="10">'
            f"{_fmt(y1 - (y1 - y0) * i / 4)}</text>"
        )
        gx = left + plot_w * i / 4
        out.append(
            f'<text x="{gx:.1f}" y="{top + plot_h + 14}" text-anchor="middle" fill="{MUTED}" font-size="10">'
            f"{_fmt(x0 + (x1 - x0) * i / 4)}</text>"
        )
    if diagonal:
        out.append(
            f'<line x1="{px(max(x0, y0)):.1f}" y1="{py(max(x0, y0)):.1f}" x2="{px(min(x1, y1)):.1f}" '
            f'y2="{py(min(x1, y1)):.1f}" stroke="{MUTED}" stroke-dasharray="4 3"/>'
        )
    for i, (name, sx, sy) in enumerate(series):
        colour = PALETTE[i % len(PALETTE)]
        points = " ".join(f"{px(x):.1f},{py(y):.1f}" for x, y in zip(sx, sy, strict=True))
        out.append(f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2"/>')
        for x, y in zip(sx, sy, strict=True):
            out.append(f'<circle cx="{px(x):.1f}" cy="{py(y):.1f}" r="3" fill="{colour}"/>')
        out.append(
            f'<text x="{left + plot_w - 4}" y="{top + 14 + 14 * i}" text-anchor="end" fill="{colour}">'
            f"{escape(name)}</text>"
        )
    out.append(
        f'<text x="{left + plot_w / 2:.0f}" y="{height - 4}" text-anchor="middle" fill="{INK}">{escape(x_label)}</text>'
    )
    out.append(
        f'<text x="12" y="{top + plot_h / 2:.0f}" text-anchor="middle" fill="{INK}" '
        f'transform="rotate(-90 12 {top + plot_h / 2:.0f})">{escape(y_label)}</text>'
    )
    out.append("</svg>")
    return "".join(out)


def heatmap(matrix: Sequence[Sequence[float]], rows: Sequence[str], columns: Sequence[str], *, title: str) -> str:
    """A table of counts shaded by size (e.g. a confusion matrix: rows = truth, columns = prediction)."""
    cell, left, top = 64, 110, 44
    width = left + cell * len(columns) + 10
    height = top + cell * len(rows) + 10
    peak = max((v for r in matrix for v in r), default=1) or 1
    out = _open(width, height, title)
    for j, name in enumerate(columns):
        out.append(
            f'<text x="{left + cell * j + cell / 2:.0f}" y="{top - 6}" text-anchor="middle" fill="{INK}">'
            f"{escape(str(name)[:10])}</text>"
        )
    for i, name in enumerate(rows):
        y = top + cell * i
        out.append(
            f'<text x="{left - 6}" y="{y + cell / 2 + 4:.0f}" text-anchor="end" fill="{INK}">'
            f"{escape(str(name)[:14])}</text>"
        )
        for j, value in enumerate(matrix[i]):
            shade = 0.12 + 0.78 * (value / peak)
            x = left + cell * j
            text = "#ffffff" if shade > 0.55 else INK
            out.append(
                f'<rect x="{x}" y="{y}" width="{cell - 2}" height="{cell - 2}" fill="{PALETTE[0]}" '
                f'fill-opacity="{shade:.2f}"/>'
            )
            out.append(
                f'<text x="{x + cell / 2 - 1:.0f}" y="{y + cell / 2 + 4:.0f}" text-anchor="middle" fill="{text}">'
                f"{_fmt(value, 0) if float(value).is_integer() else _fmt(value)}</text>"
            )
    out.append("</svg>")
    return "".join(out)
