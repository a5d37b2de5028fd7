"""Fixtures shared by the donation tests."""

import datetime
from decimal import Decimal

import pytest

from donations.models import Donation, RemittanceLine
from tests import factories


@pytest.fixture
def campaign_data(campaign):
    """A unit remittance with two itemised staff, an unassigned gift and a directed personal one."""
    branch = factories.branch("市直工委慈善分会第一支部", sector_name="市直工委慈善分会")
    code = factories.credit_code()
    unit = factories.unit("衡阳市教育局", sector_name="市直工委慈善分会", branch=branch, credit_code=code)
    remittance = factories.donation(
        unit,
        campaign,
        "1234.50",
        received_on=datetime.date(2023, 9, 1),
        head_count=3,
        receipt_no="HY2023-0001",
        note="含 3 人明细",
    )
    RemittanceLine.objects.create(
        remittance=remittance, donor=factories.person("王小明", employer=unit), amount=Decimal("200.00")
    )
    RemittanceLine.objects.create(
        remittance=remittance,
        donor=factories.person("李红", employer=unit),
        amount=Decimal("100.00"),
        anonymous=True,
    )
    factories.donation(
        factories.unit("尚未分配的单位", sector_name=None),
        campaign,
        "5000.00",
        received_on=datetime.date(2023, 9, 2),
        channel=Donation.Channel.CASH,
        receipt_no="HY2023-0002",
    )
    factories.donation(
        factories.person("张三"),
        campaign,
        "88.88",
        received_on=datetime.date(2023, 9, 3),
        sector=factories.sector("个人"),
        channel=Donation.Channel.WECHAT,
        project=factories.project("慈善光明行"),
        anonymous=True,
        note='=HYPERLINK("http://evil.example")',
    )
    return {"unit": unit, "code": code, "remittance": remittance}
