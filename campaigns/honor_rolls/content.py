"""What a published honor-roll issue shows, computed once when it is published.

The content is plain JSON (amounts as exact decimal strings) and holds only public forms of
names, read through the public-name query methods of donations/querysets.py. Every total
reconciles: a sector's total is its units plus its named individuals plus the other
individuals; the issue's total is the sum of its sectors; the running total is the previous
issue's running total plus this one's. People itemised on a unit's staff list are named
beside their unit but never added again: their money is in the unit's remittance.
"""

from decimal import Decimal

from django.db.models import F, Q
from django.utils import timezone

from charity.money import plain_yuan
from charity.snapshots import SnapshotError
from donations.models import Donation, Donor, RemittanceLine
from donations.querysets import public_name
from donations.sectors import UNASSIGNED_LABEL

from ..core import Campaign
from ..numbering import chinese_number
from .models import HonorRollIssue, HonorRollListing

SCHEMA = 1


def check_publishable(issue):
    """Issues are published in order, each with a cut-off no earlier than the one before."""
    # One campaign's issues are published one at a time: a second publisher waits here and then
    # sees the first one's issue, instead of being told to publish the issue that is in progress.
    # (A donation is listed once whatever happens: HonorRollListing.donation is unique.)
    Campaign.objects.select_for_update().filter(pk=issue.campaign_id).first()
    previous = previous_issue(issue)
    expected = previous.number + 1 if previous else 1
    if issue.number != expected:
        raise SnapshotError(f"请按顺序发布：下一期应为第{expected}期，而这是第{issue.number}期")
    if previous and issue.cut_off < previous.cut_off:
        raise SnapshotError(f"截止日期 {issue.cut_off} 早于上一期的截止日期 {previous.cut_off}")
    if issue.cut_off > timezone.localdate():
        raise SnapshotError("截止日期还没到，不能发布")


def previous_issue(issue):
    """The latest published issue of the same campaign before this one (None for the first)."""
    return (
        HonorRollIssue.objects.filter(
            campaign_id=issue.campaign_id, status=HonorRollIssue.Status.PUBLISHED, number__lt=issue.number
        )
        .order_by("-number")
        .first()
    )


def unlisted_donations(issue):
    """The campaign's confirmed gifts received by the cut-off that no issue has listed yet.

    A gift still under review is not listed: the first issue published after its confirmation
    lists it (its date is before that issue's cut-off too)."""
    return (
        Donation.objects.public()
        .for_campaign(issue.campaign_id)
        .filter(received_on__lte=issue.cut_off, honor_roll_listing__isnull=True)
    )


def list_and_freeze(issue):
    """Record which donations this issue lists, then return its content (inside the publishing
    transaction of charity.snapshots.publish_snapshot)."""
    ids = list(unlisted_donations(issue).values_list("id", flat=True))
    HonorRollListing.objects.bulk_create(
        [HonorRollListing(issue=issue, donation_id=pk) for pk in ids], batch_size=2000
    )
    return freeze(issue)


