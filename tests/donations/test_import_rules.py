"""The import's rules: all-or-nothing, duplicates, donor matching, look-ups, amounts and dates."""

import datetime
from decimal import Decimal

import pytest

from donations.importing import COLUMNS, UNASSIGNED_SECTOR, ImportFailed, RowError, check_file, import_file
from donations.models import Donation, Donor
from tests import factories
from tests.donations.import_helpers import counts, csv_file, messages, person_row, unit_row, xlsx

pytestmark = pytest.mark.django_db


def plan_for(rows, campaign, **options):
    return check_file(xlsx(rows), file_name="捐赠.xlsx", campaign=campaign, **options)


def errors_for(rows, campaign, **options):
    return messages(plan_for(rows, campaign, **options).errors)


def import_rows(rows, campaign, **options):
    return import_file(xlsx(rows), file_name="捐赠.xlsx", campaign=campaign, **options)


# --- the contract ---------------------------------------------------------------------------


def test_columns_and_row_error_texts():
    assert COLUMNS[0] == "捐赠日期" and COLUMNS[-1] == "汇款票据号" and len(COLUMNS) == 16
    assert UNASSIGNED_SECTOR == "未分配"
    assert str(RowError(5, "金额", "金额必须大于 0")) == "第 5 行，“金额”列：金额必须大于 0"
    assert str(RowError(None, None, "文件是空的")) == "文件是空的"
    assert str(ImportFailed([RowError(None, None, "x")] * 3, "a.xlsx")) == "文件 a.xlsx：共 3 处错误"


def test_a_good_file_is_imported_with_its_batch(campaign, admin_user):
    project = factories.project()
    rows = [
        unit_row(
            "衡阳市教育局", "1,234.50", 票据号="HY-001", 参与人数=35, 渠道="银行转账", 定向项目=project.name
        ),
        person_row("王小明", "0.35万", 匿名="是", 备注="感谢"),
    ]
    batch = import_rows(rows, campaign, user=admin_user)
    assert (batch.status, batch.row_count, batch.donation_count, batch.line_count) == ("imported", 2, 2, 0)
    assert batch.new_donor_count == 2 and batch.total_amount == Decimal("4734.50")
    assert batch.created_by == admin_user and len(batch.sha256) == 64 and batch.file_name == "捐赠.xlsx"
    unit_gift = Donation.objects.get(receipt_no="HY-001")
    assert unit_gift.amount == Decimal("1234.50") and unit_gift.head_count == 35
    assert unit_gift.sector.name == "教育系统" and unit_gift.project == project
    assert unit_gift.batch == batch and unit_gift.entered_by == admin_user and unit_gift.entered_at
    person_gift = Donation.objects.get(donor__name="王小明")
    assert person_gift.anonymous and person_gift.note == "感谢" and person_gift.sector.name == "个人"
    assert person_gift.channel == Donation.Channel.BANK
    assert set(Donor.objects.values_list("source_batch", flat=True)) == {batch.pk}
    assert Donation.objects.for_campaign(campaign).total() == Decimal("4734.50")


def test_columns_in_any_order_and_optional_columns_missing(campaign):
    rows = [{"金额": "10", "捐赠人类型": "个人", "捐赠人": "李四", "捐赠日期": "2023/9/1"}]
    plan = check_file(xlsx(rows, header=list(rows[0])), file_name="捐赠.xlsx", campaign=campaign)
    assert plan.ok and plan.donation_count == 1


def test_unknown_repeated_and_missing_columns(campaign):
    header = ["捐赠日期", "捐赠人", "金额", "金额", "电话"]
    source = xlsx([person_row(电话="123")], header=header)
    plan = check_file(source, file_name="捐赠.xlsx", campaign=campaign)
    assert len(plan.errors) == 3 and {e.row for e in plan.errors} == {1}
    text = "\n".join(messages(plan.errors))
    assert "第 1 行，“电话”列：未知的列“电话”；允许的列：捐赠日期、捐赠人、捐赠人类型" in text
    assert "第 1 行，“金额”列：列“金额”出现了两次" in text
    assert "第 1 行，“捐赠人类型”列：缺少必填列“捐赠人类型”" in text


