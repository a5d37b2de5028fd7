"""Files shaped the way staff make them (tests/donations/staff_files.py), one test per situation.

A file either counts exactly what the clerk meant, to the fen, or is refused with the row, the
column and the cause, and then nothing at all is written.
"""

import datetime
from decimal import Decimal

import pytest

from donations.importing import ImportFailed, check_file, import_file
from donations.models import Donation, Donor, RemittanceLine
from tests import factories
from tests.donations import staff_files
from tests.donations.import_helpers import counts, messages

pytestmark = pytest.mark.django_db

NUMERIC_CODE = "统一社会信用代码被 Excel 存成了数字，后几位已丢失：请把该列设为文本后重新填写"


def refused(upload, campaign, **options):
    """Every message of a refused file, after checking that the import wrote nothing."""
    before = counts()
    plan = check_file(upload, file_name=upload.name, campaign=campaign, **options)
    with pytest.raises(ImportFailed) as failure:
        import_file(upload, file_name=upload.name, campaign=campaign, **options)
    assert counts() == before
    assert messages(failure.value.errors) == messages(plan.errors)
    return messages(plan.errors)


def imported(upload, campaign, **options):
    return import_file(upload, file_name=upload.name, campaign=campaign, **options)


def total(campaign):
    return Donation.objects.for_campaign(campaign).total()


# --- never a wrong total --------------------------------------------------------------------


def test_a_total_row_copied_from_the_last_row_is_refused(campaign):
    assert refused(staff_files.total_row_copied_from_the_last_row(), campaign) == [
        "第 4 行，“捐赠人”列：这一行是合计行（“合计”），请删除后再导入；合计由系统计算，不需要填写"
    ]


def test_subtotal_and_signature_rows_are_refused_and_raise_nothing_else(campaign):
    assert refused(staff_files.subtotal_and_signature_rows(), campaign) == [
        "第 3 行，“捐赠人”列：这一行是小计行（“小 计”），请删除后再导入；合计由系统计算，不需要填写",
        "第 4 行，“捐赠日期”列：这一行是签名行（“制表人：张三”），请删除后再导入",
        "第 5 行，“捐赠日期”列：这一行是签名行（“审核人：李四”），请删除后再导入",
    ]


@pytest.mark.parametrize(
    "cell, label",
    [
        ("合 计", "合计行"),
        ("总计：", "总计行"),
        ("本页合计", "合计行"),
        ("共计", "共计行"),
        ("审核：", "签名行"),
    ],
)
def test_summary_labels_in_their_usual_spellings(campaign, cell, label):
    from donations.importing.summary_rows import label_of

    assert label_of(cell) == label


@pytest.mark.parametrize("name", ["衡阳市统计局", "合力公司", "审计局", "张审核", "王负责"])
def test_names_that_merely_contain_the_words_are_donors(name):
    from donations.importing.summary_rows import label_of

    assert label_of(name) is None


def test_a_note_saying_how_many_took_part_is_not_a_total_row(campaign):
    from tests.donations.import_helpers import unit_row, xlsx

    upload = xlsx([unit_row(备注="共计 35 人参与")])
    assert check_file(upload, file_name=upload.name, campaign=campaign).ok


STAFF_WITHOUT_REF = (
    "“汇款票据号”列：所在单位“衡阳市一中”在本文件第 2 行有单位捐赠，票据号“R-1”，本行却没有填写汇款票据号："
    "若是这笔单位汇款中的员工明细，请填写汇款票据号，否则这笔钱会算两次；"
    "若确是员工另行捐赠，请在命令行加 --separate-staff-gifts"
)


def test_remittance_ref_on_the_first_staff_row_only_is_refused(campaign):
    assert refused(staff_files.remittance_ref_on_the_first_staff_row_only(), campaign) == [
        f"第 4 行，{STAFF_WITHOUT_REF}",
        f"第 5 行，{STAFF_WITHOUT_REF}",
    ]


def test_a_staff_list_without_a_remittance_column_is_refused(campaign):
    assert refused(staff_files.staff_list_without_a_remittance_column(), campaign) == [
        f"第 {n} 行，{STAFF_WITHOUT_REF}" for n in (3, 4, 5)
    ]


