"""Itemisation lines (汇款票据号): whose remittance each line belongs to, and whether the sums agree.

A unit sends one transfer for its staff and a list of who gave what. The money counts once, in
the remittance; the lines only credit the people. Lines adding up to more than the remittance
are an error (someone would be credited with money that never arrived); less is a remainder
stated in the plan (staff who were not listed).
"""

from dataclasses import dataclass, field
from decimal import Decimal

from charity.money import money_sum, to_yuan
from donations.models import Donation, RemittanceLine

from .queries import filter_in
from .validation import UNIT


@dataclass
class Remittance:
    receipt_no: str
    amount: Decimal | None
    row: int | None = None  # index of the remittance's row in this file
    donation_id: int | None = None  # or the donation already recorded
    unit_id: int | None = None  # the recorded remittance's donor, when it is a unit
    recorded_lines: Decimal = Decimal("0.00")
    lines: list = field(default_factory=list)


def resolve_remittances(rows, campaign, receipt_rows, log):
    """Link every line to its remittance (rows.remittances: receipt number -> Remittance)."""
    wanted = {}
    for i, ref in enumerate(rows.remittance_refs):
        if ref:
            wanted.setdefault(ref, []).append(i)
    remittances = {}
    for ref, lines in wanted.items():
        if ref in receipt_rows:
            row = receipt_rows[ref]
            remittances[ref] = Remittance(ref, rows.amounts[row], row=row, lines=lines)
    missing = [ref for ref in wanted if ref not in remittances]
    elsewhere = set()
    for query in filter_in(Donation.objects.exclude(receipt_no=""), "receipt_no", missing):
        for pk, ref, amount, campaign_id, campaign_name, donor_id, kind in query.values_list(
            "id", "receipt_no", "amount", "campaign_id", "campaign__name", "donor_id", "donor__kind"
        ):
            if campaign_id != campaign.pk:
                elsewhere.add(ref)
                for i in wanted[ref]:
                    log.add(
                        i,
                        "汇款票据号",
                        f"汇款票据号“{ref}”属于活动“{campaign_name}”，不是本次导入的活动“{campaign}”",
                    )
                continue
            remittances[ref] = Remittance(
                ref, amount, donation_id=pk, unit_id=donor_id if kind == UNIT else None, lines=wanted[ref]
            )
    recorded = {r.donation_id: r for r in remittances.values() if r.donation_id}
    for query in filter_in(RemittanceLine.objects.all(), "remittance_id", recorded):
        sums = query.values("remittance_id")
        for item in sums.annotate(total=money_sum()).values_list("remittance_id", "total"):
            recorded[item[0]].recorded_lines = to_yuan(item[1])  # SQLite sums lose the fen places
    for ref in missing:
        if ref not in remittances and ref not in elsewhere:
            for i in wanted[ref]:
                log.add(i, "汇款票据号", f"找不到票据号为“{ref}”的汇款：它既不在本文件中，也未录入系统")
    for remittance in remittances.values():
        if remittance.row is not None and rows.kinds[remittance.row] != UNIT:
            for i in remittance.lines:
                log.add(
                    i, "汇款票据号", f"票据号“{remittance.receipt_no}”是个人捐赠，不是单位汇款，不能有明细行"
                )
        elif remittance.donation_id and remittance.unit_id is None:
            for i in remittance.lines:
                log.add(
                    i,
                    "汇款票据号",
                    f"已录入的票据号“{remittance.receipt_no}”是个人捐赠，不是单位汇款，不能有明细行",
                )
    rows.remittances = remittances


def remitter_of_line(rows):
    """The unit a line's person gave through, to default their 所在单位."""
    by_row = {i: r for r in rows.remittances.values() for i in r.lines}

    def remitter(i):
        remittance = by_row.get(i)
        if remittance is None:
            return None
        if remittance.row is not None:
            return rows.donor_refs[remittance.row] if rows.kinds[remittance.row] == UNIT else None
        return remittance.unit_id

    return remitter


def check_sums(rows, log):
    """Error when lines exceed their remittance; return the remainders where they fall short."""
    remainders = []
    for remittance in rows.remittances.values():
        amounts = [rows.amounts[i] for i in remittance.lines]
        if remittance.amount is None or None in amounts:
            continue  # the bad cell is already reported
        listed = sum(amounts, Decimal("0.00")) + remittance.recorded_lines
        if listed > remittance.amount:
            earlier = (
                f"（含此前已录入明细 {remittance.recorded_lines} 元）" if remittance.recorded_lines else ""
            )
            message = (
                f"汇款“{remittance.receipt_no}”金额 {remittance.amount} 元，明细合计 {listed} 元{earlier}，"
                f"超出 {listed - remittance.amount} 元；明细不能多于汇款"
            )
            if remittance.row is not None:
                log.add(remittance.row, "金额", message)
            else:
                log.add(remittance.lines[0], "汇款票据号", message)
        elif listed < remittance.amount:
            remainders.append((remittance.receipt_no, remittance.amount, listed, remittance.amount - listed))
    return remainders
