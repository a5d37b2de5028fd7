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