def test_a_unit_without_a_receipt_number_is_asked_for_one(campaign):
    from tests.donations.import_helpers import person_row, unit_row, xlsx

    rows = [unit_row("衡阳市一中", "600"), person_row("张老师", "100", 所在单位="衡阳市一中")]
    assert refused(xlsx(rows), campaign) == [
        "第 3 行，“汇款票据号”列：所在单位“衡阳市一中”在本文件第 2 行有单位捐赠，本行却没有填写汇款票据号："
        "若是这笔单位汇款中的员工明细，请先给该汇款填写票据号，再在本行填写同一个汇款票据号，否则这笔钱会算两次；"
        "若确是员工另行捐赠，请在命令行加 --separate-staff-gifts"
    ]


def test_separate_staff_gifts_count_on_their_own_when_the_clerk_says_so(campaign):
    batch = imported(
        staff_files.staff_list_without_a_remittance_column(), campaign, separate_staff_gifts=True
    )
    assert (batch.donation_count, batch.line_count, batch.total_amount) == (4, 0, Decimal("1200.00"))
    assert total(campaign) == Decimal("1200.00")
    assert set(Donor.objects.individuals().values_list("employer__name", flat=True)) == {"衡阳市一中"}


def test_a_block_pasted_twice_is_listed_and_refused(campaign):
    force = "若是重复粘贴请删除一行，若确是两笔捐赠，请在命令行加 --force"
    assert refused(staff_files.block_pasted_twice(), campaign) == [
        f"第 6 行：与第 2 行完全相同（张三，50.00 元），都没有票据号；{force}",
        f"第 7 行：与第 3 行完全相同（李四，80.00 元），都没有票据号；{force}",
        f"第 8 行：与第 4 行完全相同（王五，120.00 元），都没有票据号；{force}",
    ]


def test_rows_repeated_on_purpose_are_imported_when_forced(campaign):
    batch = imported(staff_files.block_pasted_twice(), campaign, force=True)
    assert batch.total_amount == Decimal("530.00") and total(campaign) == Decimal("530.00")


def test_the_same_list_saved_again_with_a_note_changed_is_refused(campaign):
    first = imported(staff_files.personal_list(), campaign)
    again = staff_files.personal_list(note="已核对")
    batch = f"批次 #{first.pk}，文件名 个人名单.xlsx"
    force = "若是同一笔请删除此行，若确是另一笔捐赠，请在命令行加 --force"
    assert refused(again, campaign) == [
        f"第 2 行：与本活动已录入的捐赠相同（2023-09-18，张三，50.00 元，{batch}），都没有票据号；{force}",
        f"第 3 行：与本活动已录入的捐赠相同（2023-09-18，李四，80.00 元，{batch}），都没有票据号；{force}",
    ]
    assert total(campaign) == Decimal("130.00")


def test_a_gift_entered_by_hand_is_matched_too(campaign):
    person = factories.person("张三")
    factories.donation(person, campaign, "50", received_on=staff_files.DAY)
    [message] = [m for m in refused(staff_files.personal_list(), campaign) if "张三" in m]
    assert "（2023-09-18，张三，50.00 元，手工录入）" in message


def test_the_same_day_and_amount_in_another_campaign_is_no_duplicate(campaign):
    from campaigns.models import Campaign

    other = Campaign.objects.create(
        name="赈灾募捐", year=2023, start_date=datetime.date(2023, 8, 1), end_date=datetime.date(2023, 12, 31)
    )
    imported(staff_files.personal_list(), other)
    assert imported(staff_files.personal_list(note="另一个活动"), campaign).total_amount == Decimal("130.00")


def test_staff_lines_already_itemised_under_a_recorded_remittance_are_refused(campaign):
    from tests.donations.import_helpers import person_row, xlsx

    school = factories.unit("衡阳市一中", sector_name="教育系统")
    factories.donation(school, campaign, "1000", receipt_no="R-7")
    first = imported(xlsx([person_row("张老师", "100", 汇款票据号="R-7")], name="明细.xlsx"), campaign)
    again = xlsx([person_row("张老师", "100", 汇款票据号="R-7", 备注="补")], name="明细2.xlsx")
    assert refused(again, campaign) == [
        f"第 2 行：汇款“R-7”中已有相同的明细（张老师，100.00 元，批次 #{first.pk}，文件名 明细.xlsx）；"
        "若是同一笔请删除此行，若确是另一笔，请在命令行加 --force"
    ]
    assert RemittanceLine.objects.count() == 1


