"""Shareable images (Pillow): tall PNG pages for WeChat and og:image cards for every public page.

Two drawings, both fed with text the caller already made public (names only from the
public-name query methods or a published snapshot's content):

- `render_pages(title, subtitle, lines, url)`: pages 1080 px wide, at most PAGE_MAX px tall, a
  long list split over as many pages as it needs, each with the title, its page number, the
  federation's name and a QR code opening `url`.
- `render_card(title, lines, url)`: one 1200 × 630 card (the size WeChat, Weibo and others crop
  og:image to), with a QR code.

Pages add cards through `card(kind)`: a function returning a `Card` for a page's object, served
as PNG by the view `campaigns:card` (see campaigns/views/cards.py), e.g.

    @images.card("home")
    def home_card(pk):
        return images.Card("2023年慈善一日捐", ["已募集 1810.7035 万元"], reverse("home"))

and in the page's head block: `{% load share %}{% og_image "home" %}`.
"""

import functools
import io
from dataclasses import dataclass, field

import segno
from PIL import Image, ImageDraw, ImageFont

from . import identity
from .fonts import cjk_font_path

RED = (183, 28, 28)
INK = (34, 34, 34)
MUTED = (102, 102, 102)
LINE = (229, 229, 229)
PAPER = (255, 255, 255)
TINT = (253, 236, 234)

PAGE_WIDTH = 1080
PAGE_MAX = 2400  # taller images are shrunk by WeChat's viewer until the text is unreadable
MARGIN = 56
CARD_SIZE = (1200, 630)


def federation_name():
    """The name every image carries: the site identity's full name (charity/identity.py)."""
    return identity.current().full_name


@functools.cache
def font(size, bold=False):
    """The CJK font at a pixel size; in a .ttc collection, its Simplified Chinese face."""
    path = cjk_font_path()
    if bold:
        bold_path = path.replace("-Regular", "-Bold")
        path = bold_path if bold_path != path and _exists(bold_path) else path
    if path.endswith(".ttc"):
        # Noto Sans CJK collections hold JP, KR, SC, TC, HK; the SC face draws 中文 as readers here expect.
        for index in range(5):
            face = ImageFont.truetype(path, size, index=index)
            if face.getname()[0].endswith(" SC"):
                return face
    return ImageFont.truetype(path, size)


def _exists(path):
    try:
        with open(path, "rb"):
            return True
    except OSError:
        return False


def qr_image(url, size):
    """A QR code opening `url`, `size` px square, black on white."""
    buffer = io.BytesIO()
    segno.make(url, error="m", micro=False).save(buffer, kind="png", scale=10, border=2)
    buffer.seek(0)
    return Image.open(buffer).convert("RGB").resize((size, size), Image.NEAREST)


def to_png(image):
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def wrap(text, face, width):
    """Lines of `text` no wider than `width` px, broken between characters (Chinese has no spaces)."""
    lines, current = [], ""
    for char in text:
        if char == "\n":
            lines.append(current)
            current = ""
            continue
        if current and face.getlength(current + char) > width:
            lines.append(current)
            current = ""
        current += char
    if current or not lines:
        lines.append(current)
    return lines


def fit(text, face, width):
    """`text` cut with an ellipsis so that it fits `width` px (names never push amounts off)."""
    if face.getlength(text) <= width:
        return text
    while text and face.getlength(text + "…") > width:
        text = text[:-1]
    return text + "…"


# --- og:image cards -------------------------------------------------------------------------------


@dataclass
class Card:
    title: str
    lines: list = field(default_factory=list)
    path: str = "/"  # the page the card stands for; its QR code opens it
    # Cards of published snapshots never change: their SHA-256 keys the cache for good.
    version: str = ""


_cards = {}


def card(kind):
    """Register `function(pk) -> Card` (pk is None for a page without an object) as card `kind`."""

    def register(function):
        _cards[kind] = function
        return function

    return register


def card_for(kind, pk=None):
    """The Card of a page, or None when there is no such kind or object."""
    function = _cards.get(kind)
    return function(pk) if function is not None else None


