"""Money that would be counted twice without a receipt number to tell: repeated rows.

Receipt numbers are unique (validation.check_receipts) and a file is recognised by its SHA-256,
but a block pasted twice, or the same list saved again with one note changed, has neither. Such
rows are listed and refused unless the clerk forces the import (options.FORCE).
"""

from collections import Counter

from charity.money import yuan
from donations.models import Donation, RemittanceLine

from .options import FORCE
from .queries import filter_in


def check_repeated_rows(table, rows, log):
    """A row whose every cell repeats an earlier row's, with no receipt number, is an error."""
    names = rows.names
    if len(set(names)) == len(names):
        return  # no name twice, so no row twice: the usual case costs one set of names
    twice = {name for name, n in Counter(names).items() if n > 1}
    first_of = {}
    for i, name in enumerate(names):
        if name not in twice or rows.receipts[i]:
            continue  # a repeated receipt number has its own message
        first = first_of.setdefault(tuple(table.rows[i]), i)
        if first != i:
            log.add(
                i,
                None,
                f"与第 {rows.numbers[first]} 行完全相同（{name}，{amount_text(rows, i)}），都没有票据号；"
                f"若是重复粘贴请删除一行，若确是两笔捐赠，{log.turn_on(FORCE)}",
            )


def amount_text(rows, i):
    amount = rows.amounts[i]
    return f"{yuan(amount)} 元" if amount is not None else "金额无效"


def check_recorded_duplicates(rows, campaign, log):
    """Rows that repeat what the campaign already has: the same donor, day and amount.

    Only donors already in the database can have recorded gifts, so a file of new donors (the
    bench file) asks nothing.
    """
    known = {ref for ref in set(rows.donor_refs) if ref is not None and ref > 0}
    if not known:
        return
    check_recorded_gifts(rows, campaign, known, log)
    check_recorded_lines(rows, log)


def check_recorded_gifts(rows, campaign, known, log):
    recorded = {}
    gifts = Donation.objects.filter(campaign=campaign, receipt_no="")
    for query in filter_in(gifts, "donor_id", known):
        for donor_id, day, amount, batch_id, file_name in query.values_list(
            "donor_id", "received_on", "amount", "batch_id", "batch__file_name"
        ):
            recorded.setdefault((donor_id, day, amount), (batch_id, file_name))
    if not recorded:
        return
    for i, ref in enumerate(rows.donor_refs):
        if rows.receipts[i] or rows.remittance_refs[i]:
            continue
        found = recorded.get((ref, rows.received_on[i], rows.amounts[i]))
        if found:
            log.add(
                i,
                None,
                f"与本活动已录入的捐赠相同（{rows.received_on[i]:%Y-%m-%d}，{rows.names[i]}，"
                f"{amount_text(rows, i)}，{source(*found)}），都没有票据号；若是同一笔请删除此行，"
                f"若确是另一笔捐赠，{log.turn_on(FORCE)}",
            )


def check_recorded_lines(rows, log):
    """Staff lines already itemised under the same recorded remittance."""
    line_of = {
        i: remittance.donation_id
        for remittance in rows.remittances.values()
        if remittance.donation_id
        for i in remittance.lines
    }
    if not line_of:
        return
    recorded = {}
    # By remittance, a handful, rather than by donor: SQLite takes 999 parameters at most.
    for query in filter_in(RemittanceLine.objects.all(), "remittance_id", set(line_of.values())):
        for remittance_id, donor_id, amount, batch_id, file_name in query.values_list(
            "remittance_id", "donor_id", "amount", "batch_id", "batch__file_name"
        ):
            recorded.setdefault((remittance_id, donor_id, amount), (batch_id, file_name))
    for i, remittance_id in line_of.items():
        found = recorded.get((remittance_id, rows.donor_refs[i], rows.amounts[i]))
        if found:
            log.add(
                i,
                None,
                f"汇款“{rows.remittance_refs[i]}”中已有相同的明细（{rows.names[i]}，{amount_text(rows, i)}，"
                f"{source(*found)}）；若是同一笔请删除此行，若确是另一笔，{log.turn_on(FORCE)}",
            )


def source(batch_id, file_name):
    return f"批次 #{batch_id}，文件名 {file_name}" if batch_id else "手工录入"
