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

from django.db.models import BooleanField, ExpressionWrapper, OuterRef, Q, Subquery

from charity.text import normalize_name
from donations.models import Donation, Donor, RemittanceLine, Sector
from donations.querysets import publicly_counted
from donations.sectors import UNASSIGNED_LABEL

from .core import Campaign
from .honor_rolls.models import HonorRollIssue
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


# The names of the campaign, sector, project and issue come from subqueries (`with_names`):
# joined into the look-up they made PostgreSQL plan a seven-table join for every look-up, 2.9 ms
# against 0.36 ms at 1,000,000 donations (bench/public_bench.py), for a query that returns one
# row or none.
DONATION_FIELDS = (
    "id",
    "amount",
    "received_on",
    "campaign_id",
    "project_id",
    "honor_roll_listing__issue_id",
    "status",
    "counted",
)
NAME_FIELDS = ("campaign_name", "sector_name", "project_name", "issue_number")
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
    rows = with_names(gifts.exclude(withheld()).annotate(counted=counted()))
    rows = rows.values(*DONATION_FIELDS, *NAME_FIELDS)
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
    gifts = with_names(gifts.annotate(counted=counted())).values(*DONATION_FIELDS, *NAME_FIELDS)
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
        )
        lines = with_names(lines, "remittance__").values("amount", "counted", *LINE_FIELDS, *NAME_FIELDS)
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
        campaign=row["campaign_name"],
        campaign_id=gift("campaign_id"),
        sector=row["sector_name"] or UNASSIGNED_LABEL,
        name=name,
        unit=unit,
        project=row["project_name"] or "",
        project_id=gift("project_id"),
        donation_id=gift("id"),
        issue_id=gift("honor_roll_listing__issue_id"),
        issue_number=row["issue_number"],
    )


def with_names(rows, prefix=""):
    """The look-up's rows with the names of their campaign, sector, project and honor-roll issue,
    each read by primary key in a subquery of its own, so PostgreSQL plans no join order."""

    def name_of(model, key, field="name"):
        return Subquery(model.objects.filter(pk=OuterRef(prefix + key)).values(field)[:1])

    project = Donation._meta.get_field("project").related_model
    return rows.annotate(
        campaign_name=name_of(Campaign, "campaign_id"),
        sector_name=name_of(Sector, "sector_id"),
        project_name=name_of(project, "project_id"),
        issue_number=name_of(HonorRollIssue, "honor_roll_listing__issue_id", "number"),
    )