def render_card(title, lines, url):
    """A 1200 × 630 PNG: the federation's name, the page's title, up to four lines, a QR code."""
    width, height = CARD_SIZE
    image = Image.new("RGB", CARD_SIZE, PAPER)
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 0, width, 96], fill=RED)
    draw.text((MARGIN, 48), federation_name(), font=font(40, bold=True), fill=PAPER, anchor="lm")
    qr_size = 220
    text_width = width - 2 * MARGIN - qr_size - 40
    y = 140
    title_face = font(56, bold=True)
    for line in wrap(title, title_face, text_width)[:3]:
        draw.text((MARGIN, y), line, font=title_face, fill=INK)
        y += 74
    y += 16
    body = font(36)
    for text in lines[:4]:
        draw.text((MARGIN, y), fit(text, body, text_width), font=body, fill=MUTED)
        y += 52
    image.paste(qr_image(url, qr_size), (width - MARGIN - qr_size, height - MARGIN - qr_size - 30))
    small = font(22)
    draw.text(
        (width - MARGIN - qr_size // 2, height - MARGIN), "扫码打开", font=small, fill=MUTED, anchor="ms"
    )
    draw.rectangle([0, height - 12, width, height], fill=RED)
    return to_png(image)


# --- tall pages for WeChat ---------------------------------------------------------------------------

# Line kinds of a page's text (what a test reads to check that no hidden name is drawn):
#   ("heading", text, right text)      a section: a sector with its total
#   ("row", name, amount)               one full-width row: a unit and its amount
#   ("pairs", [(name, amount), ...])    up to two short rows side by side: people
#   ("text", text)                      a sentence, wrapped
HEIGHTS = {"heading": 84, "row": 56, "pairs": 56}
HEADER = 250
FOOTER = 260


def line_height(line):
    if line[0] == "text":
        return 44 * len(wrap(line[1], font(30), PAGE_WIDTH - 2 * MARGIN)) + 12
    return HEIGHTS[line[0]]


def paginate(lines, max_body=PAGE_MAX - HEADER - FOOTER):
    """Split lines into pages; a section continued on the next page repeats its heading (续)."""
    pages, current, used, heading = [], [], 0, None
    for line in lines:
        height = line_height(line)
        if current and used + height > max_body:
            pages.append(current)
            current, used = [], 0
            if heading is not None and line[0] != "heading":
                continued = ("heading", heading[1] + "（续）", "")
                current.append(continued)
                used += line_height(continued)
        if line[0] == "heading":
            heading = line
        current.append(line)
        used += height
    if current or not pages:
        pages.append(current)
    return pages


def render_pages(title, subtitle, lines, url):
    """[PNG bytes] of a long list: 1080 px wide pages, each at most PAGE_MAX px tall."""
    pages = paginate(lines)
    return [
        render_page(title, subtitle, page, url, number, len(pages))
        for number, page in enumerate(pages, start=1)
    ]


def render_page(title, subtitle, lines, url, number, count):
    height = HEADER + sum(line_height(line) for line in lines) + FOOTER
    image = Image.new("RGB", (PAGE_WIDTH, height), PAPER)
    draw = ImageDraw.Draw(image)
    right = PAGE_WIDTH - MARGIN
    draw.rectangle([0, 0, PAGE_WIDTH, 200], fill=RED)
    draw.text((MARGIN, 40), federation_name(), font=font(32), fill=PAPER)
    title_face = font(52, bold=True)
    draw.text((MARGIN, 88), fit(title, title_face, PAGE_WIDTH - 2 * MARGIN), font=title_face, fill=PAPER)
    sub = font(28)
    draw.text((MARGIN, 222), subtitle, font=sub, fill=MUTED, anchor="lm")
    if count > 1:
        draw.text((right, 222), f"第 {number}/{count} 张", font=sub, fill=MUTED, anchor="rm")
    y = HEADER
    for line in lines:
        y = draw_line(draw, line, y)
    draw_footer(image, draw, url, height)
    return to_png(image)


def draw_line(draw, line, y):
    right = PAGE_WIDTH - MARGIN
    kind = line[0]
    if kind == "heading":
        draw.rectangle([MARGIN - 16, y + 12, right + 16, y + 72], fill=TINT)
        face = font(36, bold=True)
        draw.text((MARGIN, y + 42), line[1], font=face, fill=RED, anchor="lm")
        draw.text((right, y + 42), line[2], font=font(32), fill=RED, anchor="rm")
    elif kind == "row":
        face = font(32)
        amount_width = face.getlength(line[2]) + 24
        draw.text(
            (MARGIN, y + 28),
            fit(line[1], face, right - MARGIN - amount_width),
            font=face,
            fill=INK,
            anchor="lm",
        )
        draw.text((right, y + 28), line[2], font=face, fill=INK, anchor="rm")
        draw.line([MARGIN, y + 55, right, y + 55], fill=LINE, width=1)
    elif kind == "pairs":
        face = font(30)
        column = (right - MARGIN - 48) // 2
        for index, (name, amount) in enumerate(line[1][:2]):
            left = MARGIN + index * (column + 48)
            amount_width = face.getlength(amount) + 16
            draw.text(
                (left, y + 28), fit(name, face, column - amount_width), font=face, fill=INK, anchor="lm"
            )
            draw.text((left + column, y + 28), amount, font=face, fill=INK, anchor="rm")
        draw.line([MARGIN, y + 55, right, y + 55], fill=LINE, width=1)
    else:
        face = font(30)
        for text in wrap(line[1], face, right - MARGIN):
            draw.text((MARGIN, y + 6), text, font=face, fill=MUTED)
            y += 44
        return y + 12
    return y + HEIGHTS[kind]


def draw_footer(image, draw, url, height):
    qr_size = 180
    top = height - FOOTER + 40
    draw.line([MARGIN, top - 20, PAGE_WIDTH - MARGIN, top - 20], fill=LINE, width=2)
    image.paste(qr_image(url, qr_size), (PAGE_WIDTH - MARGIN - qr_size, top))
    draw.text((MARGIN, top + 30), federation_name(), font=font(36, bold=True), fill=RED)
    draw.text((MARGIN, top + 90), "扫码查看完整名单、更正说明和下载数据", font=font(28), fill=MUTED)
    draw.text((MARGIN, top + 135), "每一笔善款公开透明", font=font(28), fill=MUTED)
