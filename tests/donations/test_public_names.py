"""Public names are computed by the database; no public-facing read returns a name it should not."""

from decimal import Decimal

import pytest

from donations.models import Donation, Donor, RemittanceLine
from tests import factories

# Public reads show confirmed gifts only (public means confirmed): the gifts made here are confirmed.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reviewed_gifts")]

# Real names that must never reach the public, whichever method is asked.
SECRETS = ("真名甲", "真名乙", "真名丙", "真名丁", "隐名单位")


@pytest.fixture
def gifts(campaign):
    # A donor anonymous on one gift and named on another.
    twice = factories.person("王两次")
    factories.donation(twice, campaign, "300.00")
    factories.donation(twice, campaign, "5000.00", anonymous=True)
    # A donor who asked never to be named, on every gift.
    factories.donation(factories.person("真名甲", display=Donor.Display.ANONYMOUS), campaign, "800.00")
    # An alias, and an alias left blank (falls back to 爱心人士, never to the real name).
    factories.donation(
        factories.person("真名乙", display=Donor.Display.ALIAS, alias=" 一位老兵 "), campaign, "70.00"
    )
    factories.donation(factories.person("真名丁", display=Donor.Display.ALIAS, alias="  "), campaign, "9.00")
    # A named unit's remittance with an anonymous staff line and a named one.
    unit = factories.unit("衡阳市教育局", sector_name="教育系统")
    remittance = factories.donation(unit, campaign, "1000.00", head_count=2, receipt_no="R-1")
    RemittanceLine.objects.create(
        remittance=remittance, donor=factories.person("真名丙", employer=unit), amount="600", anonymous=True
    )
    RemittanceLine.objects.create(
        remittance=remittance, donor=factories.person("李明", employer=unit), amount="400"
    )
    # An anonymous unit's remittance: its named staff line must not name the unit.
    hidden_unit = factories.unit("隐名单位", sector_name="教育系统")
    hidden = factories.donation(hidden_unit, campaign, "200.00", anonymous=True, receipt_no="R-2")
    RemittanceLine.objects.create(
        remittance=hidden, donor=factories.person("赵公开", employer=hidden_unit), amount="200"
    )
    return campaign


def public_reads(campaign):
    donations = Donation.objects.for_campaign(campaign)
    lines = RemittanceLine.objects.for_campaign(campaign)
    return {
        "donations": list(donations.for_public_display()),
        "donor totals": list(donations.totals_by_donor()),
        "lines": list(lines.for_public_display()),
        "line totals": list(lines.totals_by_donor()),
    }


def test_anonymous_gift_is_totalled_apart_from_the_same_donors_named_gift(gifts):
    rows = [(r["public_name"], r["total"]) for r in Donation.objects.for_campaign(gifts).totals_by_donor()]
    assert ("爱心人士", Decimal("5000.00")) in rows
    assert ("王两次", Decimal("300.00")) in rows  # not 5300: that would reveal the anonymous gift


def test_alias_is_shown_trimmed_and_a_blank_alias_hides_the_name(gifts):
    names = {r["amount"]: r["public_name"] for r in Donation.objects.for_campaign(gifts).for_public_display()}
    assert names[Decimal("70.00")] == "一位老兵"
    assert names[Decimal("9.00")] == "爱心人士"
    assert names[Decimal("800.00")] == "爱心人士"


def test_staff_lines_show_the_person_and_the_unit_as_the_public_may_see_them(gifts):
    shown = {
        r["amount"]: (r["public_name"], r["unit_public_name"], r["shown_anonymous"])
        for r in RemittanceLine.objects.for_campaign(gifts).for_public_display()
    }
    assert shown[Decimal("600.00")] == ("爱心人士", "衡阳市教育局", True)
    assert shown[Decimal("400.00")] == ("李明", "衡阳市教育局", False)
    assert shown[Decimal("200.00")] == ("赵公开", "爱心人士", False)


def test_public_totals_still_reconcile(gifts):
    donations = Donation.objects.for_campaign(gifts)
    assert sum(r["total"] for r in donations.totals_by_donor()) == donations.total()
    assert sum(r["amount"] for r in donations.for_public_display()) == donations.total()


def test_no_public_read_returns_a_real_name_it_should_not(gifts):
    for method, rows in public_reads(gifts).items():
        assert rows, method
        for row in rows:
            text = repr(row)
            assert not any(secret in text for secret in SECRETS), (method, row)
            # Only public forms of names: no real-name column slips in through a later change.
            assert not {key for key in row if "name" in key} - {"public_name", "unit_public_name"}, method


def test_public_donation_rows_cannot_link_an_anonymous_gift_to_its_donor(gifts):
    for row in Donation.objects.for_campaign(gifts).for_public_display():
        assert "donor_id" not in row and "donor" not in row