def freeze(issue):
    campaign = issue.campaign
    threshold = campaign.honor_roll_threshold
    listed = Donation.objects.filter(honor_roll_listing__issue=issue)
    previous = previous_issue(issue)
    before = previous.content if previous else {}
    # A reversal (冲正) of a gift an earlier issue published is shown as a correction of its own;
    # one whose gift is in this issue too cancels it here and neither is shown.
    correcting = Q(status=Donation.Status.REVERSAL) & ~Q(reverses__honor_roll_listing__issue=issue)
    gifts = listed.exclude(correcting)
    # Five queries for the whole issue, whatever its number of sectors.
    units = grouped(gifts.filter(donor__kind=Donor.Kind.UNIT).totals_by_donor("sector_id"))
    people = grouped(gifts.filter(donor__kind=Donor.Kind.INDIVIDUAL).totals_by_donor("sector_id"))
    staff = grouped(
        RemittanceLine.objects.public()
        .filter(remittance__in=listed, amount__gte=threshold)
        .for_public_display()
        .order_by("remittance_id", "-amount", "id")
    )
    corrections = grouped(
        listed.filter(correcting)
        .values(
            "sector_id",
            "amount",
            public_name=public_name(),
            issue=F("reverses__honor_roll_listing__issue__number"),
        )
        .order_by("id")
    )
    sectors = [
        sector_group(row, units, people, staff, corrections, threshold)
        for row in listed.totals_by_sector()
        # A sector whose only gifts were reversed within this issue has nothing to show.
        if row["donations"] or row["sector_id"] in corrections
    ]
    total = sum((Decimal(s["total"]) for s in sectors), Decimal("0.00"))
    count = sum(s["donations"] for s in sectors)
    running_total = Decimal(before.get("running_total", "0.00")) + total
    return {
        "schema": SCHEMA,
        "kind": "honor_roll",
        "campaign": {"id": campaign.pk, "name": campaign.name, "year": campaign.year},
        "number": issue.number,
        "number_label": issue.number_label,
        "title": str(issue),
        "cut_off": issue.cut_off.isoformat(),
        "previous_cut_off": previous.cut_off.isoformat() if previous else None,
        "threshold": plain_yuan(threshold),
        "total": plain_yuan(total),
        "donations": count,
        "running_total": plain_yuan(running_total),
        "running_donations": before.get("running_donations", 0) + count,
        "sectors": sectors,
        "running_by_sector": running_by_sector(before.get("running_by_sector", []), sectors),
    }


def grouped(rows):
    """{sector id: [rows in the order given]}."""
    groups = {}
    for row in rows:
        groups.setdefault(row["sector_id"], []).append(row)
    return groups


def sector_group(row, units, people, staff, corrections, threshold):
    sector_id = row["sector_id"]
    unit_rows = [
        {"name": r["public_name"], "amount": plain_yuan(r["total"]), "donations": r["donations"]}
        for r in units.get(sector_id, [])
    ]
    person_rows = people.get(sector_id, [])
    named = [
        {"name": r["public_name"], "amount": plain_yuan(r["total"])}
        for r in person_rows
        if r["total"] >= threshold
    ]
    corrected = [
        {"name": r["public_name"], "amount": plain_yuan(r["amount"]), "issue": issue_label(r["issue"])}
        for r in corrections.get(sector_id, [])
    ]
    units_total = sum((Decimal(u["amount"]) for u in unit_rows), Decimal("0.00"))
    named_total = sum((Decimal(p["amount"]) for p in named), Decimal("0.00"))
    corrected_total = sum((Decimal(c["amount"]) for c in corrected), Decimal("0.00"))
    others_total = row["total"] - units_total - named_total - corrected_total
    if others_total < 0:  # cannot happen: every row above is part of the sector's total
        raise SnapshotError(f"{row['sector__name'] or UNASSIGNED_LABEL}的合计无法对上，请联系管理员")
    return {
        "sector_id": sector_id,
        "name": row["sector__name"] or UNASSIGNED_LABEL,
        "order": row["sector__order"],
        "total": plain_yuan(row["total"]),
        "donations": row["donations"],
        "units": unit_rows,
        "people": named,
        "others": {"count": len(person_rows) - len(named), "amount": plain_yuan(others_total)},
        # Reversals of gifts published in earlier issues (negative amounts, already in "total").
        "corrections": corrected,
        "staff": [
            {"name": r["public_name"], "unit": r["unit_public_name"], "amount": plain_yuan(r["amount"])}
            for r in staff.get(sector_id, [])
        ],
    }


def running_by_sector(previous, sectors):
    """Each sector's total so far (previous issues plus this one), in report order, unassigned last."""
    totals = {}
    for s in [*previous, *sectors]:
        key = (s["sector_id"], s["name"], s["order"])
        totals[key] = totals.get(key, Decimal("0.00")) + Decimal(s["total"])
    ordered = sorted(totals.items(), key=lambda item: (item[0][0] is None, item[0][2] or 0, item[0][1]))
    return [
        {"sector_id": sid, "name": name, "order": order, "total": plain_yuan(total)}
        for (sid, name, order), total in ordered
    ]


def issue_label(number):
    """第N期 of the issue that published a reversed gift (None when no issue had)."""
    return None if number is None else f"第{chinese_number(number)}期"
