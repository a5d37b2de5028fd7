"""check_file and import_file: the one path every import takes (admin page and command line)."""

import gc
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.db import IntegrityError, transaction

from campaigns.core import Campaign
from campaigns.freshness import figures_changed
from charity import audit
from donations.services import IMPORTED, batch_summary

from . import validation
from .columns import ACCEPTED_COLUMNS
from .duplicates import check_recorded_duplicates, check_repeated_rows
from .errors import FileRejected, ImportFailed, RowError, SheetRow
from .matching import DonorMatcher
from .options import COMMAND_LINE, Choices
from .reading import load_bytes, read_table, sha256_of
from .remittances import (
    check_line_repeats,
    check_staff_without_remittance,
    check_sums,
    remitter_of_line,
    resolve_remittances,
    take_remittance_dates,
)
from .summary_rows import check_summary_rows
from .writing import write_import


@dataclass
class ImportPlan:
    """What an import would do, or why it cannot: the answer of check_file."""

    file_name: str
    sha256: str = ""
    row_count: int = 0
    donation_count: int = 0
    line_count: int = 0
    new_donor_count: int = 0
    matched_donor_count: int = 0
    total_amount: Decimal = Decimal("0.00")  # the donations only; lines never add to a total
    remainders: list = field(default_factory=list)  # (receipt_no, amount, lines sum, remainder)
    errors: list = field(default_factory=list)

    @property
    def ok(self):
        return not self.errors


@contextmanager
def collector_paused():
    """Run without Python's cyclic garbage collector.

    A 60,000-row file makes millions of short-lived tuples and strings, none in reference
    cycles; the collector kept walking them all and cost the bench import 0.2 s of 1.9 s.
    Reference counting still frees everything as usual.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def display_name(source, file_name):
    if file_name:
        return file_name
    return Path(source).name if isinstance(source, str | Path) else getattr(source, "name", "") or ""


def read(source, file_name):
    """(plan, table): the bytes read and the table parsed, or a plan carrying the file error."""
    plan = ImportPlan(file_name=file_name)
    try:
        data = load_bytes(source)
        plan.sha256 = sha256_of(data)
        table = read_table(data, file_name)
    except FileRejected as exc:
        plan.errors.append(RowError(None, None, exc.message))
        return plan, None
    plan.row_count = len(table.rows)
    return plan, table


def validate(plan, table, campaign, choices):
    """Check every rule; fill the plan; return (rows, new donors) for the writer."""
    log = validation.ErrorLog(table.row_numbers, choices.interface)
    validation.check_not_imported_before(plan.sha256, choices.force, log)
    before = len(log.errors)
    positions = validation.check_header(table, log)
    if len(log.errors) > before:
        plan.errors.extend(log.errors)
        return None, None
    # Total and signature rows are reported once, then left out so they raise nothing else.
    table = check_summary_rows(table, column_namer(table, positions), log)
    log.numbers = table.row_numbers
    rows = validation.parse_rows(table, positions, log)
    check_staff_sheet_rows(table, rows, log)
    validation.check_kind_rules(rows, log)
    validation.check_campaign_column(table, positions, campaign, log)
    validation.check_dates(rows, campaign, choices.allow_outside_dates, log, choices.outside_dates_reason)
    validation.resolve_explicit_sectors(rows, log)
    validation.resolve_projects(rows, log)
    receipt_rows = validation.check_receipts(rows, log)
    resolve_remittances(rows, campaign, receipt_rows, log)
    take_remittance_dates(rows)
    check_line_repeats(rows, log)
    matcher = DonorMatcher(rows, log)
    matcher.match(remitter_of_line(rows))
    validation.attribute_rows(rows, matcher.new, matcher.known)
    check_staff_without_remittance(rows, log, choices.separate_staff_gifts)
    if not choices.force:
        check_repeated_rows(table, rows, log)
        check_recorded_duplicates(rows, campaign, log)
    plan.remainders = check_sums(rows, log)

    plan.line_count = sum(1 for ref in rows.remittance_refs if ref)
    plan.donation_count = len(rows) - plan.line_count
    plan.total_amount = sum(
        (a for a, ref in zip(rows.amounts, rows.remittance_refs, strict=True) if a is not None and not ref),
        Decimal("0.00"),
    )
    plan.new_donor_count = len(matcher.new)
    plan.matched_donor_count = matcher.matched_count
    plan.errors.extend(sorted(log.errors, key=error_order))
    return rows, matcher.new


def check_staff_sheet_rows(table, rows, log):
    """Every row of the 汇款明细 sheet is a staff line: without 汇款票据号 it would be imported
    as a gift of its own, and its money counted a second time."""
    for i, number in enumerate(table.row_numbers):
        if isinstance(number, SheetRow) and not rows.remittance_refs[i]:
            log.add(i, "汇款票据号", f"工作表“{number.sheet}”的每一行都是员工明细，须填写所属汇款的票据号")


def column_namer(table, positions):
    """Sheet column position -> the template's name for it, else its header text."""
    names = {index: name for name, index in positions.items()}

    def name(position):
        if position in names:
            return names[position]
        return (table.header[position] if position < len(table.header) else "") or None

    return name


