"""This year against last year, and a part of a whole: the one row type every comparison uses.

The campaign pages (campaigns/selectors.py), the annual summary (campaigns/annual_summary/figures.py) and the
relief year page (relief/views/years.py) compare a figure with the year before and give its share
of a whole through this module, so a change, a percent and a share are computed one way
everywhere. The arithmetic is exact (Decimal); a percent is rounded half up to one decimal once,
here, and written by charity.money.percent / signed_percent.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

PERCENT_PLACE = Decimal("0.1")
HUNDRED = Decimal(100)


def difference(current, previous):
    """current - previous, or None when there is nothing to compare with (previous is None)."""
    return None if previous is None else Decimal(current) - Decimal(previous)


def percent_change(current, previous):
    """Change from previous to current in percent, one decimal place; None when undefined
    (nothing to compare with, or a previous figure of zero)."""
    if previous is None:
        return None
    current, previous = Decimal(current), Decimal(previous)
    if previous == 0:
        return None
    return ((current - previous) * HUNDRED / previous).quantize(PERCENT_PLACE, ROUND_HALF_UP)


def share(part, whole):
    """`part` as a percent of `whole`, one decimal place; None when there is no whole (None or 0)."""
    if not whole:
        return None
    return (Decimal(part) * HUNDRED / Decimal(whole)).quantize(PERCENT_PLACE, ROUND_HALF_UP)


@dataclass
class Comparison:
    """A figure this year (`current`) against last year (`previous`): an amount (Decimal 元) or a
    count (int) alike.

    `previous` is None when there is nothing to compare with (no year before, or no such row in
    it): `change` and `percent` are then None, and pages write —. `base` is the whole that
    `share` is a part of (this year's total, a goal, the money raised), None for no share.
    Subclasses add what names the row (a sector, a branch).
    """

    current: Decimal | int
    previous: Decimal | int | None = None
    base: Decimal | int | None = None

    @property
    def change(self):
        return difference(self.current, self.previous)

    @property
    def percent(self):
        """Change against last year in percent (one decimal), None when undefined."""
        return percent_change(self.current, self.previous)

    @property
    def share(self):
        """This year's figure as a percent of `base` (one decimal), None without a base."""
        return share(self.current, self.base)
