"""The PDF of a published honor-roll issue (光荣榜 第N期), from its frozen content only.

Laid out for speed, by measurement (bench/pdf_bench.py; bench/README.md, "PDFs"): WeasyPrint's time follows
the number of boxes it lays out, whatever the font. A box per name (CSS columns) or a cell per
name and amount (tables) took two to three times as long as this grid: one line of text per row
of up to four names, each name and amount followed by a tab, and each page's part of a list one
<pre> block (a paragraph per line took 30 % longer). Names still read down each column and on
into the next, as on printed honor rolls: the rows are planned here a page at a time (`plan`),
which needs every line's height known in advance. So the template sets line heights from LINE_PT,
a grid's column count leaves room for its widest name (only a name longer than a whole line
wraps, over a number of lines counted here), and every page of names is its own block.
"""

import datetime
import math
from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.utils import timezone

from charity import identity, pdf
from charity.money import count, wan, yuan

from .sharing import cut_off_label, others_line

TEMPLATE = "campaigns/honor_roll_pdf.html"
# Part of a stored file's key (campaigns.services.honor_roll_pdf): raise it when the document
# changes, so files rendered by an earlier layout are rendered again once.
LAYOUT_VERSION = 4  # 4: the federation's name from the site identity

# A4 with 18 mm above and 16 mm below: 745.5 pt of text a page, 55.2 lines of 13.5 pt. One line
# is left spare, so a rounding difference never pushes a row onto a page of its own.
PAGE_MARGINS_MM = (18, 15, 16, 15)
LINE_PT = 13.5
PAGE_LINES = 54
SECTOR_LINES = 2  # a sector's heading is two lines high
FONT_PT = 9.5
# 180 mm of line at 9.5 pt is 53.7 em.
LINE_EM = 53
MAX_COLUMNS = 4
GAP_EM = 1
# Amounts are right-aligned by padding them to the widest one of their list with spaces as wide
# as a digit and as a comma. Noto Sans SC has neither character; HarfBuzz then draws a space as
# wide as its digits (0.555 em) and its point (0.278 em), which is what they are for.
FIGURE_SPACE, PUNCTUATION_SPACE = "\u2007", "\u2008"
DIGIT_EM, POINT_EM = 0.555, 0.278


@dataclass
class Block:
    """One thing on a page of names: a sector's heading, a label, a line of text or a grid."""

    kind: str
    text: str = ""
    aside: str = ""
    lines: int = 1
    tab_em: str = ""


