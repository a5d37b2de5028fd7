"""查询我的捐款: exact matches only, always with the name; nothing about anonymous or aliased gifts;
limited, and the same time for all (docs/lookup-privacy.md)."""

import time
from decimal import Decimal

import pytest
from django.urls import reverse

from donations.models import Donor, RemittanceLine
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
    alias = factories.person("钱真名", display=Donor.Display.ALIAS, alias="一位老党员")
    factories.donation(alias, campaign, "1000.00", receipt_no="HY2023-004")
    hidden_unit = factories.unit("隐名单位甲", sector_name="教育系统")
    hidden = factories.donation(hidden_unit, campaign, "700.00", receipt_no="HY2023-005", anonymous=True)
    RemittanceLine.objects.create(
        remittance=hidden, donor=factories.person("陈红", employer=hidden_unit), amount=Decimal("100.00")
    )
    return campaign


def ask(client, **data):
    return client.post(
        reverse("campaigns:lookup"), {"receipt_no": "", "name": "", "amount": "", "unit": "", **data}
    )


def result(response):
    return response.content.decode().split("查询结果")[1]


def test_receipt_number_with_the_name_finds_the_gift_with_where_it_counts(client, gifts):
    body = ask(client, receipt_no="HY2023-002", name="张三").content.decode()
    assert "已计入" in body and "张三" in body and "88.00" in body and "个人" in body and gifts.name in body
    assert "已计入" in ask(client, receipt_no="HY2023-002", name="张三", amount="88").content.decode()
    assert "没有找到" in ask(client, receipt_no="HY2023-002", name="张三", amount="89").content.decode()


def test_a_receipt_number_alone_answers_nothing(client, gifts):
    response = ask(client, receipt_no="HY2023-002")
    body = response.content.decode()
    assert response.status_code == 400 and "只凭票据号不能查询" in body
    assert "张三" not in body and "88.00" not in body and "查询结果" not in body
    assert "没有找到" in ask(client, receipt_no="HY2023-002", name="李四").content.decode()


@pytest.mark.parametrize("typed", ["hy2023-002", "Hy2023-002", "ＨＹ２０２３－００２", " hy2023-002 "])
def test_receipt_numbers_match_in_any_case_and_width(client, gifts, typed):
    assert "已计入" in ask(client, receipt_no=typed, name="张三").content.decode()


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
        {"receipt_no": "HY2023", "name": "张三"},  # a partial receipt number
        {"name": "张三", "amount": ""},  # a name alone would list someone's gifts
    ],
)
def test_nothing_but_an_exact_match_answers(client, gifts, question):
    body = ask(client, **question).content.decode()
    assert "已计入" not in body and "88.00" not in body


@pytest.mark.parametrize(
    "question",
    [
        {"receipt_no": "HY2023-003", "name": "赵匿名"},  # an anonymous gift
        {"name": "赵匿名", "amount": "66"},
        {"name": "李秘密", "amount": "200", "unit": "衡阳市一中"},  # an anonymous staff line
        {"receipt_no": "HY2023-004", "name": "钱真名"},  # a donor shown under an alias
        {"name": "钱真名", "amount": "1000"},
        {"receipt_no": "HY2023-005", "name": "隐名单位甲"},  # an anonymous remittance
        {"name": "陈红", "amount": "100", "unit": "隐名单位甲"},  # a named line of it
    ],
)
def test_a_gift_not_shown_under_that_name_answers_exactly_as_a_miss(client, gifts, question):
    """A third party who brings a name and an amount must not learn that the name gave."""
    miss = result(ask(client, name="无此人", amount="66"))
    assert result(ask(client, **question)) == miss
    for detail in ("一位老党员", "匿名捐赠。", gifts.name, "教育系统", "66.00", "已计入"):
        assert detail not in miss


