"""The year report as a list of blocks (headings, paragraphs, tables, charts), one structure that
the PDF (`pdf.py`) and the Word file (`word.py`) both print, so the two carry the same figures.

Every paragraph comes from prose.py, every figure from figures.py or, for the 慈善一日捐 section in
the 2023 report's form, from campaigns/annual_summary/figures.py.
"""

from dataclasses import dataclass, field

from django.utils import timezone

from charity import charts
from charity.money import count, signed_percent, signed_yuan, yuan
from donations.models import Branch

from ..annual_summary import figures as one_day_summary
from . import figures, narratives, prose
from .models import ReportNarrative

NUMERALS = "一二三四五六七八九十"


@dataclass
class Heading:
    kind = "Heading"  # for the template
    text: str


@dataclass
class Paragraph:
    kind = "Paragraph"  # for the template
    text: str
    note: bool = False


@dataclass
class Table:
    kind = "Table"  # for the template
    header: list
    rows: list  # lists of cell texts
    numeric: tuple = ()  # indexes of the columns aligned right


@dataclass
class Chart:
    kind = "Chart"  # for the template
    svg: str  # safe SVG markup (charity.charts): the PDF embeds it, Word gets it as an image
    title: str


@dataclass
class Narrative:
    kind = "Narrative"  # for the template
    html: str  # sanitised (narratives.to_html)
    runs: list  # for Word (narratives.to_runs)


@dataclass
class Report:
    year: int
    title: str
    organisation: str
    office: str
    date: object
    blocks: list = field(default_factory=list)


def _prev(value, formatter=yuan):
    return "—" if value is None else formatter(value)


def year_rows(rows):
    return [
        [r.name, yuan(r.current), _prev(r.previous), signed_yuan(r.change), signed_percent(r.percent)]
        for r in rows
    ]


YEAR_HEADER = ["", "本年度（元）", "上年度（元）", "增减（元）", "增减幅度"]


