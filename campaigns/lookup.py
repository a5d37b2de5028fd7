"""查询我的捐款: a person finds their own gift, and cannot use it to list or guess anyone else's.

The rule: the look-up never tells a requester a name they did not bring (docs/lookup-privacy.md).
Exact matches only, and always with the name: a receipt number with the name, or the name with
the exact amount (and, for someone itemised on a unit's staff list, the exact unit). Receipt
numbers are sequential, so a number alone would walk the ledger. No partial names, no lists, no
totals. A gift whose donor is not publicly named by that name (an anonymous gift, an anonymous
donor, a donor shown under an alias, or a staff line of an anonymous remittance) is never
confirmed: its answer is the miss's answer, word for word, so a third party who brings a name and
an amount learns nothing. The view adds a rate limit per address and the same answer time for a
hit and a miss.

A gift still under review (待审核) is found, so a donor need not wait for the review to learn it
was recorded, but it is answered 已收到，正在核对, never 已计入: public means confirmed, and it is
in no public total or honor roll until a reviewer confirms it (`publicly_counted`, the same
definition every public figure is read through).
"""

import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import BooleanField, ExpressionWrapper, Q

from charity.text import normalize_name
from donations.models import Donation, Donor, RemittanceLine
from donations.querysets import publicly_counted
from donations.sectors import UNASSIGNED_LABEL

from .numbering import chinese_number


@dataclass
class Found:
    """What the look-up tells about one gift it may confirm."""

    reversed: bool = False  # cancelled by a reversing entry (冲正): no longer in any total
    under_review: bool = False  # recorded but not yet confirmed (待审核): in no public total yet
    amount: Decimal | None = None
    received_on: object = None
    campaign: str = ""
    campaign_id: int | None = None
    sector: str = ""
    name: str = ""  # the name the requester brought, as stored
    unit: str = ""  # for a staff line: the unit, as brought, whose remittance listed the person
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
    "counted",
)
# A staff line is found through its remittance: the same fields, read from the remittance.
LINE_FIELDS = tuple(f"remittance__{name}" for name in DONATION_FIELDS if name not in ("amount", "counted"))
# At most this many gifts in one answer: an exact name and amount rarely match more than one.
MOST = 20


def normalize_receipt(text):
    """The one spelling a receipt number is compared in: full-width folded (NFKC), upper case."""
    return unicodedata.normalize("NFKC", text or "").strip().upper()


def withheld(gift="", donor="donor__"):
    """Gifts the look-up must not confirm under the donor's name: the gift or the donor asks for
    anonymity (the public sees 爱心人士), or the donor is shown under an alias, which confirming
    the real name would unmask. Left out in the query, they answer exactly as nothing found."""
    return (
        Q(**{f"{gift}anonymous": True})
        | Q(**{f"{donor}display": Donor.Display.ANONYMOUS})
        | Q(**{f"{donor}display": Donor.Display.ALIAS})
    )


def by_receipt(receipt_no, name, amount=None):
    """The gift with this receipt number (any case, full- or half-width) given under exactly
    this name, and of exactly this amount when one is given; [] or one Found."""
    receipt_no, name = normalize_receipt(receipt_no), normalize_name(name)
    if not receipt_no or not name:
        return []
    gifts = with_receipt(receipt_no).filter(donor__name=name)
    if amount is not None:
        gifts = gifts.filter(amount=amount)
    rows = gifts.exclude(withheld()).annotate(counted=counted()).values(*DONATION_FIELDS)
    return [_found(row, name) for row in rows[:MOST]]


def with_receipt(receipt_no):
    """Gifts with this normalised receipt number in any case: UPPER(receipt_no) = UPPER(%s) AND
    receipt_no <> '', which the partial index donation_receipt_upper_idx serves."""
    return Donation.objects.exclude(receipt_no="").filter(receipt_no__iexact=receipt_no)


def by_name_and_amount(name, amount, unit=""):
    """Gifts given under exactly this name and amount; with a unit, also the staff lines of it."""
    name, unit = normalize_name(name), normalize_name(unit)
    if not name or amount is None:
        return []
    found = []
    gifts = Donation.objects.filter(donor__name=name, amount=amount).exclude(withheld())
    gifts = gifts.annotate(counted=counted()).values(*DONATION_FIELDS)
    if unit:
        gifts = gifts.filter(donor__employer__name=unit)
    found += [_found(row, name) for row in gifts[:MOST]]
    if unit:
        lines = (
            RemittanceLine.objects.filter(donor__name=name, amount=amount, remittance__donor__name=unit)
            .exclude(withheld())
            # A line of an anonymous remittance would confirm that the unit gave: withheld too.
            .exclude(withheld("remittance__", "remittance__donor__"))
            # The line's own amount (the person's share); the rest is the remittance's.
            .annotate(counted=counted("remittance__"))
            .values("amount", "counted", *LINE_FIELDS)
        )
        found += [_found(row, name, unit, prefix="remittance__") for row in lines[:MOST]]
    return found


def counted(prefix=""):
    """An annotation: whether the gift (through `prefix`) counts publicly, i.e. was confirmed."""
    return ExpressionWrapper(publicly_counted(prefix), output_field=BooleanField())


def _found(row, name, unit="", prefix=""):
    """A gift's row, or a staff line's row whose gift fields come through `prefix` (its remittance).

    The names shown are the ones brought (normalised, equal to the stored ones), never a public
    name read from the ledger.
    """

    def gift(field):
        return row[prefix + field]

    return Found(
        reversed=gift("status") == Donation.Status.REVERSED,
        under_review=not row["counted"],
        amount=row["amount"],
        received_on=gift("received_on"),
        campaign=gift("campaign__name"),
        campaign_id=gift("campaign_id"),
        sector=gift("sector__name") or UNASSIGNED_LABEL,
        name=name,
        unit=unit,
        project=gift("project__name") or "",
        project_id=gift("project_id"),
        donation_id=gift("id"),
        issue_id=gift("honor_roll_listing__issue_id"),
        issue_number=gift("honor_roll_listing__issue__number"),
    )
