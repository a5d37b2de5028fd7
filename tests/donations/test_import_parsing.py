"""Cell parsers: every spelling the template allows, and a clear message for what it does not."""

import datetime
from decimal import Decimal

import pytest

from donations.importing.errors import CellError
from donations.importing.parsing import (
    cell_text,
    parse_amount,
    parse_channel,
    parse_column,
    parse_credit_code,
    parse_date,
    parse_head_count,
    parse_kind,
    parse_yes_no,
)
from donations.models import Donation, Donor
from tests import factories


@pytest.mark.parametrize(
    "raw",
    [
        "2023-08-28",
        "2023/8/28",
        "2023年8月28日",
        "２０２３年８月２８日",
        " 2023-08-28 ",
        "2023-08-28 00:00:00",
        datetime.date(2023, 8, 28),
        datetime.datetime(2023, 8, 28),
        45166.0,  # Excel's day serial for 2023-08-28, in a cell that lost its date format
    ],
)
def test_dates_in_every_allowed_spelling(raw):
    assert parse_date(raw) == datetime.date(2023, 8, 28)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("28/08/2023", "无法识别的日期“28/08/2023”，应为 2023-08-28、2023/8/28、2023年8月28日 或 20230828"),
        ("2023-02-30", "日期“2023-02-30”不存在"),
        ("明天", "无法识别的日期“明天”"),
        (12.5, "无法识别的日期“12.5”"),
        ("20231345", "日期“20231345”不存在"),
        (2023082, "无法识别的日期“2023082”"),
    ],
)
def test_bad_dates_say_what_was_found_and_what_is_allowed(raw, message):
    with pytest.raises(CellError, match=message):
        parse_date(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1234.5", "1234.50"),
        ("1,234.50", "1234.50"),
        ("１２３４", "1234.00"),
        ("１，２３４．５", "1234.50"),
        ("1234.50元", "1234.50"),
        ("0.35万", "3500.00"),
        ("0.35万元", "3500.00"),
        ("1810.7035万元", "18107035.00"),
        ("¥100", "100.00"),
        (1234.56, "1234.56"),
        (100, "100.00"),
        ("1000.000", "1000.00"),
    ],
)
def test_amounts_in_every_allowed_spelling(raw, expected):
    assert parse_amount(raw) == Decimal(expected)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("0", "金额必须大于 0，实际为 0"),
        ("-5", "金额必须大于 0，实际为 -5"),
        (-0.01, "金额必须大于 0"),
        ("12.345", "金额“12.345”超过两位小数"),
        (33.333, "超过两位小数"),
        ("0.1234567万", "超过两位小数"),
        ("一百元", "无法识别的金额“一百元”，应为以元计的数字"),
        ("1,23.4", "无法识别的金额"),
        ("1e5", "无法识别的金额"),
        ("10000000000000", "过大"),
        (True, "无法识别的金额"),
    ],
)
def test_bad_amounts(raw, message):
    with pytest.raises(CellError, match=message):
        parse_amount(raw)


def test_kinds_channels_yes_no_and_head_counts():
    assert parse_kind("单位") == Donor.Kind.UNIT
    assert parse_kind(" 个人 ") == Donor.Kind.INDIVIDUAL
    with pytest.raises(CellError, match="捐赠人类型“公司”无效，应为“单位”或“个人”"):
        parse_kind("公司")
    assert parse_channel("微信") == Donation.Channel.WECHAT
    assert parse_channel("实物") == Donation.Channel.IN_KIND
    with pytest.raises(CellError, match="渠道“刷卡”无效，可选：银行转账、现金、微信、支付宝、实物、其他"):
        parse_channel("刷卡")
    assert parse_yes_no("是") is True and parse_yes_no("否") is False and parse_yes_no(True) is True
    with pytest.raises(CellError, match="“可以”无效，应为“是”或“否”（也可写 √、Y、1；留空表示否）"):
        parse_yes_no("可以")
    assert parse_head_count(35.0) == 35 and parse_head_count("35人") == 35
    with pytest.raises(CellError, match="参与人数“3.5”无效，应为正整数"):
        parse_head_count(3.5)


def test_credit_codes_are_checked_by_gb_32100():
    code = factories.credit_code(7)
    assert parse_credit_code(code.lower()) == code
    with pytest.raises(CellError, match="校验位错误"):
        parse_credit_code(code[:17] + ("0" if code[17] != "0" else "1"))
    with pytest.raises(CellError, match="应为 18 位"):
        parse_credit_code("12345")


def test_numbers_typed_into_text_cells_read_as_people_see_them():
    assert cell_text(20230001.0) == "20230001"
    assert cell_text(" HY-1 ") == "HY-1"
    assert cell_text(None) == ""


def test_parse_column_parses_each_distinct_value_once():
    seen = []

    def parser(raw):
        seen.append(raw)
        return parse_amount(raw)

    values, errors = parse_column(["100", "100", None, "-1", "100", ""], parser)
    assert values == [Decimal("100.00"), Decimal("100.00"), None, None, Decimal("100.00"), None]
    assert errors == {3: "金额必须大于 0，实际为 -1"}
    assert seen == ["100", "-1"]


@pytest.mark.parametrize(
    "raw, expected",
    [("'=SUM(A1)", "=SUM(A1)"), ("'-5", "-5"), ("'@x", "@x"), ("'abc", "'abc"), ("'", "'"), ("=1", "=1")],
)
def test_cell_text_undoes_only_the_exports_formula_escape(raw, expected):
    from donations.importing.parsing import cell_text

    assert cell_text(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("转账", Donation.Channel.BANK),
        ("网银", Donation.Channel.BANK),
        ("对公转账", Donation.Channel.BANK),
        ("微信支付", Donation.Channel.WECHAT),
        ("WeChat", Donation.Channel.WECHAT),
        ("支付宝转账", Donation.Channel.ALIPAY),
        ("现钞", Donation.Channel.CASH),
        ("物资", Donation.Channel.IN_KIND),
    ],
)
def test_channel_synonyms(raw, expected):
    assert parse_channel(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("√", True),
        ("Y", True),
        ("y", True),
        ("1", True),
        (1.0, True),
        ("是", True),
        ("×", False),
        ("N", False),
    ]
    + [("0", False), (0.0, False), ("", False), ("ｙｅｓ", True)],
)
def test_yes_no_synonyms(raw, expected):
    assert parse_yes_no(raw) is expected


@pytest.mark.parametrize(
    "raw",
    [
        "20230828",
        20230828,
        20230828.0,
        "2023-08-28 14:35:12",
        "2023/8/28 9:05",
        datetime.datetime(2023, 8, 28, 9),
    ]
    + [45166.6],  # a date-time serial whose cell lost its format
)
def test_digit_dates_and_date_times_keep_the_day(raw):
    assert parse_date(raw) == datetime.date(2023, 8, 28)


def test_numeric_credit_codes_are_refused_whatever_their_digits():
    message = "统一社会信用代码被 Excel 存成了数字，后几位已丢失：请把该列设为文本后重新填写"
    for raw in (914304001234567000, 9.14304001234567e17, "9.14304E+17", "9.14304e17"):
        with pytest.raises(CellError, match=message):
            parse_credit_code(raw)
