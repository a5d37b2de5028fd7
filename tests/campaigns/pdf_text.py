"""Reading a PDF the way a reader does: its text (pdftotext), its fonts (pdffonts), its pages (pdftoppm)."""

import re
import subprocess


def pdf_text(path):
    """The PDF's text in reading layout (a table row on one line), with all white space removed."""
    raw = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return re.sub(r"\s+", "", raw)


def pdf_fonts(path):
    """[(name, type, embedded)] from pdffonts."""
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    fonts = []
    for line in out.splitlines()[2:]:
        parts = line.split()
        # name type... encoding emb sub uni object-id generation: emb is the 5th field from the end
        fonts.append((parts[0], " ".join(parts[1:-6]), parts[-5] == "yes"))
    return fonts


def pdf_pages(path):
    """Each page's text in reading layout, as pdftotext prints it (lines and spaces kept)."""
    raw = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return raw.split("\f")[:-1]  # pdftotext ends every page with a form feed
