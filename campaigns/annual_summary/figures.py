"""The annual summary's figures (年度工作总结), computed once for the HTML preview and the PDF alike.

`annual_summary(year)` returns every number the document prints; the templates only format them.
The year's 慈善一日捐 is the subject (基本情况, the sector table, the sentences, the largest donors);
the year's other campaigns are listed with their totals. Every sum is done by the database through
the QuerySet methods of donations/querysets.py, and every donor's name comes from
`totals_by_donor()` (public names: 爱心人士 for the anonymous).

Public means confirmed: every figure is read from `Donation.objects.public()`, so a gift still under
review (待审核) is in none of them until it is confirmed.

The fingerprint is a SHA-256 of the rows the document is built from: the donations of the year and
of the year before, each with the public form of its donor, the totals of the earlier years (all the
trend shows of them), and the campaigns and sectors they name. The same data always gives the
same fingerprint, so a rendered document is stored under it and served again until a row changes
(campaigns/services.py).
"""

import hashlib
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from charity.figures import Comparison, share
from charity.money import percent, wan, yuan
from donations.models import Donation, Sector
from donations.querysets import public_name, shown_anonymous
from donations.sectors import UNASSIGNED_LABEL
from relief.models import Disbursement, ReliefProject

from ..models import Campaign, HonorRollIssue, RankingEdition

ONE_DAY = Campaign.Kind.ONE_DAY
TOP_DONORS = 10


@dataclass
class ReliefFigures:
    total: Decimal
    people_helped: int
    ratio: Decimal | None  # relief spending as a percent of all money raised in the year
    projects: list  # [(project name, amount)], largest first
    categories: list  # [(category label, amount)], in the categories' order


def relief_figures(year):
    """Relief spending of the year, or None when none was recorded (the document says so)."""
    spent = Disbursement.objects.for_year(year)
    total = spent.total()
    if not total:
        return None
    raised = Donation.objects.public().for_year(year).total()
    labels = dict(ReliefProject.Category.choices)
    return ReliefFigures(
        total=total,
        people_helped=spent.people_helped(),
        ratio=share(total, raised),
        projects=[(row["project__name"], row["total"]) for row in spent.totals_by_project()],
        categories=[
            (labels.get(row["category"], row["category"]), row["total"]) for row in spent.totals_by_category()
        ],
    )


def publications(year):
    """[(title, published on)] of the honor-roll issues and ranking editions published for the year."""
    published = []
    issues = (
        HonorRollIssue.objects.filter(campaign__year=year, status=HonorRollIssue.Status.PUBLISHED)
        .select_related("campaign")
        .order_by("campaign__start_date", "number")
    )
    published += [(str(issue), timezone.localtime(issue.published_at).date()) for issue in issues]
    editions = RankingEdition.objects.filter(year=year, status=RankingEdition.Status.PUBLISHED).order_by(
        "number"
    )
    published += [(str(edition), timezone.localtime(edition.published_at).date()) for edition in editions]
    return published


def one_day_donations(year):
    return Donation.objects.public().filter(campaign__year=year, campaign__kind=ONE_DAY)


@dataclass
class SectorRow(Comparison):
    """A sector's money this year against last year (`previous` None: no previous year to compare
    with), with its share of this year's total (`base`)."""

    name: str = ""
    unassigned: bool = False


@dataclass
class AnnualSummary:
    year: int
    campaigns: list  # the year's 慈善一日捐 campaign(s)
    start_date: object
    end_date: object
    total: Decimal
    units: int
    head_count: int
    donation_count: int
    previous_year: int | None
    previous_total: Decimal | None
    other_campaigns: list  # [(campaign, raised)]
    sector_rows: list
    total_row: SectorRow
    rising: list
    falling: list
    unchanged: list
    new: list
    absent: list
    top_units: list
    top_individuals: list
    trend: list  # [(year, total)], oldest first
    relief: object
    publications: list
    fingerprint: str
    sentences: list = field(default_factory=list)

    @property
    def change(self):
        return Comparison(self.total, self.previous_total).change

    @property
    def percent(self):
        return Comparison(self.total, self.previous_total).percent

    @property
    def campaign_note(self):
        """The campaigns' names, when they say more than 「YEAR年慈善一日捐」."""
        names = [c.name for c in self.campaigns]
        return "" if names == [f"{self.year}年慈善一日捐"] else "、".join(names)

    @property
    def code(self):
        return verification_code(self.fingerprint)

    @property
    def display_code(self):
        return display_code(self.code)

    def headline(self):
        """The headline figures as printed, for the public verification page (stored as JSON)."""
        return {
            "year": self.year,
            "campaigns": "、".join(c.name for c in self.campaigns),
            "start_date": self.start_date.isoformat() if self.start_date else "",
            "end_date": self.end_date.isoformat() if self.end_date else "",
            "units": self.units,
            "head_count": self.head_count,
            "total_wan": wan(self.total),
            "total_yuan": yuan(self.total),
            "previous_year": self.previous_year,
            "change_sentence": change_sentence(self),
        }