@pytest.mark.parametrize("number", [9.14304001234567e17, 914304001234567000, 91430400123456780])
def test_a_credit_code_stored_as_a_number_is_always_refused(campaign, number):
    assert refused(staff_files.credit_code_stored_as_a_number(number), campaign) == [
        f"第 2 行，“统一社会信用代码”列：{NUMERIC_CODE}"
    ]


def test_a_numeric_code_that_happens_to_pass_the_check_is_refused_too(campaign):
    """One mangled code in 31 still has a valid check character: it must not be stored."""
    from donations.validators import credit_code_error

    code = next(c for n in range(100) if not credit_code_error(c := f"91430400123456{n:02d}00"))
    assert refused(staff_files.credit_code_stored_as_a_number(int(code)), campaign) == [
        f"第 2 行，“统一社会信用代码”列：{NUMERIC_CODE}"
    ]


def test_a_credit_code_in_scientific_notation_in_a_csv_is_refused(campaign):
    assert refused(staff_files.credit_code_in_scientific_notation_csv(), campaign) == [
        f"第 2 行，“统一社会信用代码”列：{NUMERIC_CODE}"
    ]


# --- accept what cannot be misread ----------------------------------------------------------


def assert_school_staff_imported(batch, campaign):
    """staff_files.school_staff: 600.00 counted once, three teachers credited."""
    assert (batch.donation_count, batch.line_count, batch.total_amount) == (1, 3, Decimal("600.00"))
    assert total(campaign) == Decimal("600.00")
    lines = dict(RemittanceLine.objects.values_list("donor__name", "amount"))
    assert lines == {"张老师": Decimal("100.00"), "李老师": Decimal("200.00"), "王老师": Decimal("300.00")}


def test_a_title_row_above_the_header_and_a_row_number_column(campaign):
    batch = imported(staff_files.title_row_and_row_numbers(), campaign)
    assert_school_staff_imported(batch, campaign)


def test_row_numbers_in_messages_count_the_title_row(campaign):
    from tests.donations.staff_files import STAFF_HEADER, workbook_file

    rows = [[staff_files.DAY, "甲单位", "单位", "", "教育系统", "abc", "", ""]]
    upload = workbook_file(rows, STAFF_HEADER, "标题.xlsx", title="名单")
    assert refused(upload, campaign) == [
        "第 3 行，“金额”列：无法识别的金额“abc”，应为以元计的数字，如 1234.5、1,234.50、1234.50元、0.35万"
    ]


def test_a_merged_cell_below_the_title_is_still_refused(campaign):
    from tests.donations.staff_files import UNIT_HEADER, workbook_file

    rows = [
        [staff_files.DAY, "甲单位", "单位", "教育系统", 100, ""],
        [staff_files.DAY, "乙单位", "单位", "", 5, ""],
    ]
    upload = workbook_file(
        rows, UNIT_HEADER, "合并.xlsx", title="名单", build=lambda b, s: s.merge_cells("D3:D4")
    )
    [message] = refused(upload, campaign)
    assert message == "工作表“捐赠”含有合并单元格（D3:D4）；请取消合并，每行每列只填一个值"


def test_headers_with_units_spaces_and_line_breaks(campaign):
    batch = imported(staff_files.headers_with_units_and_line_breaks(), campaign)
    assert batch.total_amount == Decimal("1500.00")
    assert Donation.objects.for_campaign(campaign).head_count() == 47


def test_a_half_width_unit_in_brackets(campaign):
    batch = imported(staff_files.amount_header_with_half_width_unit(), campaign)
    assert batch.total_amount == Decimal("1000.00")


def test_an_amount_in_ten_thousands_is_refused_by_name(campaign):
    assert refused(staff_files.amount_in_ten_thousands(), campaign) == [
        "第 1 行，“金额”列：列“金额（万元）”以万元计，导入只按元读取金额："
        "请把金额换算成元（如 0.35 万元填 3500），列名改为“金额”"
    ]


@pytest.mark.parametrize("header", ["捐赠金额（万元）", "金额(万)", "金额 （万元）"])
def test_every_spelling_of_an_amount_in_ten_thousands_is_refused(header):
    from donations.importing.headers import read_header

    refusal = read_header(header).refusal
    assert refusal.startswith(f"列“{header.replace(' ', '')}”以万元计，导入只按元读取金额")


def test_float_noise_is_rounded_to_the_fen(campaign):
    batch = imported(staff_files.float_noise_in_amounts(), campaign)
    amounts = dict(Donation.objects.values_list("donor__name", "amount"))
    assert amounts == {"衡阳市教育局": Decimal("100.00"), "衡阳市卫健委": Decimal("0.30")}
    assert batch.total_amount == Decimal("100.30") and total(campaign) == Decimal("100.30")