def test_every_error_is_reported_not_only_the_first(campaign):
    rows = [person_row(金额="-1"), person_row(捐赠日期="昨天"), unit_row(版块=""), person_row(渠道="刷卡")]
    assert errors_for(rows, campaign) == [
        "第 2 行，“金额”列：金额必须大于 0，实际为 -1",
        "第 3 行，“捐赠日期”列：无法识别的日期“昨天”，应为 2023-08-28、2023/8/28、2023年8月28日 或 20230828",
        "第 4 行，“版块”列：单位捐赠必须填写版块；尚未确定的请填“未分配”",
        "第 5 行，“渠道”列：渠道“刷卡”无效，可选：银行转账、现金、微信、支付宝、实物、其他"
        "（同义写法见导入说明）",
    ]


def test_missing_required_cells(campaign):
    rows = [{"捐赠日期": None, "捐赠人": "", "捐赠人类型": None, "金额": None, "备注": "只有备注"}]
    assert errors_for(rows, campaign) == [
        "第 2 行，“捐赠日期”列：缺少捐赠日期",
        "第 2 行，“捐赠人”列：缺少捐赠人",
        "第 2 行，“捐赠人类型”列：缺少捐赠人类型（单位或个人）",
        "第 2 行，“金额”列：缺少金额",
    ]


def test_cells_of_only_spaces_are_missing_too(campaign):
    """A CSV keeps spaces that a spreadsheet drops; they must not pass as a date or an amount."""
    rows = [unit_row("甲单位", 捐赠日期="   ", 金额=" "), person_row("王小明", 捐赠人类型="\u3000")]
    plan = check_file(csv_file(rows), campaign=campaign)
    assert messages(plan.errors) == [
        "第 2 行，“捐赠日期”列：缺少捐赠日期",
        "第 2 行，“金额”列：缺少金额",
        "第 3 行，“捐赠人类型”列：缺少捐赠人类型（单位或个人）",
    ]


def test_blank_rows_are_skipped_and_row_numbers_stay_those_of_the_sheet(campaign):
    blank = dict.fromkeys(["捐赠日期", "捐赠人", "捐赠人类型", "金额"])
    rows = [person_row(), blank, person_row("李四", "-3")]
    assert errors_for(rows, campaign) == ["第 4 行，“金额”列：金额必须大于 0，实际为 -3"]
    assert plan_for([person_row(), blank], campaign).row_count == 1


# --- all or nothing -------------------------------------------------------------------------


def test_one_bad_row_writes_nothing(campaign):
    before = counts()
    rows = [unit_row("甲单位"), person_row("乙"), person_row("丙", "abc")]
    with pytest.raises(ImportFailed) as failure:
        import_rows(rows, campaign)
    assert counts() == before
    assert messages(failure.value.errors) == [
        "第 4 行，“金额”列：无法识别的金额“abc”，应为以元计的数字，如 1234.5、1,234.50、1234.50元、0.35万"
    ]
    assert str(failure.value) == "文件 捐赠.xlsx：共 1 处错误"


def test_check_file_writes_nothing(campaign):
    before = counts()
    plan = plan_for([unit_row(), person_row()], campaign)
    assert plan.ok and plan.new_donor_count == 2 and plan.total_amount == Decimal("1100.00")
    assert counts() == before


def test_a_failure_while_writing_rolls_everything_back(campaign, monkeypatch):
    from donations.importing import writing

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(writing, "write_donors", broken)
    before = counts()
    with pytest.raises(RuntimeError):
        import_rows([unit_row()], campaign)
    assert counts() == before


# --- duplicates -----------------------------------------------------------------------------


def test_same_receipt_twice_in_the_file(campaign):
    rows = [unit_row("甲单位", 票据号="R-1"), unit_row("乙单位", 票据号="R-1")]
    assert errors_for(rows, campaign) == ["第 3 行，“票据号”列：票据号“R-1”在文件中重复（第 2 行已有）"]


