"""Money is exact: Decimal 元 with two places; the one way to write 元, 万元, counts and percents."""

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import DecimalField, Sum, Value
from django.db.models.functions import Coalesce

# The arithmetic of comparisons lives with the row that uses it (charity/figures.py); these names
# stay importable from here.
from .figures import difference, percent_change  # noqa: F401

FEN = Decimal("0.01")
TEN_THOUSAND = Decimal(10000)

# Every app sums money the same way, in the database and in exact decimals; campaigns, relief and
# reports import these from here rather than from donations.
ZERO = Value(Decimal("0.00"), output_field=DecimalField(max_digits=14, decimal_places=2))


def money_sum(field="amount", **kwargs):
    """Sum of a money field that is 0.00, not None, over no rows."""
    return Coalesce(Sum(field, **kwargs), ZERO, output_field=DecimalField(max_digits=16, decimal_places=2))


def frozen_amount(value):
    """An amount read back from frozen content: a string there (JSON), a Decimal when freshly
    frozen; 0.00 for none."""
    return Decimal(str(value)) if value is not None else Decimal("0.00")


def to_yuan(value):
    """Quantize to fen. Raises decimal.InvalidOperation for garbage, never guesses."""
    return Decimal(value).quantize(FEN)


# --- The one way to write numbers -------------------------------------------------------------
#
# Pages, share images, PDFs, charts and the text of downloads write numbers only through these.
# The forms follow the federation's own reports ("募集资金1810.7035万元", "个人捐款209.6万元",
# "增长47.8%"): 万元 without thousands separators, trailing zeros dropped, and at most four
# decimals, which is to the yuan; wherever 万元 is shown the exact 元 figure is beside it, since
# 万元 may have rounded the fen away. 元 always with separators and two decimals, in tables and
# in prose alike; counts with separators; percentages to one decimal. Numbers a machine reads
# (CSV, JSON, numeric spreadsheet cells) are plain: see plain_yuan.

YUAN_IN_WAN = Decimal("0.0001")
TENTH = Decimal("0.1")


def plain_yuan(amount):
    """18107035 → '18107035.00': for machines (CSV, JSON, frozen content), never for people."""
    return f"{to_yuan(amount)}"


def yuan(amount):
    """18107035 → '18,107,035.00': exact, with thousands separators and the fen."""
    return _no_negative_zero(f"{to_yuan(amount):,.2f}")


def wan(amount):
    """18107035 → '1810.7035', 18121080.60 → '1812.1081', 2096000 → '209.6': 万元 rounded half up
    to the yuan (four decimals), trailing zeros dropped, no thousands separators."""
    rounded = (Decimal(amount) / TEN_THOUSAND).quantize(YUAN_IN_WAN, ROUND_HALF_UP)
    text = f"{rounded:f}".rstrip("0").rstrip(".")
    return _no_negative_zero(text)


def wan_with_yuan(amount):
    """'1810.7035 万元（18,107,035.00 元）': 万元 with the exact figure beside it, for text that
    cannot hold markup (share images, PDF prose). Pages use the `wan_yuan` template filter."""
    return f"{wan(amount)} 万元（{yuan(amount)} 元）"


def count(number):
    """1201949 → '1,201,949': head counts, 人次, numbers of units and donations."""
    return f"{int(number or 0):,}"


def percent(value):
    """47.83 (already in percent) → '47.8%': one decimal, rounded half up."""
    rounded = Decimal(value).quantize(TENTH, ROUND_HALF_UP)
    return _no_negative_zero(f"{rounded:,.1f}") + "%"


def signed_yuan(amount):
    """+1,742,200.00 / -37,400.00 / 0.00; — when there is nothing to compare with (None)."""
    return "—" if amount is None else _signed(amount, yuan(amount))


def signed_wan(amount):
    """+174.22 / -3.5 / 0; — when there is nothing to compare with (None)."""
    return "—" if amount is None else _signed(amount, wan(amount))


def signed_percent(value):
    """A percent_change() result: +10.7% / -2.3% / 0.0%; — when undefined."""
    return "—" if value is None else _signed(value, percent(value))


def _signed(value, text):
    return f"+{text}" if Decimal(value) > 0 and text.strip("0.,%") else text


def _no_negative_zero(text):
    """-0.00 / -0 / -0.0% (a negative amount that rounds to nothing) are written without the sign."""
    return text[1:] if text.startswith("-") and not text.strip("-0.,%") else text