def test_float_noise_is_only_noise_within_a_millionth_of_a_fen():
    from donations.importing.errors import CellError
    from donations.importing.parsing import parse_amount

    assert parse_amount(100.000000009) == Decimal("100.00")
    with pytest.raises(CellError, match="超过两位小数"):
        parse_amount(100.00000002)


def test_dates_as_digits_and_date_times_keep_the_day(campaign):
    imported(staff_files.dates_as_digits_and_date_times(), campaign)
    assert dict(Donation.objects.values_list("donor__name", "received_on")) == {
        "甲单位": datetime.date(2023, 9, 17),
        "乙单位": datetime.date(2023, 9, 18),
        "丙单位": datetime.date(2023, 10, 13),
        "丁单位": datetime.date(2023, 10, 14),
    }


def test_an_old_xls_workbook(campaign):
    batch = imported(staff_files.old_xls_workbook(), campaign)
    assert_school_staff_imported(batch, campaign)
    assert batch.file_name == "旧版.xls"


def test_a_file_named_xls_that_is_not_one(campaign):
    import io

    upload = io.BytesIO(b"PK\x03\x04" + bytes(100))
    upload.name = "捐赠.xls"
    assert refused(upload, campaign) == [
        "文件名是 .xls，但内容是 zip 压缩包（Excel 工作簿的格式）；请在 Excel 中另存为 .xlsx 后再导入"
    ]


def test_channel_and_yes_no_spellings(campaign):
    imported(staff_files.channel_and_yes_no_spellings(), campaign)
    got = {
        name: (channel, anonymous)
        for name, channel, anonymous in Donation.objects.values_list("donor__name", "channel", "anonymous")
    }
    assert got == {
        "甲单位": (Donation.Channel.BANK, False),
        "乙单位": (Donation.Channel.BANK, False),
        "张三": (Donation.Channel.WECHAT, True),
        "李四": (Donation.Channel.ALIPAY, True),
        "王五": (Donation.Channel.CASH, True),
    }


def test_staff_lines_take_the_remittance_date_and_may_repeat_its_values(campaign):
    batch = imported(staff_files.staff_rows_copy_the_remittance_down(), campaign)
    assert (batch.donation_count, batch.line_count, batch.total_amount) == (1, 2, Decimal("600.00"))
    assert RemittanceLine.objects.count() == 2


def test_a_staff_line_with_another_sector_is_still_refused(campaign):
    assert refused(staff_files.staff_rows_copy_the_remittance_down(sector="卫健系统"), campaign) == [
        "第 3 行，“版块”列：汇款明细行的版块“卫健系统”与所属汇款“R-1”的版块“教育系统”不同；"
        "明细行以汇款为准，请留空或填写相同的版块"
    ]


def test_lines_of_a_recorded_remittance_may_repeat_its_values_and_leave_the_date_blank(campaign):
    from tests.donations.import_helpers import person_row, xlsx

    school = factories.unit("衡阳市一中", sector_name="教育系统")
    factories.donation(school, campaign, "1000", receipt_no="R-7")
    rows = [
        person_row("张老师", "100", 汇款票据号="R-7", 捐赠日期=None, 版块="教育系统", 渠道="银行转账"),
        person_row("李老师", "100", 汇款票据号="R-7", 渠道="现金"),
    ]
    assert refused(xlsx(rows), campaign) == [
        "第 3 行，“渠道”列：汇款明细行的渠道“现金”与所属汇款“R-7”的渠道“银行转账”不同；"
        "明细行以汇款为准，请留空或填写相同的渠道"
    ]
    assert imported(xlsx(rows[:1]), campaign).line_count == 1


def test_the_message_names_the_sheet_that_fits_the_template(campaign):
    assert refused(staff_files.list_on_the_second_sheet(), campaign) == [
        "第一个工作表“封面”不是导入模板的格式，工作表“名单”才是；"
        "导入只读取第一个工作表，请把“名单”移到最前面（或删除“封面”）后再导入"
    ]


def test_every_staff_file_can_be_written_for_a_person_to_open(tmp_path):
    staff_files.main(tmp_path)
    assert len(list(tmp_path.iterdir())) == len(staff_files.ALL)