def test_receipt_already_recorded_is_never_updated(campaign):
    existing = factories.donation(campaign_=campaign, receipt_no="R-1", amount="50")
    rows = [unit_row("甲单位", "999", 票据号="R-1")]
    with pytest.raises(ImportFailed) as failure:
        import_rows(rows, campaign)
    assert messages(failure.value.errors) == [
        f"第 2 行，“票据号”列：票据号“R-1”已录入（{campaign.name}，捐赠人 {existing.donor.name}）；"
        "不会重复录入或覆盖，如需更正请先撤销原记录"
    ]
    existing.refresh_from_db()
    assert existing.amount == Decimal("50.00")


def test_numeric_receipt_cells_match_text_receipts(campaign):
    factories.donation(campaign_=campaign, receipt_no="20230001")
    assert "已录入" in errors_for([unit_row(票据号=20230001)], campaign)[0]


def test_the_same_file_twice_is_refused_unless_forced(campaign):
    source = xlsx([person_row("王小明", "100")])
    first = import_file(source, file_name="第一次.xlsx", campaign=campaign)
    before = counts()
    with pytest.raises(ImportFailed) as failure:
        import_file(source, file_name="第二次.xlsx", campaign=campaign)
    # The file as a whole, and its row as one the campaign already has.
    error, row = failure.value.errors
    assert error.row is None and f"批次 #{first.pk}，文件名 第一次.xlsx" in error.message
    assert row.row == 2 and row.message.startswith("与本活动已录入的捐赠相同（2023-09-01，王小明，100.00 元")
    assert error.message.endswith("为避免重复录入已拒绝，如确需再次导入，请在命令行加 --force")
    assert counts() == before
    again = import_file(source, file_name="第二次.xlsx", campaign=campaign, force=True)
    assert again.forced and Donation.objects.count() == 2


def test_a_rolled_back_file_may_be_imported_again(campaign, admin_user):
    from donations.services import rollback_batch

    source = xlsx([person_row()])
    batch = import_file(source, file_name="a.xlsx", campaign=campaign)
    rollback_batch(batch, admin_user)
    assert check_file(source, file_name="a.xlsx", campaign=campaign).ok


def test_force_does_not_let_receipts_repeat(campaign):
    source = xlsx([unit_row(票据号="R-9")])
    import_file(source, file_name="a.xlsx", campaign=campaign)
    plan = check_file(source, file_name="a.xlsx", campaign=campaign, force=True)
    assert ["已录入" in m for m in messages(plan.errors)] == [True]


# --- donors ---------------------------------------------------------------------------------


def test_units_match_by_credit_code_before_name(campaign):
    code = factories.credit_code()
    known = factories.unit("衡阳市国资委", credit_code=code)
    import_rows(
        [unit_row("衡阳市人民政府国有资产监督管理委员会", 统一社会信用代码=code, 版块="国资系统")], campaign
    )
    assert Donor.objects.count() == 1
    assert Donation.objects.get().donor == known


def test_names_are_normalised_before_matching(campaign):
    known = factories.unit("衡阳某公司（分公司）")
    plan = plan_for([unit_row("衡阳 某公司(分公司)"), unit_row("衡阳某公司（分公司）", "5")], campaign)
    assert plan.ok and plan.new_donor_count == 0 and plan.matched_donor_count == 1
    import_rows([unit_row("衡阳 某公司(分公司)")], campaign)
    assert Donation.objects.get().donor == known


def test_a_donor_is_never_duplicated_within_a_file(campaign):
    code = factories.credit_code()
    rows = [
        unit_row("甲公司", 统一社会信用代码=code),
        unit_row("甲公司", "20"),
        unit_row("甲公司全称", "30", 统一社会信用代码=code),  # one credit code, one unit
        person_row("王小明", 所在单位="甲公司"),
        person_row("王小明", "5", 所在单位="甲公司"),
        person_row("王小明", "6"),  # no unit: another person of the same name
    ]
    batch = import_rows(rows, campaign, separate_staff_gifts=True)
    assert batch.new_donor_count == 3
    assert Donor.objects.units().get().credit_code == code
    assert Donor.objects.individuals().count() == 2


