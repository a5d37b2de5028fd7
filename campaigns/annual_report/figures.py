"""The whole year's figures (年度工作报告), from the ledger, each against the year before.

Every sum is the database's (QuerySet methods of donations and relief); Python only pairs this
year's rows with last year's and rolls sub-branches into their parent. Public means confirmed:
every gift is read through `Donation.objects.public()`.

Two totals of money and never one without its name: **募集总额** (money raised) counts every gift of
the year's campaigns, direct gifts (到账方式 直接捐赠) included; **进入总会账户** (money into the
account) leaves them out. A share is always stated with its base (`Share.base`), since the 2019
summary's "占慈善筹集收入的82%" does not say which income it means.

Each figure against last year is a `YearOnYear`: the shared this-year/last-year row of
charity/figures.py (`Comparison`: change, percent, share) with the name the report writes.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce

from charity.figures import Comparison, share
from charity.money import money_sum
from donations.models import Branch, Donation, Sector
from donations.querysets import STANDING
from donations.sectors import UNASSIGNED_LABEL
from relief.models import Disbursement, ProjectYear

from ..models import Campaign

ZERO = Decimal("0.00")
RAISED = "募集总额"
INTO_ACCOUNT = "进入总会账户的金额"


@dataclass(init=False)
class YearOnYear(Comparison):
    """A named figure this year and last (None: nothing to compare with), with its change."""

    name: str = ""

    def __init__(self, name, current, previous=None, base=None):
        super().__init__(current, previous, base)
        self.name = name

    @property
    def rose(self):
        return self.previous is not None and self.current > self.previous


@dataclass
class Share:
    """`part` as a percent of `whole` (charity.figures.share); `base` names the whole (募集总额 …)."""

    part: Decimal
    whole: Decimal
    base: str

    @property
    def percent(self):
        return share(self.part, self.whole)


def public_gifts(year):
    return Donation.objects.public().for_year(year)


# --- money ------------------------------------------------------------------------------------


@dataclass
class Money:
    raised: YearOnYear  # 募集总额, direct gifts included
    into_account: YearOnYear  # 进入总会账户
    direct: Decimal  # this year's direct gifts (raised - into the account)


def money(year):
    """Money raised and money into the account, each against last year."""
    now, before = _money_parts(year), _money_parts(year - 1)
    has_previous = Campaign.objects.of_year(year - 1).exists()
    return Money(
        raised=YearOnYear(RAISED, now["raised"], before["raised"] if has_previous else None),
        into_account=YearOnYear(
            INTO_ACCOUNT, now["into_account"], before["into_account"] if has_previous else None
        ),
        direct=now["raised"] - now["into_account"],
    )


def _money_parts(year):
    return public_gifts(year).aggregate(
        raised=money_sum(), into_account=money_sum(filter=Q(route=Donation.Route.ACCOUNT))
    )


# --- campaigns --------------------------------------------------------------------------------


@dataclass
class CampaignRow(YearOnYear):
    kind: str = ""
    compared_with: str = ""  # last year's campaign's name, when there is one to compare with


def campaigns(year):
    """Every campaign of the year, in date order, with its kind, total and change.

    A campaign is compared with last year's campaign of the same kind when each year has exactly
    one of that kind; three charity sales one year and two the next have no pairs to compare.
    """
    totals = {
        row["campaign_id"]: row["total"]
        for row in Donation.objects.public().filter(campaign__year__in=[year, year - 1]).totals_by_campaign()
    }
    this_year = list(Campaign.objects.of_year(year).order_by("start_date", "name"))
    last_year = list(Campaign.objects.of_year(year - 1))
    kinds = dict(Campaign.Kind.choices)
    rows = []
    for campaign in this_year:
        same = [c for c in this_year if c.kind == campaign.kind]
        before = [c for c in last_year if c.kind == campaign.kind]
        pair = before[0] if len(same) == 1 and len(before) == 1 else None
        rows.append(
            CampaignRow(
                name=campaign.name,
                current=totals.get(campaign.pk, ZERO),
                previous=totals.get(pair.pk, ZERO) if pair else None,
                kind=kinds.get(campaign.kind, campaign.kind),
                compared_with=pair.name if pair else "",
            )
        )
    return rows


# --- sectors, branches, units -----------------------------------------------------------------


def sectors(year):
    """Every sector with money this year or last (all campaigns), in sector order; money in no
    sector last."""
    now = {r["sector_id"]: r["total"] for r in public_gifts(year).totals_by_sector()}
    before = {r["sector_id"]: r["total"] for r in public_gifts(year - 1).totals_by_sector()}
    has_previous = Campaign.objects.of_year(year - 1).exists()
    rows = [
        YearOnYear(s.name, now.get(s.pk, ZERO), before.get(s.pk, ZERO) if has_previous else None)
        for s in Sector.objects.filter(pk__in={*now, *before} - {None}).order_by("order", "name")
    ]
    if None in now or None in before:
        rows.append(
            YearOnYear(
                UNASSIGNED_LABEL, now.get(None, ZERO), before.get(None, ZERO) if has_previous else None
            )
        )
    return rows


@dataclass
class Branches:
    rows: list  # YearOnYear per top-level branch, largest this year first
    rose: int  # how many branches raised more than last year
    risen_by: Decimal  # what those that rose added together
    net_change: Decimal | None  # all branches together against last year

    @property
    def compared(self):
        return sum(1 for row in self.rows if row.previous is not None)


def branches(year, parent=None):
    """Top-level branches with their sub-branches rolled in, this year against last; with `parent`,
    that branch's sub-groups instead (住建's 局属单位, 施工企业 …), each with its own sub-branches
    rolled in, and money given to `parent` itself under its own name."""
    group = _groups(parent)
    now, before = {}, {}
    for target, y in ((now, year), (before, year - 1)):
        gifts = public_gifts(y).filter(branch__in=list(group))
        for row in gifts.totals_by_branch():
            key = group[row["branch_id"]]
            target[key] = target.get(key, ZERO) + row["total"]
    names = dict(Branch.objects.filter(pk__in={*now, *before}).values_list("pk", "name"))
    has_previous = Campaign.objects.of_year(year - 1).exists()
    rows = sorted(
        (
            YearOnYear(names[pk], now.get(pk, ZERO), before.get(pk, ZERO) if has_previous else None)
            for pk in {*now, *before}
        ),
        key=lambda row: (-row.current, row.name),
    )
    risen = [row for row in rows if row.rose]
    return Branches(
        rows=rows,
        rose=len(risen),
        risen_by=sum((row.change for row in risen), ZERO),
        net_change=sum((row.change for row in rows), ZERO) if has_previous else None,
    )


def _groups(parent):
    """{branch id: the id it is counted under}: each branch under its ancestor just below `parent`
    (the top level when `parent` is None); branches outside `parent` are left out. Branches are a
    few dozen, read in one query."""
    parents = dict(Branch.objects.values_list("pk", "parent_id"))
    top = getattr(parent, "pk", None)
    groups = {}
    for pk in parents:
        node, seen = pk, set()
        while parents.get(node) != top and parents.get(node) is not None and node not in seen:
            seen.add(node)  # Branch.clean() refuses cycles; this only stops a bad row's loop
            node = parents[node]
        if parents.get(node) == top:
            groups[pk] = node
        elif node == top:
            groups[pk] = top  # the parent itself
    return groups


@dataclass
class UnitRow:
    name: str  # the sector's
    units: YearOnYear  # how many distinct units gave (whole numbers)
    total: YearOnYear  # what they gave


def units_by_sector(year):
    """Per sector: how many units gave and how much, this year against last."""

    def per_sector(y):
        gifts = public_gifts(y).by_donor_kind("unit")
        return {
            row["sector_id"]: row
            for row in gifts.values("sector_id").annotate(
                units=Count("donor", filter=STANDING, distinct=True), total=money_sum()
            )
        }

    now, before = per_sector(year), per_sector(year - 1)
    has_previous = Campaign.objects.of_year(year - 1).exists()
    names = dict(Sector.objects.values_list("pk", "name"))
    order = list(Sector.objects.filter(pk__in={*now, *before} - {None}).values_list("pk", flat=True))
    rows = []
    for pk in order + ([None] if None in now or None in before else []):
        this, last = now.get(pk, {}), before.get(pk, {})
        rows.append(
            UnitRow(
                name=names.get(pk, UNASSIGNED_LABEL),
                units=YearOnYear(
                    "单位数", this.get("units", 0), last.get("units", 0) if has_previous else None
                ),
                total=YearOnYear(
                    "捐款", this.get("total", ZERO), last.get("total", ZERO) if has_previous else None
                ),
            )
        )
    return rows


def first_time_units(year):
    """Units that gave this year and in no earlier year, largest first, under their public names:
    [{"public_name", "total", "sector"}]."""
    earlier = Donation.objects.filter(campaign__year__lt=year).public().filter(STANDING).values("donor_id")
    names = dict(Sector.objects.values_list("pk", "name"))
    rows = public_gifts(year).by_donor_kind("unit").exclude(donor_id__in=earlier).totals_by_donor("sector_id")
    return [
        {"public_name": r["public_name"], "total": r["total"], "sector": names.get(r["sector_id"], "")}
        for r in rows
    ]


# --- relief -----------------------------------------------------------------------------------


@dataclass
class ProjectRow:
    name: str
    spent: YearOnYear
    people: YearOnYear
    budget: YearOnYear | None = None  # 年度预算 of a project over several years (relief.ProjectYear)


@dataclass
class Relief:
    spent: YearOnYear
    people_helped: int
    project_count: int
    of_raised: Share  # spending as a share of 募集总额
    of_account: Share  # spending as a share of what went into the account
    projects: list  # ProjectRow, largest spending first
    earlier_funds: Decimal  # spent this year from money raised in an earlier year
    earlier_by_year: list = field(default_factory=list)  # [(year the money was raised, amount)]

    @property
    def recurring(self):
        """The projects that also spent last year, against their previous year."""
        return [p for p in self.projects if p.spent.previous]


def relief(year, raised=None):
    """Relief spending of the year against last, its share of the money (base named), the projects
    with their spending and people helped against their previous year, and the part paid from
    earlier years' money (Disbursement.funds_year)."""
    now, before = Disbursement.objects.for_year(year), Disbursement.objects.for_year(year - 1)
    raised = raised or money(year)
    spent_now, spent_before = now.total(), before.total()
    last_year = {r["project_id"]: r for r in before.totals_by_project()}
    budgets = {
        (b["project_id"], b["year"]): b["budget"]
        for b in ProjectYear.objects.filter(year__in=[year, year - 1]).values("project_id", "year", "budget")
    }
    projects = [
        ProjectRow(
            name=r["project__name"],
            spent=YearOnYear(
                "支出",
                r["total"],
                last_year[r["project_id"]]["total"] if r["project_id"] in last_year else None,
            ),
            people=YearOnYear(
                "受助人次",
                r["people"],
                last_year[r["project_id"]]["people"] if r["project_id"] in last_year else None,
            ),
            budget=(
                YearOnYear(
                    "年度预算", budgets[r["project_id"], year], budgets.get((r["project_id"], year - 1))
                )
                if (r["project_id"], year) in budgets
                else None
            ),
        )
        for r in now.totals_by_project()
    ]
    earlier = now.filter(funds_year__lt=year)
    by_year = (
        earlier.values("funds_year")
        .annotate(total=money_sum(), n=Coalesce(Sum("people_helped"), 0))
        .order_by("funds_year")
    )
    return Relief(
        spent=YearOnYear("救助支出", spent_now, spent_before if before.exists() else None),
        people_helped=now.people_helped(),
        project_count=len(projects),
        of_raised=Share(spent_now, raised.raised.current, f"本年度{RAISED}（含直接捐赠）"),
        of_account=Share(spent_now, raised.into_account.current, f"本年度{INTO_ACCOUNT}"),
        projects=projects,
        earlier_funds=earlier.total(),
        earlier_by_year=[(r["funds_year"], r["total"]) for r in by_year],
    )