def test_a_line_repeating_the_remittances_branch_passes_and_another_branch_is_refused(campaign):
    from tests.donations.import_helpers import person_row, unit_row, xlsx

    factories.branch("教育一分会", sector_name="教育系统")
    factories.branch("教育二分会", sector_name="教育系统")
    remittance = unit_row("衡阳市一中", "600", 票据号="R-1", 分会="教育一分会")
    same = person_row("张老师", "100", 汇款票据号="R-1", 版块="教育系统", 分会="教育一分会")
    other = person_row("李老师", "100", 汇款票据号="R-1", 版块="教育系统", 分会="教育二分会")
    assert refused(xlsx([remittance, same, other]), campaign) == [
        "第 4 行，“分会”列：汇款明细行的分会“教育二分会”与所属汇款“R-1”的分会“教育一分会”不同；"
        "明细行以汇款为准，请留空或填写相同的分会"
    ]
    assert imported(xlsx([remittance, same]), campaign).line_count == 1


def test_a_csv_with_a_title_line_and_header_spellings(campaign):
    upload = staff_files.csv_upload(
        [
            "衡阳市教育局2023年慈善一日捐,,,,",
            "序号,捐赠 日期,捐赠人,捐赠人类型,版块,捐赠金额(元)",
            "1,20230918,衡阳市教育局,单位,教育系统,1000",
            "2,2023-09-18 10:00,衡阳市卫健委,单位,卫健系统,500.5",
        ],
        "标题.csv",
    )
    batch = imported(upload, campaign)
    assert (batch.row_count, batch.total_amount) == (2, Decimal("1500.50"))
    assert set(Donation.objects.values_list("received_on", flat=True)) == {staff_files.DAY}


def test_a_summary_row_in_a_csv_names_its_row_after_the_title(campaign):
    upload = staff_files.csv_upload(
        [
            "名单,,,,",
            "捐赠日期,捐赠人,捐赠人类型,版块,金额",
            "2023-09-18,衡阳市教育局,单位,教育系统,1000",
            "2023-09-18,总 计,单位,教育系统,1000",
        ],
        "合计.csv",
    )
    assert refused(upload, campaign) == [
        "第 4 行，“捐赠人”列：这一行是总计行（“总 计”），请删除后再导入；合计由系统计算，不需要填写"
    ]


# --- people with receipt numbers of their own (issue #22, 4) ----------------------------------


def test_the_template_with_receipts_of_their_own_imports_without_options(campaign):
    from donations.importing import COLUMNS

    upload = staff_files.template_with_receipts_of_their_own()
    assert staff_files.TEMPLATE_HEADER == list(COLUMNS)  # still the admin's template
    batch = imported(upload, campaign)
    assert (batch.donation_count, batch.line_count) == (8, 2)
    assert batch.total_amount == total(campaign) == Decimal("2330.00")
    own = Donation.objects.filter(receipt_no__startswith="HY2023-02")
    assert own.count() == 6 and not own.filter(lines__isnull=False).exists()
    assert dict(own.values_list("donor__name", "donor__employer__name")) == {
        "王老师": "衡阳市一中",
        "赵老师": "衡阳市一中",
        "刘医生": "衡阳市卫健委",
        "陈医生": "衡阳市卫健委",
        "周护士": "衡阳市卫健委",
        "吴医生": "衡阳市卫健委",
    }


def test_only_the_row_with_neither_number_is_refused(campaign):
    from tests.donations.import_helpers import person_row, unit_row, xlsx

    rows = [
        unit_row("衡阳市一中", "600", 票据号="R-1"),
        person_row("张老师", "100", 所在单位="衡阳市一中", 票据号="R-2"),
        person_row("李老师", "100", 所在单位="衡阳市一中"),
    ]
    assert refused(xlsx(rows), campaign) == [f"第 4 行，{STAFF_WITHOUT_REF}"]


def test_a_receipt_number_the_same_as_the_remittance_is_still_refused(campaign):
    """The remittance's number typed into 票据号 instead of 汇款票据号: not a receipt of one's own."""
    from tests.donations.import_helpers import person_row, unit_row, xlsx

    rows = [
        unit_row("衡阳市一中", "600", 票据号="R-1"),
        person_row("张老师", "100", 所在单位="衡阳市一中", 票据号="R-1"),
    ]
    assert refused(xlsx(rows), campaign) == [
        "第 3 行，“票据号”列：票据号“R-1”在文件中重复（第 2 行已有）",
        f"第 3 行，{STAFF_WITHOUT_REF}",
    ]
