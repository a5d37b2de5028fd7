"""PDF rendering (WeasyPrint): one place for fonts, page set-up and the call itself.

Every PDF the portal makes embeds the shipped Chinese font (static/fonts/NotoSansSC-Regular.ttf,
see charity/fonts.py) through @font-face, for its text, its running headers and footers and its
SVG charts alike. It does not depend on the fonts the machine has: a server without any Chinese
system font renders the same document (tests/charity/test_pdf.py renders with fontconfig seeing
no font at all).

Measured with WeasyPrint 70 (docs/features.md, "PDF annual summary"): the shipped TrueType file renders a
five-page Chinese text in 0.3 s, Debian's Noto Sans CJK collection through fontconfig in 0.4 s,
and the same glyphs as 102 unicode-range WOFF2 pieces (@fontsource/noto-sans-sc) in 5-6 s.
"""

from dataclasses import dataclass
from pathlib import Path

from django.http import FileResponse
from django.template.loader import render_to_string

from . import fonts, identity

# The family the documents' CSS names (base.css of each PDF template uses var(--font)).
FAMILY = fonts.SHIPPED_FAMILY


@dataclass
class RenderedPdf:
    content: bytes
    pages: int


def font_face_css(path=None, family=FAMILY):
    """@font-face for the Chinese font, as a file URL WeasyPrint embeds (subset) in the PDF."""
    path = path or fonts.cjk_font_path()
    if path.endswith(".ttc"):
        # A collection (the system fallback): let fontconfig pick the SC face by its name.
        return f"@font-face {{ font-family: '{family}'; src: local('Noto Sans CJK SC'); }}"
    return f"@font-face {{ font-family: '{family}'; src: url('{Path(path).as_uri()}'); }}"


def render_html(html, *, font_css=None, base_url=None):
    """Render an HTML string to PDF bytes with the Chinese font declared; returns RenderedPdf."""
    # Imported here: WeasyPrint loads Pango and friends, which only PDF work needs.
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    font_config = FontConfiguration()
    stylesheet = CSS(string=font_css if font_css is not None else font_face_css(), font_config=font_config)
    document = HTML(string=html, base_url=base_url or str(Path(__file__).resolve().parent)).render(
        stylesheets=[stylesheet], font_config=font_config
    )
    return RenderedPdf(content=document.write_pdf(), pages=len(document.pages))


def render_template(template_name, context, **kwargs):
    """Render a Django template to PDF (see render_html), with `site` (the site's identity) in its
    context as pages have it: no request, so no context processor, renders a PDF."""
    context = {"site": identity.current(), **context}
    return render_html(render_to_string(template_name, context), **kwargs)


def pdf_response(document, *, as_attachment=False):
    """A stored PDF as it is: `document` has `pdf` (its file), `filename` and `fingerprint` (the
    annual summary's AnnualSummaryDocument). Here, below the views, so that the admin and the job
    page (background tasks) serve the file the same way without importing a view."""
    response = FileResponse(
        document.pdf.open("rb"),
        content_type="application/pdf",
        as_attachment=as_attachment,
        filename=document.filename,
    )
    response["X-Summary-Fingerprint"] = document.fingerprint
    response["ETag"] = f'"{document.fingerprint}"'
    return response
