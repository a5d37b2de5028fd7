from decimal import Decimal

import pytest

from charity.money import format_wan, format_yuan, percent_change
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


def test_money_formats_are_exact():
    assert format_yuan(Decimal("18107035")) == "18,107,035.00"
    assert format_wan(Decimal("18107035.00")) == "1810.7035"
    assert format_wan(Decimal("0.01")) == "0.000001"
    assert format_wan(Decimal("4237200")) == "423.72"
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
