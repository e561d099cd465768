"""Reports render self-contained: escaped labels, inline SVG, no scripts or external assets; PDFs carry Chinese."""

from __future__ import annotations

from gongzhi.reports import svg
from gongzhi.reports.document import Cell, Chart, Document, Facts, Note, Paragraph, Section, Table
from gongzhi.reports.render import digest, render_html, render_pdf


def test_chart_labels_are_escaped() -> None:
    chart = svg.bar_chart([("<script>alert(1)</script>", 0.4, (0.3, 0.5))], title="a & b", threshold=0.2)
    assert "<script>" not in chart and "&lt;script&gt;" in chart and "a &amp; b" in chart
    assert "<svg" in svg.line_chart([("s", [0, 1], [0, 1])], title="t", diagonal=True)
    assert ">7<" in svg.heatmap([[7, 1], [2, 3]], ["n", "p"], ["n", "p"], title="cm")


def test_document_is_self_contained_and_pdf_renders_chinese() -> None:
    doc = Document(
        title="评估报告",
        locale="zh_CN",
        headline=Cell("通过", "pass"),
        facts=[("标准", "示例")],
        sections=[
            Section("摘要", [Paragraph("公平性"), Note("注意", "warning"), Facts([("a", Cell("不通过", "fail"))])]),
            Section(
                "结果",
                [
                    Table(["群体", "值"], [["男", "0.5"]], numeric=(1,)),
                    Chart(svg.bar_chart([("男", 0.5, None)], title="选择率")),
                ],
            ),
            Section("方法", [Paragraph("说明")]),
        ],
    )
    html = render_html(doc)
    assert "<h1>评估报告</h1>" in html and "目录" in html and "<svg" in html
    assert "<script" not in html and "src=" not in html and "<link" not in html
    pdf = render_pdf(html)
    assert pdf.startswith(b"%PDF") and len(digest(pdf)) == 64