@dataclass
class Grid:
    """How a list of (name, amount) pairs is set: `columns` pairs a row, a tab stop every `tab_em`."""

    columns: int
    tab_em: float
    widest_amount: str

    @classmethod
    def fitting(cls, entries):
        widest_amount = max((amount for _, amount in entries), key=len, default="")
        # Every character of a name is at most 1 em wide (a Chinese one exactly), so the tab
        # after the widest name still comes after its last character.
        widest = max(max((name_em(name) for name, _ in entries), default=0), amount_em(widest_amount))
        tab_em = math.ceil((widest + GAP_EM) * 2) / 2
        columns = max(1, min(MAX_COLUMNS, int(LINE_EM // (2 * tab_em))))
        # One column: the amounts stay on the line even after a name longer than it (which wraps).
        tab_em = min(tab_em, math.floor((LINE_EM - amount_em(widest_amount) - GAP_EM) * 2) / 2)
        return cls(columns, tab_em, widest_amount)

    def cell(self, name, amount):
        missing = self.widest_amount[: len(self.widest_amount) - len(amount)]
        padding = "".join(PUNCTUATION_SPACE if ch in ",." else FIGURE_SPACE for ch in missing)
        if name_em(name) >= self.tab_em:  # only alone in its row: the amount goes on the next line
            return f"{name}\n\t{padding}{amount}"
        return f"{name}\t{padding}{amount}"

    def row_lines(self, name):
        """Lines a one-column row takes: a name that reaches the tab stop (some 47 characters; the
        register allows 200) has its amount on the line after it."""
        if name_em(name) < self.tab_em:
            return 1
        return math.ceil(name_em(name) / LINE_EM) + 1


def name_em(name):
    return len(name)


def amount_em(amount):
    return sum(POINT_EM if ch in ",." else DIGIT_EM for ch in amount)


def clean(name):
    """A public name on one line: a tab or line break inside it would break the grid."""
    return " ".join(str(name).split())


class Pages:
    """Blocks placed on pages of PAGE_LINES lines each, a new page when the next one does not fit."""

    def __init__(self):
        self.pages = []
        self.left = 0

    def room(self, lines):
        if lines > self.left:
            self.pages.append([])
            self.left = PAGE_LINES

    def add(self, block):
        self.room(block.lines)
        self.pages[-1].append(block)
        self.left -= block.lines


def place_grid(pages, label, entries, continued, grid=None):
    """A labelled list of names, a page's rows at a time, each page's part read down its columns."""
    grid = grid or Grid.fitting(entries)
    cells = [grid.cell(name, amount) for name, amount in entries]
    heights = [grid.row_lines(name) for name, _ in entries] if grid.columns == 1 else None
    pages.room(1 + (heights[0] if heights else 1))  # the label never ends a page alone
    pages.add(Block("label", label))
    start = 0
    while start < len(cells):
        if pages.left < (heights[start] if heights else 1):
            pages.room(PAGE_LINES)
            pages.add(Block("label", continued))
        if heights:  # one name a row: as many rows as fit
            taken, used = 0, 0
            while start + taken < len(cells) and used + heights[start + taken] <= pages.left:
                used += heights[start + taken]
                taken += 1
            taken, used = (taken, used) if taken else (1, heights[start])
            lines = cells[start : start + taken]
        else:
            rows = min(pages.left, -(-(len(cells) - start) // grid.columns))
            taken = min(rows * grid.columns, len(cells) - start)
            lines = down_columns(cells[start : start + taken], grid.columns)
            used = len(lines)
        pages.add(Block("grid", text="\n".join(lines), lines=used, tab_em=f"{grid.tab_em:g}em"))
        start += taken


def down_columns(cells, columns):
    """Rows of `columns` cells, filled down the first column, then the next."""
    height = -(-len(cells) // columns)
    return [
        "\t".join(cells[c * height + r] for c in range(columns) if c * height + r < len(cells))
        for r in range(height)
    ]


def plan(content):
    """The pages of names: [[Block]] for each sector's units, named people, others and staff."""
    pages = Pages()
    for sector in content["sectors"]:
        name = sector["name"]
        # A heading never ends a page: its first label and row (or its one line) come with it.
        pages.room(SECTOR_LINES + (2 if sector["units"] or sector["people"] else 1))
        aside = f"本期 {yuan(sector['total'])} 元 · {count(sector['donations'])} 笔"
        pages.add(Block("sector", name, aside=aside, lines=SECTOR_LINES))
        if sector["units"]:
            units = pairs(sector["units"])
            place_grid(pages, "单位", units, f"{name} · 单位（续）")
        if sector["people"]:
            people = pairs(sector["people"])
            place_grid(pages, "爱心人士", people, f"{name} · 爱心人士（续）")
        others = sector["others"]
        if others["count"]:
            pages.add(Block("text", others_line(others)))
        corrections = [
            (
                clean(f"{c['name']}（原列于{c['issue']}）" if c["issue"] else c["name"]),
                yuan(c["amount"]),
            )
            for c in sector.get("corrections", [])  # issues published before reversals had none
        ]
        if corrections:
            place_grid(
                pages, "更正（此前公布的捐款已冲正，从本版块合计中扣除）", corrections, f"{name} · 更正（续）"
            )
        if sector["staff"]:
            place_staff(pages, name, sector["staff"])
    return pages.pages


def place_staff(pages, sector_name, staff):
    """Staff itemised on their units' lists, under each unit's name; one grid for the sector."""
    grid = Grid.fitting(pairs(staff))
    first = grid.row_lines(clean(staff[0]["name"])) if grid.columns == 1 else 1
    pages.room(2 + first)  # with the first unit's name and its first row
    pages.add(Block("label", "单位职工（金额已计入所在单位，不重复计算）"))
    for unit, members in by_unit(staff):
        place_grid(pages, f"{unit}：", pairs(members), f"{sector_name} · {unit}职工（续）", grid)


def by_unit(staff):
    """Consecutive staff lines of one unit (the content lists them remittance by remittance)."""
    groups = []
    for person in staff:
        unit = clean(person["unit"])
        if groups and groups[-1][0] == unit:
            groups[-1][1].append(person)
        else:
            groups.append((unit, [person]))
    return groups


def pairs(rows):
    return [(clean(r["name"]), yuan(r["amount"])) for r in rows]


def sector_rows(content):
    """Each sector's money in this issue and so far, for the cover; their sums are the totals."""
    this_issue = {(s["sector_id"], s["name"]): s for s in content["sectors"]}
    rows = []
    for sector in content["running_by_sector"]:
        current = this_issue.get((sector["sector_id"], sector["name"]))
        total = current["total"] if current else None
        rows.append({"name": sector["name"], "total": total, "running": sector["total"]})
    return rows


@dataclass
class Erratum:
    """What the document prints of an erratum (a HonorRollErratum, or a bench's made-up one)."""

    published_at: datetime.datetime
    text: str
    reason: str = ""
    changes: list = field(default_factory=list)
    void_statement: str = ""


@dataclass
class IssueDocument:
    content: dict
    published_at: datetime.datetime
    page_url: str
    errata: list = field(default_factory=list)
    content_sha256: str = ""


def issue_html(document, *, generated_at=None):
    """The document as HTML for WeasyPrint (the bench renders it Latin-only too)."""
    content = document.content
    top, right, bottom, left = PAGE_MARGINS_MM
    context = {
        "site": identity.current(),  # the federation's name on the cover and in the page header
        "content": content,
        "document": document,
        "cut_off_label": cut_off_label(content),
        "total_wan": wan(content["total"]),
        "running_total_wan": wan(content["running_total"]),
        "sector_rows": sector_rows(content),
        "pages": plan(content),
        "errata": document.errata,
        "generated_at": timezone.localtime(generated_at or timezone.now()),
        "margins": f"{top}mm {right}mm {bottom}mm {left}mm",
        "line": f"{LINE_PT}pt",
        "sector_line": f"{LINE_PT * SECTOR_LINES}pt",
        "font_size": f"{FONT_PT}pt",
    }
    return render_to_string(TEMPLATE, context)


def render_issue(document, *, generated_at=None):
    """RenderedPdf of the document, with the shipped Chinese font (charity/pdf.py)."""
    return pdf.render_html(issue_html(document, generated_at=generated_at))
