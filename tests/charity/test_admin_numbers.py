"""Money and counts read the same in every admin list: 18,107,035.00 元, 1,234 人, sortable."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from donations.models import ImportBatch, RemittanceLine
from tests import factories

pytestmark = pytest.mark.django_db


def column(body, name):
    """The texts of one changelist column, top to bottom, as the HTML shows them."""
    cells = re.findall(rf'<t[dh] class="field-{name}(?: [^"]*)?">(.*?)</t[dh]>', body, re.S)
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in cells]


def changelist(client, name, **params):
    return client.get(reverse(f"admin:{name}_changelist"), params).content.decode()


@pytest.fixture
def figures(campaign, admin_user, client):
    campaign.goal = Decimal("20000000")
    campaign.save()
    unit = factories.unit("衡阳市教育局")
    big = factories.donation(unit, campaign, "18089275.00", head_count=58213, receipt_no="R-1")
    factories.donation(factories.unit(), campaign, "17760", head_count=74, receipt_no="R-2")
    RemittanceLine.objects.create(remittance=big, donor=factories.person(employer=unit), amount="12345.6")
    ImportBatch.objects.create(
        campaign=campaign, file_name="市直单位.xlsx", sha256="0" * 64, row_count=60000,
        donation_count=20400, line_count=39600, total_amount=Decimal("18107035"),
    )  # fmt: skip
    factories.project("慈康项目", budget=Decimal("1332600"))
    client.force_login(admin_user)
    return campaign


def test_donation_amounts_and_head_counts_have_separators(client, figures):
    body = changelist(client, "donations_donation")
    assert column(body, "amount_yuan") == ["17,760.00", "18,089,275.00"]  # newest first
    assert column(body, "people") == ["74", "58,213"]
    # The sum above the list speaks the same way.
    summary = re.search(r'<p class="donation-summary".*?</p>', body, re.S).group()
    assert "18,107,035.00 元" in summary and "共 2 笔" in summary and "参与人数 58,287 人" in summary


def test_campaign_goal_and_raised(client, figures):
    body = changelist(client, "campaigns_campaign")
    assert column(body, "goal_yuan") == ["20,000,000.00"]
    assert column(body, "raised") == ["18,107,035.00"]
    assert column(body, "donation_count") == ["2"]
    assert "18107035" not in body


def test_batch_totals_and_counts(client, figures):
    body = changelist(client, "donations_importbatch")
    assert column(body, "total_yuan") == ["18,107,035.00"]
    assert (column(body, "rows"), column(body, "donation_rows"), column(body, "line_rows")) == (
        ["60,000"], ["20,400"], ["39,600"]
    )  # fmt: skip


def test_remittance_line_amount_and_project_budget(client, figures):
    assert column(changelist(client, "donations_remittanceline"), "amount_yuan") == ["12,345.60"]
    assert column(changelist(client, "relief_reliefproject"), "budget_yuan") == ["1,332,600.00"]


def test_an_empty_goal_shows_the_empty_mark(client, figures):
    factories.campaign(name="2024年义卖", year=2024, kind="charity_sale")
    body = changelist(client, "campaigns_campaign")
    assert column(body, "goal_yuan") == ["-", "20,000,000.00"]
    assert column(body, "raised") == ["0.00", "18,107,035.00"]


@pytest.mark.parametrize(
    "name, field, position",
    [
        ("donations_donation", "amount_yuan", 3),
        ("donations_donation", "people", 7),
        ("campaigns_campaign", "raised", 7),
        ("campaigns_campaign", "donation_count", 8),
    ],
)
def test_number_columns_still_sort(client, figures, name, field, position):
    factories.campaign(name="2022年慈善一日捐", year=2022, goal=Decimal("100"))
    factories.donation(factories.unit(), figures, "500000", head_count=9, receipt_no="R-3")
    body = changelist(client, name)
    assert f"sortable column-{field}" in body

    def numbers(order):
        return [Decimal(text.replace(",", "")) for text in column(changelist(client, name, o=order), field)]

    ascending, descending = numbers(str(position)), numbers(f"-{position}")
    assert len(ascending) >= 2
    assert ascending == sorted(ascending) and descending == sorted(ascending, reverse=True)
    assert ascending != descending
