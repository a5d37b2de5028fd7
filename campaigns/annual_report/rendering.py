"""The year report as PDF (WeasyPrint, the kernel's fonts and charts) and as Word (python-docx).

Both print the same blocks (document.py). Word gets each chart as a PNG: the chart's SVG is laid
out by WeasyPrint, as in the PDF, and rasterised by pdftoppm (poppler-utils, installed with the
portal), so the picture is the PDF's own.
"""

import io
import subprocess
import tempfile
from pathlib import Path

from django.template.loader import render_to_string

from charity import pdf

from .document import Chart, Heading, Narrative, Paragraph, Table

TEMPLATE = "campaigns/annual_report_pdf.html"


def render_pdf(report, emblem=None, cover=None):
    """PDF bytes of `report`; `emblem` an optional image URL for the cover; `cover` what a
    released version prints there (release_cover: the verification link, its QR code, the seal)."""
    html = render_to_string(TEMPLATE, {"report": report, "emblem": emblem, "cover": cover})
    return pdf.render_html(html).content


def release_cover(url, code, version, seal_path=None):
    """The cover's verification block of a released version: the link on SITE_URL, its QR code
    (an <img>: WeasyPrint sizes it by its CSS box exactly), the code, the version and the seal."""
    import segno

    return {
        "verify_url": url,
        "code": code,
        "version": version,
        "qr_image": segno.make(url, error="m").svg_data_uri(scale=4, border=2),
        "qr_png": _qr_png(url),
        "seal": Path(seal_path).as_uri() if seal_path else None,
        "seal_path": seal_path,
    }


def _qr_png(url):
    import segno

    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="png", scale=6, border=2)
    return out.getvalue()


def render_docx(report, cover=None):
    """Word (.docx) bytes of `report`: cover, headings, paragraphs, tables, charts as images."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    document = Document()
    style = document.styles["Normal"]
    style.font.name = "Noto Sans SC"
    style.font.size = Pt(10.5)
    # East Asian text takes the eastAsia font, which python-docx does not set by itself.
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "Noto Sans SC")
    for text, size, space in (
        (report.organisation, 18, 120),
        (report.title, 26, 24),
        (report.office, 12, 200),
        (f"{report.date.year}年{report.date.month}月{report.date.day}日", 12, 0),
    ):
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.space_before = Pt(space)
        paragraph.add_run(text).font.size = Pt(size)
    if cover is not None:
        if cover["seal_path"]:
            document.add_picture(cover["seal_path"], width=Cm(3.5))
            document.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
        document.add_picture(io.BytesIO(cover["qr_png"]), width=Cm(2.5))
        document.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
        for text in (
            f"第{cover['version']}版　校验码 {cover['code']}",
            f"扫码或访问 {cover['verify_url']} 核验",
        ):
            paragraph = document.add_paragraph()
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            paragraph.add_run(text).font.size = Pt(9)
    paragraph = document.add_paragraph()
    paragraph.add_run().add_break(WD_BREAK.PAGE)
    for block in report.blocks:
        if isinstance(block, Heading):
            document.add_heading(block.text, level=1)
        elif isinstance(block, Paragraph):
            paragraph = document.add_paragraph()
            run = paragraph.add_run(block.text)
            if block.note:
                run.font.size = Pt(8)
            else:
                paragraph.paragraph_format.first_line_indent = Pt(21)
        elif isinstance(block, Table):
            table = document.add_table(rows=1, cols=len(block.header))
            table.style = "Table Grid"
            for cells, values in [(table.rows[0].cells, block.header)] + [
                (table.add_row().cells, row) for row in block.rows
            ]:
                for index, (cell, value) in enumerate(zip(cells, values, strict=True)):
                    cell.text = str(value)
                    run = cell.paragraphs[0].runs[0] if cell.paragraphs[0].runs else None
                    if run is not None:
                        run.font.size = Pt(8)
                    if index in block.numeric:
                        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
        elif isinstance(block, Narrative):
            for kind, runs in block.runs:
                paragraph = document.add_paragraph(style="List Bullet" if kind == "li" else None)
                if kind == "p":
                    paragraph.paragraph_format.first_line_indent = Pt(21)
                for text, bold in runs:
                    paragraph.add_run(text).bold = bold
        elif isinstance(block, Chart):
            document.add_picture(io.BytesIO(chart_png(block.svg)), width=Cm(16))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def chart_png(svg, resolution=150):
    """The chart as the PDF draws it, as PNG bytes."""
    html = f'<html><body style="margin:0">{svg}</body></html>'
    content = pdf.render_html(
        html, font_css=pdf.font_face_css() + "@page { size: 190mm 120mm; margin: 0 } svg { width: 100% }"
    ).content
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "chart.pdf"
        source.write_bytes(content)
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-singlefile",
                "-r",
                str(resolution),
                str(source),
                str(Path(folder) / "chart"),
            ],
            check=True,
            capture_output=True,
        )
        return (Path(folder) / "chart.png").read_bytes()
