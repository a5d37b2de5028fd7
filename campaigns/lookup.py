"""查询我的捐款: a person finds their own gift, and cannot use it to list or guess anyone else's.

Exact matches only: a receipt number, or the exact name with the exact amount (and, for someone
itemised on a unit's staff list, the exact unit). No partial names, no lists, no totals. An
anonymous gift answers only "counted, anonymous". The view adds a rate limit per address and the
same answer time for a hit and a miss.
"""

from dataclasses import dataclass
from decimal import Decimal

from charity.text import normalize_name
from donations.models import Donation, RemittanceLine
from donations.querysets import public_name, shown_anonymous

from .numbering import chinese_number


@dataclass
class Found:
    anonymous: bool
    reversed: bool = False  # cancelled by a reversing entry (冲正): no longer in any total
    amount: Decimal | None = None
    received_on: object = None
    campaign: str = ""
    campaign_id: int | None = None
    sector: str = ""
    public_name: str = ""
    unit: str = ""  # for a staff line: the unit (public name) whose remittance listed the person
    project: str = ""
    project_id: int | None = None
    donation_id: int | None = None  # the gift, or the remittance a line belongs to
    issue_id: int | None = None  # the published honor-roll issue that listed it
    issue_number: int | None = None

    @property
    def issue_label(self):
        return f"第{chinese_number(self.issue_number)}期光荣榜" if self.issue_id else ""


DONATION_FIELDS = (
    "id",
    "amount",
    "received_on",
    "campaign_id",
    "campaign__name",
    "sector__name",
    "project_id",
    "project__name",
    "honor_roll_listing__issue_id",
    "honor_roll_listing__issue__number",
    "status",
)
# A staff line is found through its remittance: the same fields, read from the remittance.
LINE_FIELDS = tuple(f"remittance__{name}" for name in DONATION_FIELDS if name != "amount")


def by_receipt(receipt_no):
    """The gift with exactly this receipt number, or None."""
    receipt_no = normalize_name(receipt_no)
    if not receipt_no:
        return []
    rows = (
        Donation.objects.filter(receipt_no=receipt_no)
        .annotate(hidden=shown_anonymous(), shown=public_name())
        .values(*DONATION_FIELDS, "hidden", "shown")
    )
    return [_found(row) for row in rows]


def by_name_and_amount(name, amount, unit=""):
    """Gifts given under exactly this name and amount; with a unit, also the staff lines of it."""
    name, unit = normalize_name(name), normalize_name(unit)
    if not name or amount is None:
        return []
    found = []
    gifts = (
        Donation.objects.filter(donor__name=name, amount=amount)
        .annotate(hidden=shown_anonymous(), shown=public_name())
        .values(*DONATION_FIELDS, "hidden", "shown")
    )
    if unit:
        gifts = gifts.filter(donor__employer__name=unit)
    found += [_found(row) for row in gifts[:20]]
    if unit:
        lines = (
            RemittanceLine.objects.filter(donor__name=name, amount=amount, remittance__donor__name=unit)
            .annotate(
                hidden=shown_anonymous(),
                shown=public_name(),
                unit_shown=public_name(gift="remittance__", donor="remittance__donor__"),
            )
            # The line's own amount (the person's share); the rest is the remittance's.
            .values("amount", *LINE_FIELDS, "hidden", "shown", "unit_shown")
        )
        found += [_found(row, prefix="remittance__") for row in lines[:20]]
    return found


def _found(row, prefix=""):
    """A gift's row, or a staff line's row whose gift fields come through `prefix` (its remittance)."""
    def gift(name):
        return row[prefix + name]

    reversed_ = gift("status") == "reversed"
    if row["hidden"]:
        return Found(anonymous=True, reversed=reversed_)

    return Found(
        anonymous=False,
        reversed=reversed_,
        amount=row["amount"],
        received_on=gift("received_on"),
        campaign=gift("campaign__name"),
        campaign_id=gift("campaign_id"),
        sector=gift("sector__name") or "未分配版块",
        public_name=row["shown"],
        unit=row.get("unit_shown", ""),
        project=gift("project__name") or "",
        project_id=gift("project_id"),
        donation_id=gift("id"),
        issue_id=gift("honor_roll_listing__issue_id"),
        issue_number=gift("honor_roll_listing__issue__number"),
    )