def verification_code(fingerprint):
    """The short code printed on the document and used in its verification URL (12 hex digits)."""
    return fingerprint[:12]


def display_code(code):
    code = code.upper()
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def normalize_code(text):
    return text.replace("-", "").replace(" ", "").lower()


def change_sentence(summary):
    """较上年度增长174.22万元（1,742,200.00元，增长10.6%）, or what stands in for it."""
    if summary.previous_year is None:
        return f"{summary.year - 1}年度无慈善一日捐数据，不作同比比较"
    change = summary.change
    verb = "增长" if change > 0 else "减少" if change < 0 else "持平"
    if change == 0:
        return "与上年度持平"
    rate = f"，{verb}{percent(abs(summary.percent))}" if summary.percent is not None else ""
    return f"较上年度{verb}{wan(abs(change))}万元（{yuan(abs(change))}元{rate}）"


def data_fingerprint(year):
    """SHA-256 of every row the summary of `year` is built from (see the module docstring)."""
    digest = hashlib.sha256(f"annual-summary|{year}\n".encode())
    campaigns = Campaign.objects.filter(year__lte=year).order_by("id")
    for row in campaigns.values_list("id", "name", "kind", "year", "start_date", "end_date"):
        digest.update(("C|" + "|".join(map(str, row)) + "\n").encode())
    for row in Sector.objects.order_by("id").values_list("id", "name", "order"):
        digest.update(("S|" + "|".join(map(str, row)) + "\n").encode())
    # Earlier years appear only as their total in the trend: their totals, not their rows, so the
    # fingerprint does not read every donation ever recorded for a download.
    earlier = (
        Donation.objects.public().filter(campaign__kind=ONE_DAY, campaign__year__lt=year - 1).totals_by_year()
    )
    for row in earlier:
        digest.update(f"T|{row['campaign__year']}|{row['total']}|{row['donations']}\n".encode())
    donations = (
        Donation.objects.public()
        .filter(campaign__year__in=[year - 1, year])
        .annotate(shown_name=public_name(), hidden=shown_anonymous())
        .order_by("id")
        .values_list(
            "id",
            "campaign_id",
            "sector_id",
            "donor_id",
            "donor__kind",
            "amount",
            "head_count",
            "hidden",
            "shown_name",
        )
        .iterator(chunk_size=5000)
    )
    for row in donations:
        digest.update(("D|" + "|".join(map(str, row)) + "\n").encode())
    for row in _publication_rows(year):
        digest.update(("P|" + "|".join(map(str, row)) + "\n").encode())
    for row in _relief_rows(year):
        digest.update(("R|" + "|".join(map(str, row)) + "\n").encode())
    return digest.hexdigest()


def _publication_rows(year):
    issues = HonorRollIssue.objects.filter(campaign__year=year, status=HonorRollIssue.Status.PUBLISHED)
    editions = RankingEdition.objects.filter(year=year, status=RankingEdition.Status.PUBLISHED)
    return [
        *issues.order_by("id").values_list("id", "number", "published_at", "content_sha256"),
        *editions.order_by("id").values_list("id", "number", "published_at", "content_sha256"),
    ]


def _relief_rows(year):
    spent = Disbursement.objects.for_year(year).order_by("id")
    return spent.values_list(
        "id", "project_id", "project__name", "project__category", "amount", "people_helped"
    )


def annual_summary(year):
    """Every figure of the year's summary, consistent with its fingerprint.

    The figures take a dozen queries; should a donation change between them, the fingerprint
    taken before and after differs and they are computed again.
    """
    for _ in range(3):
        with transaction.atomic():
            before = data_fingerprint(year)
            summary = _compute(year, before)
            if data_fingerprint(year) == before:
                return summary
    return summary


