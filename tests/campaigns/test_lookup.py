"""查询我的捐款: exact matches only, nothing about anonymous gifts, limited, the same time for all."""

import time
from decimal import Decimal

import pytest
from django.urls import reverse

from donations.models import RemittanceLine
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def quick(settings):
    settings.LOOKUP_ANSWER_SECONDS = 0.05
    settings.LOOKUP_RATE_LIMIT = 50


@pytest.fixture
def gifts(campaign):
    unit = factories.unit("衡阳市一中", sector_name="教育系统")
    remittance = factories.donation(unit, campaign, "1000.00", receipt_no="HY2023-001", head_count=2)
    RemittanceLine.objects.create(
        remittance=remittance, donor=factories.person("王小明", employer=unit), amount=Decimal("300.00")
    )
    RemittanceLine.objects.create(
        remittance=remittance,
        donor=factories.person("李秘密", employer=unit),
        amount=Decimal("200.00"),
        anonymous=True,
    )
    factories.donation(factories.person("张三"), campaign, "88.00", receipt_no="HY2023-002")
    factories.donation(factories.person("赵匿名"), campaign, "66.00", receipt_no="HY2023-003", anonymous=True)
    return campaign


def ask(client, **data):
    return client.post(
        reverse("campaigns:lookup"), {"receipt_no": "", "name": "", "amount": "", "unit": "", **data}
    )


def test_receipt_number_finds_the_gift_with_where_it_counts(client, gifts):
    body = ask(client, receipt_no="HY2023-002").content.decode()
    assert "已计入" in body and "张三" in body and "88.00" in body and "个人" in body and gifts.name in body


def test_exact_name_and_amount_find_a_direct_gift(client, gifts):
    assert "已计入" in ask(client, name="张三", amount="88").content.decode()


def test_a_staff_line_needs_the_unit_and_shows_the_remittance_it_was_part_of(client, gifts):
    assert "没有找到" in ask(client, name="王小明", amount="300").content.decode()
    body = ask(client, name="王小明", amount="300.00", unit="衡阳市一中").content.decode()
    assert "已计入" in body and "随单位汇款捐赠：衡阳市一中" in body and "教育系统" in body


@pytest.mark.parametrize(
    "question",
    [
        {"name": "张", "amount": "88"},  # a partial name
        {"name": "张三", "amount": "88.01"},  # a wrong amount
        {"receipt_no": "HY2023"},  # a partial receipt number
        {"name": "张三", "amount": ""},  # a name alone would list someone's gifts
    ],
)
def test_nothing_but_an_exact_match_answers(client, gifts, question):
    body = ask(client, **question).content.decode()
    assert "已计入" not in body and "88.00" not in body


def test_anonymous_gifts_answer_only_counted_anonymous(client, gifts):
    for question in ({"receipt_no": "HY2023-003"}, {"name": "李秘密", "amount": "200", "unit": "衡阳市一中"}):
        body = ask(client, **question).content.decode()
        assert "匿名捐赠" in body
        for detail in ("赵匿名", "李秘密", "66.00", "200.00", gifts.name, "教育系统"):
            assert detail not in body.split("查询结果")[1], (question, detail)


def test_a_hit_and_a_miss_take_the_same_time(client, gifts, settings):
    settings.LOOKUP_ANSWER_SECONDS = 0.3
    timings = {}
    for label, question in (("hit", {"receipt_no": "HY2023-002"}), ("miss", {"receipt_no": "NOPE"})):
        started = time.monotonic()
        ask(client, **question)
        timings[label] = time.monotonic() - started
    assert timings["hit"] >= 0.3 and timings["miss"] >= 0.3
    assert abs(timings["hit"] - timings["miss"]) < 0.1


def test_each_address_is_limited(client, gifts, settings):
    settings.LOOKUP_RATE_LIMIT = 3
    answers = [ask(client, receipt_no="NOPE").status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]
    other = client.post(reverse("campaigns:lookup"), {"receipt_no": "HY2023-002"}, REMOTE_ADDR="10.0.0.2")
    assert other.status_code == 200 and "已计入" in other.content.decode()


def test_the_form_explains_what_to_enter(client):
    body = ask(client, name="张三").content.decode()
    assert "请填写捐赠票据号；或同时填写姓名（单位名称）和金额" in body
    assert client.get(reverse("campaigns:lookup"))["Cache-Control"].startswith("max-age=0")


def test_a_listed_gift_names_its_honor_roll_issue(client, gifts, admin_user):
    import datetime

    from campaigns.services import publish_honor_roll

    issue = gifts.honor_roll_issues.create(number=1, cut_off=datetime.date(2023, 9, 30))
    publish_honor_roll(issue, admin_user)
    for question in ({"receipt_no": "HY2023-002"}, {"name": "王小明", "amount": "300", "unit": "衡阳市一中"}):
        body = ask(client, **question).content.decode()
        assert "第一期光荣榜" in body and f"/honor-rolls/{issue.pk}/" in body, question
    factories.donation(factories.person("晚到的人"), gifts, "99.00", receipt_no="LATE-1")
    assert "尚未列入已发布的光荣榜" in ask(client, receipt_no="LATE-1").content.decode()


def test_a_directed_gift_leads_to_its_project_and_others_to_the_years_spending(client, gifts):
    eyes = factories.project("慈善光明行")
    factories.donation(factories.person("定向者"), gifts, "500.00", receipt_no="D-1", project=eyes)
    body = ask(client, receipt_no="D-1").content.decode()
    assert "定向项目" in body and reverse("relief:project", args=[eyes.pk]) in body
    assert reverse("relief:years") in ask(client, receipt_no="HY2023-002").content.decode()
