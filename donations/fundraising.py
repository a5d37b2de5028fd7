"""The fundraisers' lists (劝募名单): who gave last year and not yet this year (LYBUNT), who gave
in an earlier year (SYBUNT), who gives less than last year, who gave for the first time.

Each is a DonorQuerySet method over `with_giving(year)` (donations/querysets.py); here they are
narrowed by what the list's form asks (campaign kind, sector, branch, kind of donor) and by the
account's scope, and written as a call list with contacts (the xlsx of charity/spreadsheets.py).
A person's staff lines are not counted: that money is their unit's gift, and the unit is called.
"""

from dataclasses import dataclass

from django import forms
from django.db.models import F, Max, Q
from django.utils import timezone

from campaigns.core import Campaign
from charity.spreadsheets import Sheet, xlsx_document

from .models import Branch, Donor, Sector, branch_with_descendants
from .scoping import limit_to_scope


@dataclass(frozen=True)
class FundraisingList:
    key: str
    title: str
    explanation: str
    method: str  # the DonorQuerySet method that selects its donors
    ordering: tuple  # largest gap or gift first


LISTS = {
    entry.key: entry
    for entry in [
        FundraisingList(
            "lybunt",
            "去年捐、今年尚未捐（LYBUNT）",
            "上一年度有捐赠、本年度还没有捐赠的单位或个人。",
            "lapsed_last_year",
            ("-last_year", "name"),
        ),
        FundraisingList(
            "sybunt",
            "以前捐过、去年和今年未捐（SYBUNT）",
            "上一年度以前有过捐赠，上一年度和本年度都没有捐赠（去年捐过的在 LYBUNT 名单里）。",
            "lapsed_earlier",
            ("-earlier", "name"),
        ),
        FundraisingList(
            "less",
            "今年少于去年",
            "本年度已捐，但少于上一年度（两个数都列出）。",
            "giving_less",
            ("-gap", "name"),
        ),
        FundraisingList(
            "first",
            "今年首次捐赠",
            "本年度第一次捐赠，以前没有捐过。",
            "first_gift_this_year",
            ("-this_year", "name"),
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


def donors_on_list(donors, entry, year, kind, campaign_kind="", sector=None, branch=None):
    """The donors of `entry` (a FundraisingList) among `donors`, with their giving
    (with_giving's columns and `gap`, last year minus this year), in the list's order."""
    donors = donors.filter(kind=kind)
    if sector is not None:
        donors = donors.filter(Q(sector=sector) | Q(branch__sector=sector))
    if branch is not None:
        donors = donors.filter(branch__in=branch_with_descendants(branch.pk))
    found = getattr(donors.with_giving(year, campaign_kind or None), entry.method)()
    return (
        found.annotate(gap=F("last_year") - F("this_year"))
        .select_related("sector", "branch__sector", "employer")
        .order_by(*entry.ordering, "pk")
    )


def call_list_xlsx(entry, year, donors):
    """The list as a workbook to call from: contacts, both years' figures, an empty column for
    what the call brought (recorded afterwards as a 劝募跟进)."""
    header = [
        "名称", "类型", "版块", "分会", "所在单位", "联系人", "电话", "地址",
        f"{year - 1}年度（元）", f"{year}年度（元）", f"{year}年以前合计（元）", "最近捐赠日期", "跟进结果",
    ]  # fmt: skip
    rows = [header]
    for donor in donors:
        rows.append(
            [
                donor.name,
                donor.get_kind_display(),
                str(donor.sector or (donor.branch.sector if donor.branch else "") or ""),
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
        )
    widths = {0: 30, 3: 20, 4: 20, 6: 16, 7: 30, 8: 14, 9: 14, 10: 16, 11: 12, 12: 30}
    return xlsx_document([Sheet(entry.title[:31].replace("（", "(").replace("）", ")"), rows, widths)])