@pytest.mark.parametrize(
    "amount",
    ["NaN", "nan", "sNaN", "Infinity", "-Infinity", "1e999", "1E5", "-5", "0", "0.001", "88.001", "１" * 21],
)
def test_bad_amounts_answer_400_in_chinese(client, gifts, amount):
    response = ask(client, name="张三", amount=amount)
    assert response.status_code == 400
    body = response.content.decode()
    assert "金额" in body or "字符" in body
    assert "查询结果" not in body


@pytest.mark.parametrize("field", ["receipt_no", "name", "unit"])
def test_absurdly_long_input_answers_400(client, gifts, field):
    response = ask(client, **{"name": "张三", "amount": "88", field: "张" * 10_000})
    assert response.status_code == 400 and "查询结果" not in response.content.decode()


def test_a_hit_and_a_miss_take_the_same_time(client, gifts, settings):
    settings.LOOKUP_ANSWER_SECONDS = 0.3
    timings = {}
    hit, miss = {"receipt_no": "HY2023-002", "name": "张三"}, {"receipt_no": "NOPE", "name": "张三"}
    for label, question in (("hit", hit), ("miss", miss)):
        started = time.monotonic()
        ask(client, **question)
        timings[label] = time.monotonic() - started
    assert timings["hit"] >= 0.3 and timings["miss"] >= 0.3
    assert abs(timings["hit"] - timings["miss"]) < 0.1


def test_each_address_is_limited(client, gifts, settings):
    settings.LOOKUP_RATE_LIMIT = 3
    answers = [ask(client, receipt_no="NOPE", name="张三").status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]
    question = {"receipt_no": "HY2023-002", "name": "张三"}
    other = client.post(reverse("campaigns:lookup"), question, REMOTE_ADDR="10.0.0.2")
    assert other.status_code == 200 and "已计入" in other.content.decode()


def test_the_form_explains_what_to_enter(client):
    response = ask(client, name="张三")
    assert response.status_code == 400
    expected = "请填写捐赠票据号和捐赠人姓名（单位名称）；或同时填写姓名（单位名称）和金额"
    assert expected in response.content.decode()
    assert client.get(reverse("campaigns:lookup"))["Cache-Control"].startswith("max-age=0")


def test_a_listed_gift_names_its_honor_roll_issue(client, gifts, admin_user):
    import datetime

    from campaigns.services import publish_honor_roll

    issue = gifts.honor_roll_issues.create(number=1, cut_off=datetime.date(2023, 9, 30))
    publish_honor_roll(issue, admin_user)
    questions = (
        {"receipt_no": "HY2023-002", "name": "张三"},
        {"name": "王小明", "amount": "300", "unit": "衡阳市一中"},
    )
    for question in questions:
        body = ask(client, **question).content.decode()
        assert "第一期光荣榜" in body and f"/honor-rolls/{issue.pk}/" in body, question
    factories.donation(factories.person("晚到的人"), gifts, "99.00", receipt_no="LATE-1")
    assert "尚未列入已发布的光荣榜" in ask(client, receipt_no="LATE-1", name="晚到的人").content.decode()


def test_a_directed_gift_leads_to_its_project_and_others_to_the_years_spending(client, gifts):
    eyes = factories.project("慈善光明行")
    factories.donation(factories.person("定向者"), gifts, "500.00", receipt_no="D-1", project=eyes)
    body = ask(client, receipt_no="D-1", name="定向者").content.decode()
    assert "定向项目" in body and reverse("relief:project", args=[eyes.pk]) in body
    assert reverse("relief:years") in ask(client, receipt_no="HY2023-002", name="张三").content.decode()


@pytest.mark.postgres
def test_a_receipt_number_in_any_case_is_found_through_an_index(gifts):
    from django.db import connection

    from campaigns.lookup import with_receipt

    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a test table is small enough to scan
        plan = with_receipt("HY2023-002").explain()
    assert "donation_receipt_upper_idx" in plan


def test_the_form_shows_an_example_receipt_number(client):
    page = client.get(reverse("campaigns:lookup")).content.decode()
    assert "例如 HY2023-000123" in page
    assert 'aria-describedby="id_receipt_no_helptext"' in page and 'id="id_receipt_no_helptext"' in page
