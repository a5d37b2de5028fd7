"""The fundraisers' lists (劝募名单): who gave last year and not yet this year (LYBUNT), who gave
in an earlier year (SYBUNT), who gives less than last year, who gave for the first time.

Each is a DonationQuerySet method over `giving_by_donor(year)` (donations/querysets.py): rows of
figures per donor. Here the gifts are narrowed to the donors the list's form asks for (kind of
donor, sector, branch) within the account's scope, and to a campaign kind; the donors of a page
(or of the whole call list, a chunk at a time) are then read by key and carry their figures.
A person's staff lines are not counted: that money is their unit's gift, and the unit is called.
"""

from dataclasses import dataclass

from django import forms
from django.db.models import F, Max, Q
from django.utils import timezone

from campaigns.core import Campaign
from charity.spreadsheets import Sheet, xlsx_document

from .models import Branch, Donation, Donor, Sector, branch_with_descendants
from .scoping import limit_to_scope

# Donors read by key per query (SQLite allows at most 999 parameters in older versions).
DONORS_AT_ONCE = 500


@dataclass(frozen=True)
class FundraisingList:
    key: str
    title: str
    explanation: str
    method: str  # the DonationQuerySet method that selects its donors' rows
    ordering: tuple  # largest gap or gift first


LISTS = {
    entry.key: entry
    for entry in [
        FundraisingList(
            "lybunt",
            "去年捐、今年尚未捐（LYBUNT）",
            "上一年度有捐赠、本年度还没有捐赠的单位或个人。",
            "lapsed_last_year",
            ("-last_year",),
        ),
        FundraisingList(
            "sybunt",
            "以前捐过、去年和今年未捐（SYBUNT）",
            "上一年度以前有过捐赠，上一年度和本年度都没有捐赠（去年捐过的在 LYBUNT 名单里）。",
            "lapsed_earlier",
            ("-earlier",),
        ),
        FundraisingList(
            "less",
            "今年少于去年",
            "本年度已捐，但少于上一年度（两个数都列出）。",
            "giving_less",
            ("-gap",),
        ),
        FundraisingList(
            "first",
            "今年首次捐赠",
            "本年度第一次捐赠，以前没有捐过。",
            "first_gift_this_year",
            ("-this_year",),
        ),
    ]
}


def default_year(today=None):
    """The year of the newest campaign that has started (this year during a campaign; in the
    months between, the campaign just ended), or today's year without any campaign."""
    today = today or timezone.localdate()
    year = Campaign.objects.filter(start_date__lte=today).aggregate(year=Max("year"))["year"]
    return year or today.year


class FundraisingListForm(forms.Form):
    list = forms.ChoiceField(label="名单", choices=[(key, entry.title) for key, entry in LISTS.items()])
    year = forms.IntegerField(label="本年度", min_value=2000, max_value=2100)
    kind = forms.ChoiceField(label="捐赠人类型", choices=Donor.Kind.choices, initial=Donor.Kind.UNIT)
    campaign_kind = forms.ChoiceField(
        label="活动类型", choices=[("", "全部")] + Campaign.Kind.choices, required=False
    )
    sector = forms.ModelChoiceField(label="版块", queryset=Sector.objects.all(), required=False)
    branch = forms.ModelChoiceField(
        label="分会（含下级）", queryset=Branch.objects.select_related("sector"), required=False
    )

    def __init__(self, data, user):
        super().__init__(data)
        # A liaison chooses among its own branches only (the list is confined to them anyway).
        self.fields["branch"].queryset = limit_to_scope(self.fields["branch"].queryset, user)

    @classmethod
    def from_request(cls, request):
        data = request.GET.copy()
        data.setdefault("list", "lybunt")
        data.setdefault("year", str(default_year()))
        data.setdefault("kind", Donor.Kind.UNIT)
        return cls(data, request.user)


def giving_on_list(donors, entry, year, kind, campaign_kind="", sector=None, branch=None):
    """The giving_by_donor rows of `entry` (a FundraisingList) for the donors among `donors` of
    `kind` (and `sector`, `branch`), with `gap` (last year minus this year), in the list's order."""
    donors = donors.filter(kind=kind)
    if sector is not None:
        donors = donors.filter(Q(sector=sector) | Q(branch__sector=sector))
    if branch is not None:
        donors = donors.filter(branch__in=branch_with_descendants(branch.pk))
    gifts = Donation.objects.filter(donor__in=donors.values("pk"))
    if campaign_kind:
        gifts = gifts.filter(campaign__kind=campaign_kind)
    found = getattr(gifts.giving_by_donor(year), entry.method)()
    return found.annotate(gap=F("last_year") - F("this_year")).order_by(*entry.ordering, "donor_id")


def with_donors(rows):
    """The donors of `rows` (giving_by_donor rows) in the rows' order, each carrying its row's
    figures as attributes (this_year, last_year, earlier, last_gift, gap)."""
    rows = list(rows)
    found = {}
    for start in range(0, len(rows), DONORS_AT_ONCE):
        keys = [row["donor_id"] for row in rows[start : start + DONORS_AT_ONCE]]
        found.update(Donor.objects.select_related("sector", "branch__sector", "employer").in_bulk(keys))
    donors = []
    for row in rows:
        donor = found[row["donor_id"]]
        for name in ("this_year", "last_year", "earlier", "last_gift", "gap"):
            setattr(donor, name, row[name])
        donors.append(donor)
    return donors


def call_list_xlsx(entry, year, giving):
    """The list (giving_on_list's rows) as a workbook to call from: contacts, both years'
    figures, an empty column for what the call brought (recorded afterwards as a 劝募跟进)."""
    header = [
        "名称", "类型", "版块", "分会", "所在单位", "联系人", "电话", "地址",
        f"{year - 1}年度（元）", f"{year}年度（元）", f"{year}年以前合计（元）", "最近捐赠日期", "跟进结果",
    ]  # fmt: skip
    rows = [header]
    giving = list(giving)
    for start in range(0, len(giving), DONORS_AT_ONCE):
        rows += [call_row(donor) for donor in with_donors(giving[start : start + DONORS_AT_ONCE])]
    widths = {0: 30, 3: 20, 4: 20, 6: 16, 7: 30, 8: 14, 9: 14, 10: 16, 11: 12, 12: 30}
    return xlsx_document([Sheet(entry.title[:31].replace("（", "(").replace("）", ")"), rows, widths)])


def call_row(donor):
    sector = donor.sector or (donor.branch.sector if donor.branch else None)
    return [
        donor.name,
        donor.get_kind_display(),
        str(sector or ""),
        donor.branch.name if donor.branch else "",
        donor.employer.name if donor.employer else "",
        donor.contact_person,
        donor.phone,
        donor.address,
        donor.last_year,
        donor.this_year,
        donor.earlier,
        donor.last_gift,
        "",
    ]