def error_order(error):
    column = ACCEPTED_COLUMNS.index(error.column) if error.column in ACCEPTED_COLUMNS else -1
    return (error.row or 0, column)


def check_file(
    source,
    *,
    file_name=None,
    campaign,
    allow_outside_dates=False,
    force=False,
    separate_staff_gifts=False,
    interface=COMMAND_LINE,
    outside_dates_reason="",
):
    """Read and validate everything, write nothing; every problem is in plan.errors.

    The options are options.Choices; `interface` says whose words a message uses to name them.
    """
    file_name = display_name(source, file_name)
    choices = Choices(
        allow_outside_dates, force, separate_staff_gifts, interface, outside_dates_reason.strip()
    )
    with collector_paused():
        plan, table = read(source, file_name)
        if table is not None:
            validate(plan, table, campaign, choices)
    return plan


def import_file(
    source,
    *,
    file_name=None,
    campaign,
    user=None,
    allow_outside_dates=False,
    force=False,
    separate_staff_gifts=False,
    interface=COMMAND_LINE,
    progress=None,
    outside_dates_reason="",
):
    """Import all rows in one transaction, or nothing: raises ImportFailed with every error.

    `progress(stage, done=0, total=None)` hears where the import is (a background job's page
    shows it; charity.jobs.Reporter.report).
    """
    choices = Choices(
        allow_outside_dates, force, separate_staff_gifts, interface, outside_dates_reason.strip()
    )
    with collector_paused():
        return _import_file(source, file_name, campaign, user, choices, progress or _no_progress)


def _no_progress(stage, done=0, total=None):
    pass


def _import_file(source, file_name, campaign, user, choices, progress):
    file_name = display_name(source, file_name)
    progress("读取文件")
    # Reading and parsing touch no table, so they stay outside the transaction and its locks.
    plan, table = read(source, file_name)
    if table is None:
        raise ImportFailed(plan.errors, file_name)
    progress("检查数据", done=0, total=plan.row_count)
    try:
        # One audit entry for the batch (file, SHA-256, counts, total), written in the same
        # transaction, instead of one per row.
        with transaction.atomic(), audit.explicit():
            # One import per campaign at a time: the duplicate checks below must see the last
            # import's rows, not race with them.
            list(Campaign.objects.select_for_update().filter(pk=campaign.pk).values_list("pk"))
            rows, new_donors = validate(plan, table, campaign, choices)
            if not plan.ok:
                raise ImportFailed(plan.errors, file_name)
            written = plan.donation_count + plan.line_count
            progress("写入数据库", done=0, total=written)
            batch = write_import(
                rows,
                plan,
                new_donors,
                campaign,
                user,
                forced=choices.force,
                outside_dates_allowed=choices.allow_outside_dates,
                outside_dates_reason=choices.outside_dates_reason if choices.allow_outside_dates else "",
                progress=lambda done: progress("写入数据库", done=done, total=written),
            )
            audit.record(IMPORTED, batch, actor=user, data=batch_summary(batch))
            figures_changed(campaign.pk)
    except IntegrityError as exc:
        message = f"写入数据库时发生冲突，已全部撤销，未写入任何数据（{exc}）；可能有人同时在录入，请重试"
        raise ImportFailed([RowError(None, None, message)], file_name) from exc
    batch.plan = plan
    return batch
