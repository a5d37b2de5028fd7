import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from donations.models import Donation, Donor, Sector
from donations.sectors import REPORT_2023_SECTORS
from tests import factories

pytestmark = pytest.mark.django_db


def test_migration_seeds_the_23_report_sectors_in_order():
    assert list(Sector.objects.order_by("order").values_list("name", flat=True)) == REPORT_2023_SECTORS
    assert len(REPORT_2023_SECTORS) == 23


@pytest.mark.parametrize("amount", ["0", "-0.01", "-100"])
def test_amount_must_be_positive_in_the_database(campaign, amount):
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.donation(campaign_=campaign, amount=amount)


def test_amount_keeps_fen_exactly(campaign):
    d = factories.donation(campaign_=campaign, amount="1234.56")
    d.refresh_from_db()
    assert d.amount == Decimal("1234.56")


def test_receipt_number_is_unique_when_present(campaign):
    factories.donation(campaign_=campaign, receipt_no="HY2023-0001")
    factories.donation(campaign_=campaign, receipt_no="")
    factories.donation(campaign_=campaign, receipt_no="")  # blank receipts do not collide
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.donation(campaign_=campaign, receipt_no="HY2023-0001")


def test_unit_names_are_normalised_to_one_donor():
    factories.unit(name="衡阳市　教育局（机关）")
    assert Donor.objects.get().name == "衡阳市教育局（机关）"
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.unit(name=" 衡阳市教育局(机关) ")


def test_credit_code_checksum_is_validated():
    good = factories.credit_code(7)
    donor = Donor(kind="unit", name="某公司", credit_code=good)
    donor.full_clean()
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    donor.credit_code = bad
    with pytest.raises(ValidationError) as err:
        donor.full_clean()
    assert "校验位错误" in str(err.value)


def test_known_real_credit_code_is_valid():
    from donations.validators import credit_code_error

    # The national check-character example used in GB 32100 explanations.
    assert credit_code_error("91350100M000100Y43") is None
    assert "18 位" in credit_code_error("91350100M000100Y4")
    assert "不允许的字符" in credit_code_error("91350100M000100YI3")


def test_credit_code_is_unique_and_only_for_units():
    code = factories.credit_code()
    factories.unit(credit_code=code)
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.unit(credit_code=code)
    with pytest.raises(IntegrityError), transaction.atomic():
        Donor.objects.create(kind="individual", name="张三", credit_code=factories.credit_code())


def test_donation_takes_sector_and_branch_from_donor_and_keeps_them(campaign):
    branch = factories.branch("王一集团分会", sector_name="民营企业")
    donor = factories.unit(sector_name="民营企业", branch=branch)
    donation = factories.donation(donor=donor, campaign_=campaign)
    assert (donation.sector.name, donation.branch) == ("民营企业", branch)
    donor.sector = factories.sector("国资系统")
    donor.branch = None
    donor.save()
    donation.refresh_from_db()
    assert donation.sector.name == "民营企业"  # history is not rewritten by a later move


def test_individual_donation_defaults_to_employer_sector(campaign):
    employer = factories.unit(sector_name="教育系统")
    person = factories.person(employer=employer)
    assert factories.donation(donor=person, campaign_=campaign).sector.name == "教育系统"


def test_campaign_defaults_to_one_day_and_orders_dates():
    c = factories.campaign(name="测试活动", year=2024)
    assert c.kind == "one_day"
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.campaign(
            name="错误活动",
            year=2024,
            start_date=datetime.date(2024, 9, 1),
            end_date=datetime.date(2024, 8, 1),
        )


def test_donation_with_wrong_branch_fails_validation(campaign):
    d = Donation(
        donor=factories.unit(),
        campaign=campaign,
        amount=Decimal("1"),
        received_on=datetime.date(2023, 9, 1),
        sector=factories.sector("国资系统"),
        branch=factories.branch(sector_name="教育系统"),
    )
    with pytest.raises(ValidationError):
        d.full_clean()