def _compute(year, fingerprint):
    campaigns = list(Campaign.objects.of_year(year).filter(kind=ONE_DAY).order_by("start_date"))
    donations = one_day_donations(year)
    head = donations.summary()
    has_previous = Campaign.objects.of_year(year - 1).filter(kind=ONE_DAY).exists()
    previous = one_day_donations(year - 1)
    previous_total = previous.total() if has_previous else None

    rows = _sector_rows(donations, previous if has_previous else None, head["total"])
    total_row = SectorRow(
        name="合计",
        current=sum((r.current for r in rows), Decimal("0.00")),
        previous=sum((r.previous for r in rows), Decimal("0.00")) if has_previous else None,
        base=head["total"] if rows else None,  # 100.0%, or none without money
    )
    if total_row.current != head["total"]:  # cannot happen: every donation is in exactly one row
        raise AssertionError(f"版块合计 {total_row.current} 与总额 {head['total']} 不一致")

    sectors = [r for r in rows if not r.unassigned]
    summary = AnnualSummary(
        year=year,
        campaigns=campaigns,
        start_date=min((c.start_date for c in campaigns), default=None),
        end_date=max((c.end_date for c in campaigns), default=None),
        total=head["total"],
        units=head["units"],
        head_count=head["head_count"],
        donation_count=head["donations"],
        previous_year=year - 1 if has_previous else None,
        previous_total=previous_total,
        other_campaigns=other_campaigns(year),
        sector_rows=rows,
        total_row=total_row,
        rising=[r.name for r in sectors if has_previous and r.previous and r.current > r.previous],
        falling=[r.name for r in sectors if has_previous and r.current and r.current < r.previous],
        unchanged=[r.name for r in sectors if has_previous and r.current and r.current == r.previous],
        new=[r.name for r in sectors if has_previous and r.current and not r.previous],
        absent=[r.name for r in sectors if has_previous and not r.current and r.previous],
        top_units=list(donations.filter(donor__kind="unit").totals_by_donor()[:TOP_DONORS]),
        top_individuals=list(donations.filter(donor__kind="individual").totals_by_donor()[:TOP_DONORS]),
        trend=[
            (row["campaign__year"], row["total"])
            for row in Donation.objects.public()
            .filter(campaign__kind=ONE_DAY, campaign__year__lte=year)
            .totals_by_year()
        ],
        relief=relief_figures(year),
        publications=publications(year),
        fingerprint=fingerprint,
    )
    summary.sentences = comparison_sentences(summary)
    return summary


def other_campaigns(year):
    """[(campaign, raised)] of the year's campaigns other than 慈善一日捐, confirmed money only."""
    others = Donation.objects.public().for_year(year).exclude(campaign__kind=ONE_DAY)
    raised = {row["campaign_id"]: row["total"] for row in others.totals_by_campaign()}
    campaigns = Campaign.objects.of_year(year).exclude(kind=ONE_DAY).order_by("start_date")
    return [(c, raised.get(c.pk, Decimal("0.00"))) for c in campaigns]


def _sector_rows(donations, previous, total):
    """Sectors with money this year or last, in sector order; unassigned money last, as its own row."""
    current = {row["sector_id"]: row for row in donations.totals_by_sector()}
    before = {row["sector_id"]: row for row in previous.totals_by_sector()} if previous is not None else {}
    ids = {i for i in current if i is not None} | {i for i in before if i is not None}
    zero = Decimal("0.00")
    rows = []
    for sector in Sector.objects.filter(id__in=ids).order_by("order", "name"):
        amount = current[sector.id]["total"] if sector.id in current else zero
        rows.append(
            SectorRow(
                name=sector.name,
                current=amount,
                previous=(before[sector.id]["total"] if sector.id in before else zero)
                if previous is not None
                else None,
                base=total,
            )
        )
    if None in current or None in before:
        amount = current[None]["total"] if None in current else zero
        rows.append(
            SectorRow(
                name=UNASSIGNED_LABEL,
                current=amount,
                previous=(before[None]["total"] if None in before else zero)
                if previous is not None
                else None,
                base=total,
                unassigned=True,
            )
        )
    return rows


def comparison_sentences(summary):
    """The sentences the 2023 report wrote by hand, generated: sectors in their order."""
    if summary.previous_year is None:
        return [f"{summary.year - 1}年度没有慈善一日捐数据，本年度不作同比比较。"]
    than = f"与{summary.previous_year}年度相比较，"
    sentences = [
        than
        + ("捐赠金额有提升的为：" + "、".join(summary.rising) if summary.rising else "没有捐赠金额提升的版块")
        + "。",
        than
        + (
            "捐赠金额有降低的为：" + "、".join(summary.falling)
            if summary.falling
            else "没有捐赠金额降低的版块"
        )
        + "。",
    ]
    if summary.unchanged:
        sentences.append("捐赠金额与上年度持平的为：" + "、".join(summary.unchanged) + "。")
    if summary.new:
        sentences.append(
            f"本年度新增捐款的版块（{summary.previous_year}年度无捐款）：" + "、".join(summary.new) + "。"
        )
    if summary.absent:
        sentences.append(
            f"{summary.previous_year}年度有捐款、本年度无捐款的版块：" + "、".join(summary.absent) + "。"
        )
    return sentences
