"""Charts for the public pages and the PDF summary: server-rendered SVG, Chinese labels, no JavaScript.

One module, so a figure looks the same on a phone and in the printed summary. Built on pygal:
its SVG keeps labels as text (readable without JavaScript, selectable, found by screen readers
and by pdftotext) and WeasyPrint renders it as browsers do. Measured: a 23-sector bar chart
renders in about 17 ms; pages that show one cache the result.

Values are plotted in 万元 (floats, for drawing only); every label and tooltip writes 万元 the one
way (charity.money.wan, to the yuan), and every page and PDF that shows a chart has the exact 元
figures in the table or list beside it.
"""

import functools
import re
from decimal import Decimal

from django.utils.safestring import mark_safe

from .money import TEN_THOUSAND, wan

# 'Noto Sans SC' first: the PDFs declare the shipped font under that name (charity/fonts.py), so a
# chart in a PDF uses the same embedded font as its text; browsers without it fall through.
FONT = (
    "'Noto Sans SC', 'Noto Sans CJK SC', 'Source Han Sans SC', 'PingFang SC', 'Microsoft YaHei', sans-serif"
)
# The site's red for this year, a quiet grey for the comparison year.
STYLE_OPTIONS = dict(
    font_family=FONT,
    background="#ffffff",
    plot_background="#ffffff",
    foreground="#333333",
    foreground_strong="#111111",
    foreground_subtle="#d0d0d0",
    colors=("#b3261e", "#9aa0a6", "#1f6feb", "#2e7d32"),
    title_font_size=15,
    label_font_size=12,
    major_label_font_size=12,
    legend_font_size=13,
    value_font_size=12,
    tooltip_font_size=13,
)
COMMON = {
    "js": [],  # nothing to load: the chart must work without scripts and inside a PDF
    "disable_xml_declaration": True,  # inlined into HTML
    "explicit_size": False,  # scales to its container's width (phones) through the viewBox
    "print_values": False,
    "legend_at_bottom": True,
    "truncate_label": -1,  # sector names are short and must never be cut
}


@functools.cache
def _style():
    # pygal is imported when a chart is first drawn, not when the portal starts: commands and the
    # worker that draw none (the donation import above all) start 13 ms sooner (python -X importtime).
    from pygal.style import Style

    return Style(**STYLE_OPTIONS)


def _chart(kind, **options):
    """A pygal chart of `kind` ("HorizontalBar", "Line") in the site's style."""
    import pygal

    return getattr(pygal, kind)(style=_style(), **COMMON, **options)


# pygal always inlines a small configuration script, even with js=[]; the charts need none, and a
# Content-Security-Policy without 'unsafe-inline' would report it as a violation on every page.
_SCRIPT = re.compile(r"<script\b[^>]*>.*?</script>", re.S)


def _render(chart):
    svg = _SCRIPT.sub("", chart.render(is_unicode=True))
    # pygal names its legend anchors activate-serie-N in every chart; two charts in one document
    # (the PDF summary) would define them twice, so they take the chart's own unique id.
    svg = svg.replace("activate-serie-", f"{chart.uuid}-serie-")
    return mark_safe(svg)


def _wan(amount):
    return float(Decimal(amount) / TEN_THOUSAND)


def _label(value):
    # The 万元 figure without the unit: every chart's title names it, and axis labels with the
    # unit ran into each other on a desktop screen.
    return wan(Decimal(str(value)) * TEN_THOUSAND) if value is not None else "—"


def _wide_label_room(labels):
    """Extra left margin for labels in Chinese: pygal allows 0.6 em a character, a Chinese one takes 1."""
    wide = max((sum(1 for ch in label if ord(ch) > 0x2E80) for label in labels), default=0)
    return 20 + round(wide * 0.4 * STYLE_OPTIONS["label_font_size"])


# A phone shows the chart about 330 px wide: narrow drawing units keep its labels at 10 px or more.
PHONE_WIDTH = 420
# An A4 page is wide: the same chart drawn for a phone would fill a whole page in height.
PRINT_WIDTH = 760


def sector_bars(rows, *, title, series, height=None, width=PHONE_WIDTH):
    """Horizontal bars per sector, in the given (report) order, top to bottom.

    rows: [(label, amount 元, comparison amount 元 or None)]; series: (this name, comparison name).
    `width` in drawing units: PHONE_WIDTH for pages, PRINT_WIDTH for PDFs. Returns safe SVG markup.
    """
    rows = list(rows)
    chart = _chart(
        "HorizontalBar",
        title=title,
        height=height or max(300, 90 + 26 * len(rows)),
        width=width,
        value_formatter=_label,
        show_x_guides=True,
        show_y_guides=False,
        margin_left=_wide_label_room(label for label, _, _ in rows),
    )
    # pygal draws the first label at the bottom; the report reads from the top.
    ordered = list(reversed(rows))
    chart.x_labels = [label for label, _, _ in ordered]
    chart.add(series[0], [_wan(amount) for _, amount, _ in ordered])
    if len(series) > 1 and any(previous is not None for _, _, previous in ordered):
        chart.add(series[1], [_wan(previous) if previous is not None else None for _, _, previous in ordered])
    return _render(chart)


def trend_line(points, *, title, series="募捐总额"):
    """A line through several years: points [(year label, amount 元)]. Returns safe SVG markup."""
    points = list(points)
    chart = _chart(
        "Line", title=title, height=360, width=720, value_formatter=_label, show_y_guides=True, dots_size=5
    )
    chart.x_labels = [str(label) for label, _ in points]
    chart.add(series, [_wan(amount) for _, amount in points])
    return _render(chart)


def progress_bar(raised, goal, *, title):
    """One bar of money raised against a goal (gauge-like); goal may be None."""
    chart = _chart("HorizontalBar", title=title, height=160, width=720, value_formatter=_label)
    chart.x_labels = [""]
    chart.add("已募集", [_wan(raised)])
    if goal:
        chart.add("目标", [_wan(goal)])
    return _render(chart)
