"""Public relief pages: titles and headings, where directed money went, no person named."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from tests import factories
from tests.relief import helpers

pytestmark = pytest.mark.django_db


def test_project_list(client):
    factories.project("慈善光明行", partners="爱尔眼科", budget=Decimal("1000000.00"))
    page = client.get(reverse("relief:project_list")).content.decode()
    assert "<title>救助项目 · 市慈善总会</title>" in page
    assert "<h1>救助项目</h1>" in page
    assert "慈善光明行" in page and "爱尔眼科" in page and "100 万元" in page


def test_a_directed_gift_leads_to_the_projects_disbursements(client):
    project = factories.project("慈善光明行", start_date=datetime.date(2023, 3, 1))
    factories.donation(amount="5000.00", project=project)
    helpers.disbursement(
        project, "1999.99", purpose="第一批白内障复明手术", people_helped=7, voucher_no="GM-01"
    )
    person = helpers.beneficiary(name="赵钱孙")
    helpers.share(helpers.disbursement(project, "100.00", voucher_no="GM-02"), person, "100.00")
    page = client.get(reverse("relief:project", args=[project.pk])).content.decode()
    assert "<title>慈善光明行 · 救助项目 · 市慈善总会</title>" in page
    assert "您的定向捐赠去了哪里" in page
    assert "本项目共收到定向捐赠 1 笔，合计 5,000.00 元" in page
    assert "第一批白内障复明手术" in page and "1,999.99" in page and "GM-01" in page
    assert "2,099.99" in page  # total spent
    assert "赵钱孙" not in page and "赵*孙" not in page  # project pages name nobody


def test_undirected_project_points_to_the_years_spending(client):
    project = factories.project("春风行动")
    page = client.get(reverse("relief:project", args=[project.pk])).content.decode()
    assert reverse("relief:year", args=[2023]) in page


def test_disclosure_list_shows_published_only_with_status(client):
    published = helpers.published_disclosure(factories.project(), [helpers.beneficiary()], title="第一批公示")
    helpers.disclosure(published.project, title="草稿公示")
    page = client.get(reverse("relief:disclosure_list")).content.decode()
    assert "<h1>公示</h1>" in page and "第一批公示" in page and "草稿公示" not in page
    assert "公示期已结束" in page


def test_latest_year_redirects_to_the_newest_spending(client):
    helpers.disbursement(paid_on=datetime.date(2024, 2, 1))
    response = client.get(reverse("relief:years"))
    assert response["Location"] == reverse("relief:year", args=[2024])


def test_pages_answer_in_few_queries(client, django_assert_max_num_queries):
    project = factories.project()
    for _ in range(5):
        helpers.disbursement(project)
    with django_assert_max_num_queries(8):
        client.get(reverse("relief:project_list"))
    with django_assert_max_num_queries(10):
        client.get(reverse("relief:project", args=[project.pk]))
    with django_assert_max_num_queries(12):
        client.get(reverse("relief:year", args=[2023]))


def test_relief_pages_write_dates_as_every_other_page_does(client):
    project = factories.project("慈善光明行", start_date=datetime.date(2023, 3, 1))
    helpers.disbursement(project, "300.00", paid_on=datetime.date(2023, 10, 1))
    disclosure = helpers.published_disclosure(project, people=[helpers.beneficiary("欧阳小花")])
    pages = [
        client.get(reverse("relief:project", args=[project.pk])).content.decode(),
        client.get(reverse("relief:disclosure_list")).content.decode(),
        client.get(reverse("relief:disclosure", args=[disclosure.pk])).content.decode(),
    ]
    assert "2023年3月1日" in pages[0] and "2023年10月1日" in pages[0]
    for page in pages:
        main = page.split("<main", 1)[1]
        assert re.findall(r"\b20\d\d-\d\d-\d\d\b", main) == []


def test_the_year_page_opens_on_a_year_with_money_raised_and_spent(client):
    campaign = factories.campaign(year=2023)
    factories.donation(amount="5000.00", campaign_=campaign, status="confirmed")
    project = factories.project("慈善光明行")
    helpers.disbursement(project, "300.00", paid_on=datetime.date(2023, 10, 1))
    helpers.disbursement(project, "200.00", paid_on=datetime.date(2024, 2, 1))  # no 2024 gifts yet
    assert client.get(reverse("relief:years"))["Location"] == reverse("relief:year", args=[2023])


def test_money_not_yet_in_a_sector_is_named_as_elsewhere(client):
    campaign = factories.campaign(year=2023)
    factories.donation(factories.unit("未定单位", sector_name=None), campaign, "7.77", status="confirmed")
    page = client.get(reverse("relief:year", args=[2023])).content.decode()
    assert "未分配版块" in page and "尚未计入版块" not in page