def test_individuals_match_by_name_and_unit(campaign):
    school = factories.unit("衡阳市一中", sector_name="教育系统")
    teacher = factories.person("李老师", employer=school)
    plan = plan_for([person_row("李老师", 所在单位="衡阳市一中"), person_row("李老师", "9")], campaign)
    assert plan.matched_donor_count == 1 and plan.new_donor_count == 1
    import_rows([person_row("李老师", 所在单位="衡阳市一中")], campaign)
    assert Donation.objects.get().donor == teacher


def test_one_name_with_two_credit_codes_is_an_error(campaign):
    rows = [
        unit_row("甲公司", 统一社会信用代码=factories.credit_code(1)),
        unit_row("甲公司", 统一社会信用代码=factories.credit_code(2)),
    ]
    [error] = errors_for(rows, campaign)
    assert error.startswith("第 3 行，“统一社会信用代码”列：单位“甲公司”在本文件中已使用信用代码")


def test_a_unit_whose_recorded_code_differs_is_an_error(campaign):
    factories.unit("甲公司", credit_code=factories.credit_code(1))
    [error] = errors_for([unit_row("甲公司", 统一社会信用代码=factories.credit_code(2))], campaign)
    assert "数据库中的单位“甲公司”信用代码为" in error and "请核对" in error


def test_an_unknown_unit_of_a_person_is_an_error(campaign):
    assert errors_for([person_row("王五", 所在单位="不存在的单位")], campaign) == [
        "第 2 行，“所在单位”列：所在单位“不存在的单位”既不在数据库中，也不是本文件中的单位；"
        "请先在系统中添加该单位，或在本文件中加入该单位的捐赠行"
    ]


def test_a_unit_in_the_same_file_may_be_a_persons_unit(campaign):
    batch = import_rows(
        [person_row("王五", 所在单位="新单位"), unit_row("新单位", 版块="民营企业")],
        campaign,
        separate_staff_gifts=True,
    )
    person = Donor.objects.get(name="王五")
    assert person.employer.name == "新单位" and batch.new_donor_count == 2
    assert Donation.objects.get(donor=person).sector.name == "民营企业"


def test_kind_specific_columns(campaign):
    code = factories.credit_code()
    rows = [unit_row(所在单位="某单位"), person_row(统一社会信用代码=code), person_row(参与人数=3)]
    assert errors_for(rows, campaign) == [
        "第 2 行，“所在单位”列：单位捐赠人不填写所在单位（所在单位只用于个人）",
        "第 3 行，“统一社会信用代码”列：个人捐赠人没有统一社会信用代码",
        "第 4 行，“参与人数”列：参与人数只用于单位汇款",
    ]


# --- sectors, branches, projects ------------------------------------------------------------


def test_unknown_sector_lists_the_valid_ones(campaign):
    [error] = errors_for([unit_row(版块="教委系统")], campaign)
    assert error.startswith("第 2 行，“版块”列：未知的版块“教委系统”；可选：市直工委慈善分会、部队系统")
    assert error.endswith("住建系统、未分配")


def test_unassigned_sector_leaves_the_sector_empty(campaign):
    import_rows([unit_row(版块=UNASSIGNED_SECTOR)], campaign)
    assert Donation.objects.get().sector is None


def test_branch_must_belong_to_the_sector(campaign):
    factories.branch("市直工委慈善分会", sector_name="市直工委慈善分会")
    factories.branch("教育一分会", sector_name="教育系统")
    assert errors_for([unit_row(版块="教育系统", 分会="市直工委慈善分会")], campaign) == [
        "第 2 行，“分会”列：版块“教育系统”下没有分会“市直工委慈善分会”；可选：教育一分会"
    ]
    assert errors_for([unit_row(版块="", 分会="教育一分会")], campaign)[-1] == (
        "第 2 行，“分会”列：填写分会“教育一分会”时必须填写它所属的版块"
    )
    import_rows([unit_row(版块="教育系统", 分会="教育一分会")], campaign)
    assert Donation.objects.get().branch.name == "教育一分会"


