"""Money is exact: Decimal 元 with two places, shown as 元 or 万元 without rounding."""

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import DecimalField, Sum, Value
from django.db.models.functions import Coalesce

FEN = Decimal("0.01")
TEN_THOUSAND = Decimal(10000)

# Every app sums money the same way, in the database and in exact decimals; campaigns, relief and
# reports import these from here rather than from donations.
ZERO = Value(Decimal("0.00"), output_field=DecimalField(max_digits=14, decimal_places=2))


def money_sum(field="amount", **kwargs):
    """Sum of a money field that is 0.00, not None, over no rows."""
    return Coalesce(Sum(field, **kwargs), ZERO, output_field=DecimalField(max_digits=16, decimal_places=2))


def to_yuan(value):
    """Quantize to fen. Raises decimal.InvalidOperation for garbage, never guesses."""
    return Decimal(value).quantize(FEN)


def format_yuan(amount):
    """18107035 → '18,107,035.00' (tables show 元 with thousands separators)."""
    return f"{Decimal(amount).quantize(FEN):,.2f}"


def format_wan(amount):
    """18107035 → '1810.7035': 万元 with as many places as needed to stay exact (at most 6)."""
    wan = (Decimal(amount) / TEN_THOUSAND).quantize(Decimal("0.000001"))
    text = f"{wan:.6f}".rstrip("0").rstrip(".")
    return text or "0"


def difference(current, previous):
    """current - previous, or None when there is nothing to compare with (previous is None)."""
    return None if previous is None else Decimal(current) - Decimal(previous)


def percent_change(current, previous):
    """Change from previous to current in percent, one decimal place; None when undefined
    (nothing to compare with, or a previous amount of zero)."""
    if previous is None:
        return None
    current, previous = Decimal(current), Decimal(previous)
    if previous == 0:
        return None
    return ((current - previous) * 100 / previous).quantize(Decimal("0.1"), ROUND_HALF_UP)