def build_report(year, organisation, office=""):
    """Every block of the year's report, in order."""
    money = figures.money(year)
    campaigns = figures.campaigns(year)
    branches = figures.branches(year)
    sectors = figures.sectors(year)
    units = figures.units_by_sector(year)
    relief = figures.relief(year, money)
    report = Report(
        year=year,
        title=f"{year}年度工作报告",
        organisation=organisation,
        office=office or f"{organisation}办公室",
        date=timezone.localdate(),
    )
    add = report.blocks.append

    add(Heading("一、善款募集"))
    add(Paragraph(prose.money_paragraph(year, money, campaigns)))
    add(
        Table(
            ["", "本年度（元）", "上年度（元）", "增减（元）", "增减幅度"],
            year_rows([money.raised, money.into_account]),
            numeric=(1, 2, 3, 4),
        )
    )
    if campaigns:
        add(
            Table(
                ["募捐活动", "类型", "募集总额（元）", "上年同类活动（元）", "增减幅度"],
                [
                    [r.name, r.kind, yuan(r.current), _prev(r.previous), signed_percent(r.percent)]
                    for r in campaigns
                ],
                numeric=(2, 3, 4),
            )
        )
        add(
            Chart(
                charts.sector_bars(
                    [(r.name, r.current, r.previous) for r in campaigns],
                    title="各项募捐活动募集总额（万元）",
                    series=(f"{year}年", "上年同类活动"),
                    width=charts.PRINT_WIDTH,
                ),
                "各项募捐活动募集总额（万元）",
            )
        )
    add(
        Paragraph(
            "募集总额含直接捐赠（捐赠人直接交给受助人或灾区、未进入总会账户的款项）；"
            "进入总会账户的金额不含直接捐赠。增减幅度按精确金额计算，保留一位小数。",
            note=True,
        )
    )

    add(Heading("二、慈善分会与各版块"))
    paragraph = prose.branch_paragraph(branches)
    if paragraph:
        add(Paragraph(paragraph))
        add(
            Table(
                ["慈善分会（含下属分会）", *YEAR_HEADER[1:]], year_rows(branches.rows), numeric=(1, 2, 3, 4)
            )
        )
    by_sector = {r.name: r for r in sectors}
    for parent in (
        Branch.objects.filter(parent=None, children__isnull=False).distinct().select_related("sector")
    ):
        unit_row = next((u for u in units if u.name == parent.sector.name), None)
        groups = figures.branches(year, parent=parent).rows
        if unit_row is not None and parent.sector.name in by_sector and any(g.current for g in groups):
            add(
                Paragraph(
                    prose.unit_sentence(
                        parent.sector.name, unit_row.units, by_sector[parent.sector.name], groups
                    )
                )
            )
    if units:
        add(
            Table(
                ["版块", "参与单位（家）", "上年（家）", "单位捐款（元）", "上年（元）", "增减幅度"],
                [
                    [
                        u.name,
                        count(u.units.current),
                        _prev(u.units.previous, count),
                        yuan(u.total.current),
                        _prev(u.total.previous),
                        signed_percent(u.total.percent),
                    ]
                    for u in units
                ],
                numeric=(1, 2, 3, 4, 5),
            )
        )
    first = prose.first_time_sentence(figures.first_time_units(year))
    if first:
        add(Paragraph(first))
    add(Table(["版块（全部募捐活动）", *YEAR_HEADER[1:]], year_rows(sectors), numeric=(1, 2, 3, 4)))

    summary = one_day_summary.annual_summary(year)
    if summary.campaigns:
        add(Heading("三、慈善一日捐"))
        for text in prose.one_day_paragraphs(summary):
            add(Paragraph(text))
        add(
            Table(
                ["版块", f"{year}年度（元）", f"{year - 1}年度（元）", "增减（元）", "增减幅度", "占比"],
                [
                    [
                        r.name,
                        yuan(r.current),
                        _prev(r.previous),
                        signed_yuan(r.change),
                        signed_percent(r.percent),
                        "—" if r.share is None else f"{r.share}%",
                    ]
                    for r in [*summary.sector_rows, summary.total_row]
                ],
                numeric=(1, 2, 3, 4, 5),
            )
        )
        add(
            Paragraph(
                f"参与单位{count(summary.units)}家，参与人数{count(summary.head_count)}人次（精确数）。",
                note=True,
            )
        )

    add(Heading("四、慈善救助" if summary.campaigns else "三、慈善救助"))
    add(Paragraph(prose.relief_paragraph(year, relief)))
    recurring = prose.recurring_sentence(relief)
    if recurring:
        add(Paragraph(recurring))
    if relief.projects:
        # 年度预算 only where a project over several years has one (relief.ProjectYear).
        budgets = any(p.budget is not None for p in relief.projects)
        add(
            Table(
                [
                    "救助项目",
                    *(["年度预算（元）"] if budgets else []),
                    "支出（元）",
                    "上年（元）",
                    "受助人次",
                    "上年人次",
                ],
                [
                    [
                        p.name,
                        *([yuan(p.budget.current) if p.budget is not None else "—"] if budgets else []),
                        yuan(p.spent.current),
                        _prev(p.spent.previous),
                        count(p.people.current),
                        _prev(p.people.previous, count),
                    ]
                    for p in relief.projects
                ],
                numeric=(1, 2, 3, 4, 5) if budgets else (1, 2, 3, 4),
            )
        )
        add(
            Paragraph(
                f"救助支出合计{yuan(relief.spent.current)}元，受助{count(relief.people_helped)}人次（精确数）。"
                "占比的基数在句中写明：募集总额含直接捐赠，进入总会账户的金额不含。",
                note=True,
            )
        )
    add_narratives(report)
    return report


def add_narratives(report):
    """The staff's sections of the year (ReportNarrative), after the figures, numbered on."""
    sections = list(ReportNarrative.objects.filter(year=report.year).order_by("order", "pk"))
    if not sections:
        return
    values = narratives.placeholder_values(report.year)
    number = sum(isinstance(block, Heading) for block in report.blocks)
    for section in sections:
        label = NUMERALS[number] if number < len(NUMERALS) else str(number + 1)
        report.blocks.append(Heading(f"{label}、{section.heading}"))
        report.blocks.append(
            Narrative(narratives.to_html(section.body, values), narratives.to_runs(section.body, values))
        )
        number += 1
