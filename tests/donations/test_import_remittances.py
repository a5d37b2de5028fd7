"""A unit's remittance with its staff list: people are credited, the money counts once."""

from decimal import Decimal

import pytest

from campaigns.models import Campaign
from donations.importing import ImportFailed, check_file, import_file
from donations.models import Donation, Donor, RemittanceLine
from donations.services import finalize_batch
from tests import factories
from tests.donations.import_helpers import counts, messages, person_row, unit_row, xlsx

pytestmark = pytest.mark.django_db


def run(rows, campaign, **options):
    return import_file(xlsx(rows), file_name="汇款.xlsx", campaign=campaign, **options)


def plan_for(rows, campaign):
    return check_file(xlsx(rows), file_name="汇款.xlsx", campaign=campaign)


def test_lines_credit_people_but_money_counts_once(campaign):
    rows = [
        unit_row("衡阳市教育局", "300", 票据号="R-1", 参与人数=3),
        person_row("张三", "100", 汇款票据号="R-1"),
        person_row("李四", "200", 汇款票据号="R-1", 匿名="是"),
        person_row("王五", "50"),  # no 汇款票据号: a gift of its own
    ]
    batch = run(rows, campaign)
    assert (batch.donation_count, batch.line_count, batch.total_amount) == (2, 2, Decimal("350.00"))
    assert Donation.objects.for_campaign(campaign).total() == Decimal("350.00")
    remittance = Donation.objects.get(receipt_no="R-1")
    lines = {line.donor.name: line for line in remittance.lines.all()}
    assert lines["张三"].amount == Decimal("100.00") and not lines["张三"].anonymous
    assert lines["李四"].anonymous
    # Public means confirmed: the staff list shows once the batch, and its remittance, is confirmed.
    assert not remittance.lines.for_public_display().exists()
    finalize_batch(batch, None)
    shown = {row["id"]: row["public_name"] for row in remittance.lines.for_public_display()}
    assert shown[lines["李四"].pk] == "爱心人士" and shown[lines["张三"].pk] == "张三"
    assert {line.batch_id for line in lines.values()} == {batch.pk}
    # Each person is a donor of the unit they gave through, found by name later.
    assert Donor.objects.get(name="张三").employer == remittance.donor
    assert not Donation.objects.filter(donor__name__in=["张三", "李四"]).exists()


def test_lines_exceeding_the_remittance_are_an_error(campaign):
    rows = [
        unit_row("衡阳市教育局", "250", 票据号="R-1"),
        person_row("张三", "100", 汇款票据号="R-1"),
        person_row("李四", "200", 汇款票据号="R-1"),
    ]
    before = counts()
    with pytest.raises(ImportFailed) as failure:
        run(rows, campaign)
    assert messages(failure.value.errors) == [
        "第 2 行，“金额”列：汇款“R-1”金额 250.00 元，明细合计 300.00 元，超出 50.00 元；明细不能多于汇款"
    ]
    assert counts() == before


def test_lines_short_of_the_remittance_state_the_remainder(campaign):
    rows = [unit_row("衡阳市教育局", "1000", 票据号="R-1"), person_row("张三", "100", 汇款票据号="R-1")]
    plan = plan_for(rows, campaign)
    assert plan.ok
    assert plan.remainders == [("R-1", Decimal("1000.00"), Decimal("100.00"), Decimal("900.00"))]
    assert plan.total_amount == Decimal("1000.00")


def test_lines_for_a_remittance_already_recorded(campaign):
    school = factories.unit("衡阳市一中", sector_name="教育系统")
    remittance = factories.donation(school, campaign, "500", receipt_no="R-7")
    run([person_row("张三", "100", 汇款票据号="R-7")], campaign)
    assert Donation.objects.count() == 1 and Donation.objects.total() == Decimal("500.00")
    line = RemittanceLine.objects.get()
    assert line.remittance == remittance and line.donor.employer == school
    # A second list for the same remittance counts the lines already recorded.
    plan = plan_for([person_row("李四", "300", 汇款票据号="R-7")], campaign)
    assert plan.remainders == [("R-7", Decimal("500.00"), Decimal("400.00"), Decimal("100.00"))]
    assert messages(plan_for([person_row("李四", "401", 汇款票据号="R-7")], campaign).errors) == [
        "第 2 行，“汇款票据号”列：汇款“R-7”金额 500.00 元，明细合计 501.00 元（含此前已录入明细 100.00 元），"
        "超出 1.00 元；明细不能多于汇款"
    ]


def test_unknown_remittance(campaign):
    assert messages(plan_for([person_row(汇款票据号="R-404")], campaign).errors) == [
        "第 2 行，“汇款票据号”列：找不到票据号为“R-404”的汇款：它既不在本文件中，也未录入系统"
    ]


def test_remittance_of_another_campaign(campaign):
    other = Campaign.objects.create(
        name="2022年慈善一日捐", year=2022, start_date="2022-08-28", end_date="2022-12-31"
    )
    factories.donation(factories.unit(), other, "500", received_on="2022-09-01", receipt_no="R-2022")
    assert messages(plan_for([person_row(汇款票据号="R-2022")], campaign).errors) == [
        "第 2 行，“汇款票据号”列：汇款票据号“R-2022”属于活动“2022年慈善一日捐”，"
        "不是本次导入的活动“2023年慈善一日捐”"
    ]


def test_a_persons_gift_cannot_be_itemised(campaign):
    rows = [person_row("王五", "100", 票据号="P-1"), person_row("张三", "10", 汇款票据号="P-1")]
    assert messages(plan_for(rows, campaign).errors) == [
        "第 3 行，“汇款票据号”列：票据号“P-1”是个人捐赠，不是单位汇款，不能有汇款明细："
        "汇款明细只用于单位代职工汇款时逐人列出"
    ]


def test_lines_carry_only_the_persons_share(campaign):
    rows = [
        unit_row("衡阳市教育局", "1000", 票据号="R-1"),
        person_row("张三", "10", 汇款票据号="R-1", 票据号="R-2", 渠道="现金", 版块="个人"),
        unit_row("另一单位", "10", 汇款票据号="R-1"),
    ]
    assert messages(plan_for(rows, campaign).errors) == [
        "第 3 行，“版块”列：汇款明细行的版块“个人”与所属汇款“R-1”的版块“教育系统”不同；"
        "明细行以汇款为准，请留空或填写相同的版块",
        "第 3 行，“渠道”列：汇款明细行的渠道“现金”与所属汇款“R-1”的渠道“银行转账”不同；"
        "明细行以汇款为准，请留空或填写相同的渠道",
        "第 3 行，“票据号”列：汇款明细行不填写票据号（以所属汇款为准，明细金额不另计）",
        "第 4 行，“汇款票据号”列：汇款明细只列个人：单位不能作为汇款明细的捐赠人；"
        "单位自己的捐赠请单独录入为一笔捐赠",
    ]


def test_a_line_may_name_another_unit_of_the_person(campaign):
    factories.unit("衡阳市二中", sector_name="教育系统")
    rows = [
        unit_row("衡阳市教育局", "1000", 票据号="R-1"),
        person_row("张三", "10", 汇款票据号="R-1", 所在单位="衡阳市二中"),
    ]
    run(rows, campaign)
    assert RemittanceLine.objects.get().donor.employer.name == "衡阳市二中"
