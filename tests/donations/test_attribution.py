"""The attribution rule: the same gifts give the same sector and branch totals on every entry path."""

from decimal import Decimal

import pytest
from django.urls import reverse

from donations import attribution
from donations.importing import import_file
from donations.models import Donation
from tests import factories
from tests.donations.import_helpers import xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture
def donors():
    """Donors whose gifts exercise every step of the rule (docs/staff/attribution.md)."""
    branch = factories.branch("市直工委慈善分会一支部", sector_name="国资系统")
    other_branch = factories.branch("王一集团分会", sector_name="民营企业")
    bureau = factories.unit("衡阳市国资委", sector_name="国资系统", branch=branch)
    pending = factories.unit("尚未定版块的单位", sector_name=None)
    return {
        # A unit with a branch: its gift gets the unit's branch when none is given.
        "bureau": bureau,
        # A unit with a branch in another sector than the one its gift is counted in.
        "moved": factories.unit("王一集团", sector_name="民营企业", branch=other_branch),
        # A unit with no sector yet: money not yet assigned.
        "pending": pending,
        # A person on their own: 个人.
        "alone": factories.person("李四"),
        # A person working for a unit: the unit's sector and branch.
        "staff": factories.person("王小明", employer=bureau),
        # A person whose unit has no sector: waits with the unit's money.
        "waiting": factories.person("赵六", employer=pending),
        # A person with a sector of their own: it wins over their unit's.
        "own": factories.person("钱七", employer=bureau, sector=factories.sector("教育系统")),
        "branch": branch,
    }


# (donor, amount, 版块 given, 分会 given); None = not given. For a unit the file needs a 版块,
# so "file sector" says what the clerk writes there for the same gift.
GIFTS = [
    ("bureau", "1000.00", None, None, "国资系统"),
    ("bureau", "0.01", "国资系统", None, "国资系统"),
    ("moved", "500.00", "高新区", None, "高新区"),
    ("pending", "77.70", None, None, "未分配"),
    ("alone", "50.00", None, None, None),
    ("staff", "20.00", None, None, None),
    ("waiting", "3.33", None, None, None),
    ("own", "9.99", None, None, None),
    ("alone", "12.00", "民政系统", None, "民政系统"),
]

EXPECTED_SECTORS = {
    "国资系统": Decimal("1020.01"),
    "高新区": Decimal("500.00"),
    "个人": Decimal("50.00"),
    "教育系统": Decimal("9.99"),
    "民政系统": Decimal("12.00"),
    None: Decimal("81.03"),
}
EXPECTED_BRANCHES = {"市直工委慈善分会一支部": Decimal("1020.01"), None: Decimal("653.02")}


def enter_with_create(campaign, donors):
    for key, amount, sector, branch, _file_sector in GIFTS:
        Donation.objects.create(
            donor=donors[key],
            campaign=campaign,
            amount=Decimal(amount),
            received_on="2023-09-01",
            sector=factories.sector(sector) if sector else None,
            branch=donors["branch"] if branch else None,
        )


def enter_in_admin(campaign, donors, client, admin_user):
    client.force_login(admin_user)
    for key, amount, sector, branch, _file_sector in GIFTS:
        response = client.post(
            reverse("admin:donations_donation_add"),
            {
                "campaign": campaign.pk,
                "donor": donors[key].pk,
                "amount": amount,
                "received_on": "2023-09-01",
                "channel": "bank",
                "route": "account",
                "sector": factories.sector(sector).pk if sector else "",
                "branch": donors["branch"].pk if branch else "",
                "lines-TOTAL_FORMS": "0",
                "lines-INITIAL_FORMS": "0",
            },
        )
        assert response.status_code == 302, response.content.decode()[:3000]


def enter_by_import(campaign, donors, client, admin_user):
    rows = []
    for key, amount, _sector, _branch, file_sector in GIFTS:
        donor = donors[key]
        row = {"捐赠日期": "2023-09-01", "捐赠人": donor.name, "金额": amount}
        row["捐赠人类型"] = "单位" if donor.kind == "unit" else "个人"
        if donor.employer_id:
            row["所在单位"] = donor.employer.name
        if file_sector:
            row["版块"] = file_sector
        rows.append(row)
    # The staff here give on their own, apart from their unit's remittance: the clerk says so.
    import_file(xlsx(rows), campaign=campaign, separate_staff_gifts=True)


@pytest.mark.parametrize("enter", [enter_with_create, enter_in_admin, enter_by_import])
def test_every_entry_path_counts_the_same(enter, campaign, donors, client, admin_user):
    if enter is enter_with_create:
        enter(campaign, donors)
    else:
        enter(campaign, donors, client, admin_user)
    gifts = Donation.objects.for_campaign(campaign)
    assert gifts.count() == len(GIFTS)
    by_sector = {row["sector__name"]: row["total"] for row in gifts.totals_by_sector()}
    by_branch = {}
    for row in gifts.totals_by_branch():
        by_branch[row["branch__name"]] = by_branch.get(row["branch__name"], 0) + row["total"]
    assert by_sector == EXPECTED_SECTORS
    assert by_branch == EXPECTED_BRANCHES
    assert sum(by_sector.values()) == gifts.total()


def test_unassigned_on_purpose_is_kept():
    placement = attribution.Placement(kind="unit", sector_id=3, branch_id=9, branch_sector_id=3)
    assert attribution.counted_in(placement, personal_sector=1, sector_id=attribution.UNASSIGNED) == (
        None,
        None,
    )


def test_a_branch_given_alone_brings_its_sector():
    placement = attribution.Placement(kind="individual")
    assert attribution.counted_in(placement, personal_sector=1, branch_id=9, branch_sector_id=4) == (4, 9)


def test_a_branch_outside_the_counted_sector_is_never_taken():
    placement = attribution.Placement(
        kind="individual",
        has_employer=True,
        employer_sector_id=5,
        employer_branch_id=7,
        employer_branch_sector_id=5,
    )
    assert attribution.counted_in(placement, personal_sector=1, sector_id=6) == (6, None)
    assert attribution.counted_in(placement, personal_sector=1) == (5, 7)


def test_later_changes_to_the_donor_do_not_move_recorded_gifts(campaign, donors):
    gift = Donation.objects.create(
        donor=donors["staff"], campaign=campaign, amount=Decimal("1.00"), received_on="2023-09-01"
    )
    donors["bureau"].sector = factories.sector("教育系统")
    donors["bureau"].branch = None
    donors["bureau"].save()
    gift.note = "更正备注"
    gift.save()
    gift.refresh_from_db()
    assert (gift.sector.name, gift.branch) == ("国资系统", donors["branch"])
