"""数据看板: leadership reads the campaign's figures, what awaits review and the relief spending."""

from decimal import Decimal

import pytest
from django.urls import reverse

from campaigns.selectors import campaign_figures
from donations import review
from tests import factories
from tests.relief import helpers as relief

pytestmark = pytest.mark.django_db


@pytest.fixture
def figures(campaign):
    unit = factories.unit("衡阳市一中", sector_name="教育系统")
    pending = factories.donation(unit, campaign, "12000.00", head_count=30, status="pending")
    review.confirm_donations([pending.pk], None)
    factories.donation(factories.person("王小明"), campaign, "345.60", status="pending")
    relief.disbursement(factories.project(), amount="5000.00", people_helped=4)
    return campaign


def test_leadership_reads_the_figures_the_public_pages_show(client, leader, figures):
    client.force_login(leader)
    page = client.get(reverse("admin_dashboard")).content.decode()
    # The public figures: confirmed gifts only (public means confirmed); the pending one apart.
    assert campaign_figures(figures).total == Decimal("12000.00")
    assert "1.2 万元" in page and "12,000.00 元" in page  # 万元 to the yuan, the exact 元
    assert "参与单位 1 家，参与人数 30 人" in page
    assert "待审核捐赠 1 笔，合计 345.60 元（未计入上方的公开合计" in page
    assert "支出 0.5 万元<span class=\"exact\">（5,000.00 元）</span>，受助 4 人次" in page
    assert reverse("admin:campaigns_annual_summary_download", args=[2023]) in page


def test_the_dashboard_is_linked_from_the_back_office_home_for_those_who_may_read_it(client, leader, clerk):
    client.force_login(leader)
    assert reverse("admin_dashboard") in client.get(reverse("admin:index")).content.decode()
    client.force_login(clerk)
    assert reverse("admin_dashboard") not in client.get(reverse("admin:index")).content.decode()
    assert client.get(reverse("admin_dashboard")).status_code == 403


def test_another_campaign_is_chosen_by_its_id(client, leader, figures):
    older = factories.campaign("2022年慈善一日捐", year=2022)
    factories.donation(factories.unit("衡阳市二中"), older, "777.00")
    client.force_login(leader)
    page = client.get(reverse("admin_dashboard"), {"campaign": older.pk}).content.decode()
    assert "2022年慈善一日捐" in page and "777.00 元" in page
