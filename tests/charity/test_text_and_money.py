from decimal import Decimal

import pytest

from charity.money import (
    count,
    percent,
    percent_change,
    plain_yuan,
    signed_percent,
    signed_wan,
    signed_yuan,
    wan,
    yuan,
)
from charity.text import mask_name, normalize_name


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("衡阳市　教育局", "衡阳市教育局"),
        ("  衡阳市教育局  ", "衡阳市教育局"),
        ("某公司(分公司)", "某公司（分公司）"),
        ("ＡＢＣ　Co  Ltd", "ABC Co Ltd"),
        (None, ""),
    ],
)
def test_normalize_name(raw, expected):
    assert normalize_name(raw) == expected


@pytest.mark.parametrize(
    "raw, expected", [("王小明", "王*明"), ("王明", "王*"), ("欧阳小明", "欧**明"), ("王", "王*")]
)
def test_mask_name(raw, expected):
    assert mask_name(raw) == expected


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        ("18107035", "18,107,035.00"),
        ("0", "0.00"),
        ("0.6", "0.60"),
        ("-37400", "-37,400.00"),
        ("-0.00", "0.00"),
        ("999.995", "1,000.00"),  # fen rounding of an over-precise input, half up
        ("123456789012.34", "123,456,789,012.34"),
    ],
)
def test_yuan_is_exact_with_separators_and_fen(amount, expected):
    assert yuan(Decimal(amount)) == expected


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        ("18107035.00", "1810.7035"),  # the 2023 report's total, as printed
        ("18121080.60", "1812.1081"),  # to the yuan: 0.60 元 rounds up, never five decimals
        ("2096000", "209.6"),  # "个人捐款209.6万元": trailing zeros dropped
        ("4237200", "423.72"),
        ("10000", "1"),
        ("0", "0"),
        ("0.01", "0"),  # less than half a yuan is 0 万元; the exact 元 figure stands beside it
        ("0.50", "0.0001"),  # half a yuan rounds up
        ("0.005", "0"),
        ("99999999.95", "10000"),  # 9999.999995 万元 rounds to the yuan: 10000, not 9999.9999
        ("99999999.40", "9999.9999"),
        ("-35000", "-3.5"),
        ("-0.40", "0"),  # a negative amount that rounds to nothing has no sign
        ("123456789012.34", "12345678.9012"),  # huge: no separators, no exponent
    ],
)
def test_wan_is_to_the_yuan_without_trailing_zeros(amount, expected):
    assert wan(Decimal(amount)) == expected


def test_counts_and_percents():
    assert count(1201949) == "1,201,949"
    assert count(593) == "593"
    assert count(0) == count(None) == "0"
    assert percent(Decimal("47.8")) == "47.8%"
    assert percent(Decimal("125")) == "125.0%"  # the report's "增长125%", to one decimal
    assert percent(Decimal("0.05")) == "0.1%"
    assert percent(Decimal("-2.35")) == "-2.4%"  # half up, away from zero
    assert percent(Decimal("-0.04")) == "0.0%"
    assert percent(Decimal("12345.67")) == "12,345.7%"


def test_signed_forms():
    assert signed_yuan(Decimal("1742200")) == "+1,742,200.00"
    assert signed_yuan(Decimal("-37400")) == "-37,400.00"
    assert signed_yuan(Decimal("0")) == "0.00"
    assert signed_wan(Decimal("1742200")) == "+174.22"
    assert signed_wan(Decimal("0.40")) == "0"  # rounds to nothing: no "+0"
    assert signed_percent(Decimal("10.7")) == "+10.7%"
    assert signed_percent(Decimal("0")) == "0.0%"
    assert signed_yuan(None) == signed_wan(None) == signed_percent(None) == "—"


def test_plain_yuan_is_for_machines():
    assert plain_yuan(Decimal("1234.5")) == "1234.50"
    assert plain_yuan(Decimal("18107035")) == "18107035.00"


def test_percent_change_is_computed_from_exact_amounts():
    assert percent_change(Decimal("147.8"), Decimal("100")) == Decimal("47.8")
    assert percent_change(1, 0) is None


def test_normalize_names_equals_normalize_name_on_each():
    """The whole-column version must give exactly what the per-name function gives."""
    import random

    from charity.text import normalize_names
    from donations.importing.parsing import fold, fold_all

    pieces = ["中", "国", " ", "\u3000", "\t", "\n", "A", "ｂ", "(", ")", "（", "）", "e\u0301", "\u0301",
              "\xa0", "１", "\u200b", "\x1f", "\u2028", "ﾊﾟ", "\ufb01", "\x00"]  # fmt: skip
    rng = random.Random(2023)
    for _ in range(2000):
        names = ["".join(rng.choices(pieces, k=rng.randrange(8))) for _ in range(rng.randrange(6))]
        assert normalize_names(names) == [normalize_name(n) for n in names], names
        assert fold_all(names) == [fold(n) for n in names], names


def test_difference_and_percent_change_say_nothing_without_a_comparison():
    from decimal import Decimal

    from charity.money import difference, percent_change

    assert difference("10.50", None) is None and percent_change("10.50", None) is None
    assert difference("10.50", "4.00") == Decimal("6.50")
    assert percent_change("1810.7035", "1636.4835") == Decimal("10.6")
    assert percent_change("5", "0") is None
