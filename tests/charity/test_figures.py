"""The one comparison row (charity/figures.py): exact change, percent and share, for money and counts."""

from decimal import Decimal

from charity.figures import Comparison, share
from charity.money import percent, signed_percent


def test_an_amount_against_last_year_is_exact_to_the_fen():
    row = Comparison(Decimal("18107035.00"), Decimal("16364835.00"), base=Decimal("20000000.00"))
    assert row.change == Decimal("1742200.00")
    assert row.percent == Decimal("10.6") and signed_percent(row.percent) == "+10.6%"
    assert row.share == Decimal("90.5")  # 90.535..., half up to one decimal


def test_a_count_compares_like_an_amount():
    row = Comparison(1201, 1000, base=4000)
    assert (row.change, row.percent, row.share) == (201, Decimal("20.1"), Decimal("30.0"))


def test_nothing_to_compare_with_gives_no_change_and_no_percent():
    first_year = Comparison(Decimal("100.00"))
    assert (first_year.change, first_year.percent, first_year.share) == (None, None, None)
    new_row = Comparison(Decimal("100.00"), Decimal("0.00"))  # a row that had nothing last year
    assert new_row.change == Decimal("100.00") and new_row.percent is None


def test_a_share_rounds_half_up_once_and_has_no_base_of_zero():
    assert share(1, 16) == Decimal("6.3")  # 6.25
    assert share(Decimal("1"), Decimal("3")) == Decimal("33.3")
    assert share(Decimal("5.00"), Decimal("0.00")) is None and share(5, None) is None
    assert percent(share(2, 3)) == "66.7%"
