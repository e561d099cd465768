"""Reports (评估报告), shared by every area: a document model, inline-SVG charts, HTML, PDF and digests.

An area builds a :class:`~gongzhi.reports.document.Document` (sections of paragraphs, fact lists,
tables with status badges, charts) in the reader's language and renders it:

>>> from gongzhi.reports.document import Document, Section, Paragraph
>>> from gongzhi.reports.render import render_html
>>> html = render_html(Document(title="Demo", locale="en", sections=[Section("Intro", [Paragraph("Hi")])]))
>>> "<h1>Demo</h1>" in html
True

The HTML is self-contained (inline CSS and SVG, no scripts, no external assets); the PDF comes from the
same HTML through WeasyPrint, so both say the same thing.
"""