def test_individual_sector_defaults(campaign):
    factories.unit("衡阳市卫健委", sector_name="卫健系统")
    import_rows(
        [
            person_row("甲", 所在单位="衡阳市卫健委"),
            person_row("乙"),
            person_row("丙", 所在单位="衡阳市卫健委", 版块="司法系统"),
        ],
        campaign,
    )
    sectors = dict(Donation.objects.values_list("donor__name", "sector__name"))
    assert sectors == {"甲": "卫健系统", "乙": "个人", "丙": "司法系统"}


def test_unknown_project_lists_the_valid_ones(campaign):
    factories.project("慈善光明行")
    factories.project("春风行动")
    assert errors_for([unit_row(定向项目="光明行")], campaign) == [
        "第 2 行，“定向项目”列：未知的定向项目“光明行”；可选：慈善光明行、春风行动"
    ]


# --- dates ----------------------------------------------------------------------------------


def test_future_dates_are_errors_even_when_outside_dates_are_allowed(campaign):
    tomorrow = datetime.date.today() + datetime.timedelta(days=2)
    [error] = errors_for([person_row(捐赠日期=tomorrow.isoformat())], campaign, allow_outside_dates=True)
    assert f"捐赠日期 {tomorrow:%Y-%m-%d} 晚于今天" in error


def test_dates_outside_the_campaign_unless_allowed(campaign):
    rows = [person_row(捐赠日期="2023-08-27"), person_row(捐赠日期="2024-01-01")]
    outside = (
        "不在活动“2023年慈善一日捐”期间（2023-08-28 至 2023-12-31）；"
        "如确属本活动，请在命令行加 --allow-outside-dates"
    )
    assert errors_for(rows, campaign) == [
        f"第 2 行，“捐赠日期”列：捐赠日期 2023-08-27 {outside}",
        f"第 3 行，“捐赠日期”列：捐赠日期 2024-01-01 {outside}",
    ]
    batch = import_rows(rows, campaign, allow_outside_dates=True, outside_dates_reason="活动前后几天的汇款")
    assert batch.outside_dates_allowed and Donation.objects.count() == 2


def test_excel_date_cells(campaign):
    import_rows([person_row(捐赠日期=datetime.date(2023, 9, 3))], campaign)
    assert Donation.objects.get().received_on == datetime.date(2023, 9, 3)


# --- csv ------------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_csv_in_utf8_with_or_without_bom_and_gbk(campaign, encoding):
    rows = [unit_row("衡阳市教育局", "1,234.50"), person_row("王小明", "0.35万", 所在单位="衡阳市教育局")]
    source = csv_file(rows, encoding=encoding)
    batch = import_file(source, file_name="捐赠.csv", campaign=campaign, separate_staff_gifts=True)
    assert batch.total_amount == Decimal("4734.50")
    assert set(Donor.objects.values_list("name", flat=True)) == {"衡阳市教育局", "王小明"}


def test_texts_over_the_field_length(campaign):
    assert errors_for([person_row(备注="长" * 501)], campaign) == [
        "第 2 行，“备注”列：内容过长（501 个字符），最多 500 个字符"
    ]


def test_csv_errors_have_row_numbers(campaign):
    plan = check_file(csv_file([person_row(), person_row(金额="0")]), file_name="捐赠.csv", campaign=campaign)
    assert messages(plan.errors) == ["第 3 行，“金额”列：金额必须大于 0，实际为 0"]


def test_unknown_projects_cost_no_query_per_bad_row(campaign):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    factories.project("慈善光明行")

    def queries_for(bad_rows):
        rows = [unit_row(f"单位{n}", 定向项目="光明行") for n in range(bad_rows)]
        with CaptureQueriesContext(connection) as captured:
            errors = errors_for(rows, campaign)
        assert len(errors) == bad_rows
        return len(captured)

    assert queries_for(40) == queries_for(2)
