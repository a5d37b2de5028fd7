"""Itemisation lines (汇款票据号): whose remittance each line belongs to, and whether the sums agree.

The rules, and their wording, are the ledger's (donations/staff_lists.py): the donation page and
the 汇款明细 page apply the same ones to a line entered by hand.

A unit sends one transfer for its staff and a list of who gave what. The money counts once, in
the remittance; the lines only credit the people. Lines adding up to more than the remittance
are an error (someone would be credited with money that never arrived); less is a remainder
stated in the plan (staff who were not listed).
"""

from dataclasses import dataclass, field
from decimal import Decimal
from itertools import compress

from charity.money import money_sum, to_yuan
from donations import staff_lists
from donations.models import Donation, RemittanceLine

from .options import SEPARATE_STAFF_GIFTS
from .queries import filter_in
from .validation import UNASSIGNED_SECTOR, UNIT


@dataclass
class Remittance:
    receipt_no: str
    amount: Decimal | None
    row: int | None = None  # index of the remittance's row in this file
    donation_id: int | None = None  # or the donation already recorded
    unit_id: int | None = None  # the recorded remittance's donor, when it is a unit
    recorded_lines: Decimal = Decimal("0.00")
    lines: list = field(default_factory=list)
    # The recorded remittance's own values, which its lines may leave blank or repeat.
    received_on: object = None
    sector_name: str = ""
    branch_name: str = ""
    channel: str = ""
    route: str = ""


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
    fields = ("id", "receipt_no", "amount", "campaign_id", "campaign__name", "donor_id", "donor__kind")
    recorded_values = ("received_on", "sector__name", "branch__name", "channel", "route")
    for query in filter_in(Donation.objects.exclude(receipt_no=""), "receipt_no", missing):
        for pk, ref, amount, campaign_id, campaign_name, donor_id, kind, *values in query.values_list(
            *fields, *recorded_values
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
            received_on, sector_name, branch_name, channel, route = values
            remittances[ref] = Remittance(
                ref,
                amount,
                donation_id=pk,
                unit_id=donor_id if kind == UNIT else None,
                lines=wanted[ref],
                received_on=received_on,
                sector_name=sector_name or UNASSIGNED_SECTOR,
                branch_name=branch_name or "",
                channel=channel,
                route=route,
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
        in_file = remittance.row is not None
        if (in_file and rows.kinds[remittance.row] != UNIT) or (not in_file and remittance.unit_id is None):
            for i in remittance.lines:
                log.add(i, "汇款票据号", staff_lists.under_individual(remittance.receipt_no))
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
        message = staff_lists.over_remittance(
            remittance.receipt_no, remittance.amount, listed, remittance.recorded_lines
        )
        if message:
            if remittance.row is not None:
                log.add(remittance.row, "金额", message)
            else:
                log.add(remittance.lines[0], "汇款票据号", message)
        elif listed < remittance.amount:
            remainders.append((remittance.receipt_no, remittance.amount, listed, remittance.amount - listed))
    return remainders


def take_remittance_dates(rows):
    """A staff line that leaves 捐赠日期 blank gave on its remittance's day."""
    for remittance in rows.remittances.values():
        day = rows.received_on[remittance.row] if remittance.row is not None else remittance.received_on
        for i in remittance.lines:
            if rows.received_on[i] is None:
                rows.received_on[i] = day


def remittance_values(rows, remittance):
    """The remittance's 版块, 分会, 渠道 and 到账方式 as a line would spell them."""
    if remittance.row is None:
        values = (remittance.sector_name, remittance.branch_name, remittance.channel, remittance.route)
    else:
        r = remittance.row
        values = (
            rows.sector_names[r] or UNASSIGNED_SECTOR,
            rows.branch_names[r],
            rows.channels[r],
            rows.routes[r],
        )
    sector, branch, channel, route = values
    return {
        "版块": sector,
        "分会": branch,
        "渠道": channel or Donation.Channel.BANK,
        "到账方式": route or Donation.Route.ACCOUNT,
    }


def check_line_repeats(rows, log):
    """A line may repeat its remittance's 版块, 分会, 渠道 or 到账方式 (staff copy the unit's row down);
    a different value would be a second answer to a question only the remittance answers.

    compress() finds the filled cells of a column in C: nearly all lines leave these blank.
    """
    labels = {"渠道": dict(Donation.Channel.choices), "到账方式": dict(Donation.Route.choices)}
    remittance_of = None
    repeatable = (
        ("版块", rows.sector_names),
        ("分会", rows.branch_names),
        ("渠道", rows.channels),
        ("到账方式", rows.routes),
    )
    for name, values in repeatable:
        for i in compress(range(len(values)), values):
            if not rows.remittance_refs[i]:
                continue
            if remittance_of is None:
                remittance_of = {i: r for r in rows.remittances.values() for i in r.lines}
            remittance = remittance_of.get(i)
            if remittance is None:
                continue  # its 汇款票据号 is reported as unknown already
            theirs = remittance_values(rows, remittance)[name]
            if values[i] == theirs:
                continue
            mine, other = values[i], theirs or "空"
            if name in labels:
                mine, other = labels[name][mine], labels[name][theirs]
            log.add(
                i,
                name,
                f"汇款明细行的{name}“{mine}”与所属汇款“{remittance.receipt_no}”的{name}“{other}”不同；"
                f"明细行以汇款为准，请留空或填写相同的{name}",
            )


def check_staff_without_remittance(rows, log, separate_staff_gifts):
    """Refuse people of a unit that remits in this file who name no remittance.

    Their money is almost always in the unit's transfer already (汇款票据号 filled only on the
    first staff row, or no such column at all): imported as gifts of their own it would count
    twice. The clerk may say they really gave separately.

    A person with a receipt number (票据号) of their own, different from every remittance's, needs
    no such word: the federation issued them a receipt, so the money reached it as their own
    gift, and it counts once (issue #22, 4: the federation's template files are made this way).
    The same number as a remittance's is most likely the remittance's number typed into the
    wrong column, and is still refused (besides being reported as a repeated receipt number).
    """
    if separate_staff_gifts:
        return
    unit_row = {}
    for i, kind in enumerate(rows.kinds):
        if kind == UNIT:
            unit_row.setdefault(rows.donor_refs[i], i)
    unit_row.pop(None, None)
    remittance_receipts = {rows.receipts[i] for i, kind in enumerate(rows.kinds) if kind == UNIT}
    remittance_receipts.discard("")
    suspects = [
        i
        for i, (employer, ref, own) in enumerate(
            zip(rows.employers, rows.remittance_refs, rows.receipts, strict=True)
        )
        if not ref and employer in unit_row and (not own or own in remittance_receipts)
    ]
    for i in suspects:
        r = unit_row[rows.employers[i]]
        if rows.receipts[r]:
            receipt, fill = f"，票据号“{rows.receipts[r]}”", "请填写汇款票据号"
        else:
            # A remittance is named by its receipt number, so it needs one before its lines can.
            receipt, fill = "", "请先给该汇款填写票据号，再在本行填写同一个汇款票据号"
        log.add(
            i,
            "汇款票据号",
            f"所在单位“{rows.names[r]}”在本文件第 {rows.numbers[r]} 行有单位捐赠{receipt}，本行却没有填写"
            f"汇款票据号：若是这笔单位汇款中的员工明细，{fill}，否则这笔钱会算两次；"
            f"若确是员工另行捐赠，{log.turn_on(SEPARATE_STAFF_GIFTS)}",
        )
