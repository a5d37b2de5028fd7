"""Turning a table of raw cells into checked rows, column by column, collecting every error.

Work is done over whole columns (a parser runs once per distinct value, a look-up table once per
file) and the database is asked a handful of set-based questions, never one per row.
"""

from dataclasses import astuple, dataclass, field

from django.utils import timezone

from charity.text import normalize_names
from donations import attribution, gift_rules, staff_lists
from donations.models import Branch, Donation, Donor, ImportBatch, Sector
from relief.models import ReliefProject

from .columns import (
    ACCEPTED_COLUMNS,
    CAMPAIGN_COLUMN,
    REMITTANCE_ONLY_COLUMNS,
    REQUIRED_COLUMNS,
    UNASSIGNED_SECTOR,
)
from .errors import RowError
from .headers import is_ignored, read_header
from .options import ALLOW_OUTSIDE_DATES, COMMAND_LINE, FORCE, OUTSIDE_DATES_REASON, fill_in, turn_on
from .parsing import (
    fold_all,
    is_blank,
    parse_amount,
    parse_channel,
    parse_column,
    parse_credit_code,
    parse_date,
    parse_head_count,
    parse_kind,
    parse_route,
    parse_yes_no,
    text_column,
)
from .queries import filter_in

UNIT = Donor.Kind.UNIT
INDIVIDUAL = Donor.Kind.INDIVIDUAL
MAX_LENGTHS = {"捐赠人": 200, "所在单位": 200, "票据号": 50, "汇款票据号": 50, "备注": 500}


@dataclass
class Rows:
    """The file's data rows as parallel column lists (index i = the i-th data row)."""

    numbers: list
    received_on: list
    names: list
    kinds: list
    credit_codes: list
    employer_names: list
    sector_names: list
    branch_names: list
    amounts: list
    head_counts: list
    channels: list
    routes: list
    receipts: list
    project_names: list
    anonymous: list
    notes: list
    remittance_refs: list
    # Filled in by the checks below and by matching.
    sector_ids: list = field(default_factory=list)
    branch_ids: list = field(default_factory=list)
    project_ids: list = field(default_factory=list)
    donor_refs: list = field(default_factory=list)
    employers: list = field(default_factory=list)
    remittances: dict = field(default_factory=dict)

    def __len__(self):
        return len(self.numbers)

    def is_line(self, i):
        return bool(self.remittance_refs[i])


class ErrorLog:
    def __init__(self, numbers, interface=COMMAND_LINE):
        self.numbers = numbers
        self.errors = []
        self.interface = interface

    def fill_in(self, option):
        return fill_in(option, self.interface)

    def turn_on(self, option):
        """How to turn `option` on, in the words of the screen the clerk is using."""
        return turn_on(option, self.interface)

    def add(self, i, column, message):
        self.errors.append(RowError(self.numbers[i] if i is not None else None, column, message))

    def add_many(self, column, messages):
        numbers = self.numbers
        self.errors.extend(RowError(numbers[i], column, message) for i, message in messages.items())


def choice_list(names, limit=30):
    names = list(names)
    shown = "、".join(names[:limit])
    return shown + (f" 等 {len(names)} 项" if len(names) > limit else "") if names else "（无）"


# --- header ---------------------------------------------------------------------------------


def check_header(table, log):
    """Map each template column to its index; unknown, repeated or missing columns are errors."""
    positions, errors = header_positions(table.header, table.header_number)
    for index, cell in enumerate(table.header):
        if not cell and any(row[index] not in ("", None) for row in table.rows):
            errors.append(RowError(table.header_number, None, f"第 {index + 1} 列有数据但没有列名"))
    other = other_sheet_fits(table) if errors else None
    log.errors.extend([sheet_that_fits(table, other)] if other else errors)
    return positions


def header_positions(header, header_number):
    """({template column: index}, [RowError]) for one header row."""
    positions, errors, refused = {}, [], set()
    for index, cell in enumerate(header):
        if not cell:
            continue
        name, refusal = astuple(read_header(cell))
        if refusal:
            errors.append(RowError(header_number, name, refusal))
            refused.add(name)
        elif is_ignored(name):
            continue
        elif name not in ACCEPTED_COLUMNS:
            allowed = "、".join(ACCEPTED_COLUMNS)
            errors.append(RowError(header_number, name, f"未知的列“{name}”；允许的列：{allowed}"))
        elif name in positions:
            errors.append(RowError(header_number, name, f"列“{name}”出现了两次"))
        else:
            positions[name] = index
    for name in REQUIRED_COLUMNS:
        if name not in positions and name not in refused:
            errors.append(RowError(header_number, name, f"缺少必填列“{name}”"))
    return positions, errors


def other_sheet_fits(table):
    """The name of the first other sheet whose header fits the template, or None."""
    for name, header in table.other_sheets():
        if not header_positions(header, 1)[1]:
            return name
    return None


def sheet_that_fits(table, other):
    return RowError(
        None,
        None,
        f"第一个工作表“{table.sheet_name}”不是导入模板的格式，工作表“{other}”才是；"
        f"导入只读取第一个工作表，请把“{other}”移到最前面（或删除“{table.sheet_name}”）后再导入",
    )


def column(table, positions, name):
    index = positions.get(name)
    if index is None or index >= len(table.columns):
        return [None] * len(table.rows)
    return table.columns[index]


# --- cells ----------------------------------------------------------------------------------


def parse_rows(table, positions, log):
    """Parse every column; blanks stay None or "" and are judged by the row rules."""

    def parsed(name, parser):
        values, messages = parse_column(column(table, positions, name), parser)
        log.add_many(name, messages)
        return values

    def text(name, normalize=None):
        values, too_long = text_column(column(table, positions, name), normalize, MAX_LENGTHS.get(name))
        for i, length in too_long.items():
            log.add(i, name, f"内容过长（{length} 个字符），最多 {MAX_LENGTHS[name]} 个字符")
        return values

    rows = Rows(
        numbers=table.row_numbers,
        received_on=parsed("捐赠日期", parse_date),
        names=text("捐赠人", normalize_names),
        kinds=parsed("捐赠人类型", parse_kind),
        credit_codes=parsed("统一社会信用代码", parse_credit_code),
        employer_names=text("所在单位", normalize_names),
        sector_names=text("版块", fold_all),
        branch_names=text("分会", fold_all),
        amounts=parsed("金额", parse_amount),
        head_counts=parsed("参与人数", parse_head_count),
        channels=parsed("渠道", parse_channel),
        routes=parsed("到账方式", parse_route),
        receipts=text("票据号", fold_all),
        project_names=text("定向项目", fold_all),
        anonymous=parsed("匿名", parse_yes_no),
        notes=text("备注"),
        remittance_refs=text("汇款票据号", fold_all),
    )
    required = (
        ("捐赠日期", rows.received_on, "缺少捐赠日期"),
        ("捐赠人类型", rows.kinds, "缺少捐赠人类型（单位或个人）"),
        ("金额", rows.amounts, "缺少金额"),
    )
    for name, values, message in required:
        raw = column(table, positions, name)
        # A cell that failed to parse already has its own message; only blank cells (spaces
        # included, which a CSV keeps) get this one. A staff line may leave its date blank: it
        # is the remittance's (remittances.take_remittance_dates).
        for i in [i for i, value in enumerate(values) if value is None]:
            if is_blank(raw[i]) and not (name == "捐赠日期" and rows.remittance_refs[i]):
                log.add(i, name, message)
    for i in [i for i, name in enumerate(rows.names) if not name]:
        log.add(i, "捐赠人", "缺少捐赠人")
    return rows


def check_kind_rules(rows, log):
    """What each kind of row may carry; an itemisation line carries only the person's share."""
    # Column by column through zip, not rows.<column>[i] per row: the bench file's 60,000 rows
    # took 41 ms the other way (cProfile), for rows that are almost always right.
    for i, (kind, employer, sector, line_of, credit_code, head_count, receipt, project) in enumerate(
        zip(
            rows.kinds,
            rows.employer_names,
            rows.sector_names,
            rows.remittance_refs,
            rows.credit_codes,
            rows.head_counts,
            rows.receipts,
            rows.project_names,
            strict=True,
        )
    ):
        if kind == UNIT:
            if employer:
                log.add(i, "所在单位", gift_rules.EMPLOYER_ONLY_FOR_PEOPLE)
            if not sector:
                log.add(i, "版块", f"单位捐赠必须填写版块；尚未确定的请填“{UNASSIGNED_SECTOR}”")
            if line_of:
                log.add(i, "汇款票据号", staff_lists.LINE_DONOR_NOT_PERSON)
        elif kind == INDIVIDUAL:
            if credit_code:
                log.add(i, "统一社会信用代码", gift_rules.CREDIT_CODE_ONLY_FOR_UNITS)
            if head_count is not None:
                log.add(i, "参与人数", gift_rules.HEAD_COUNT_ONLY_FOR_UNITS)
            if line_of and (receipt or project):
                # 版块, 分会, 渠道 and 到账方式 may repeat the remittance's:
                # remittances.check_line_repeats.
                values = {"票据号": receipt, "定向项目": project}
                for name in REMITTANCE_ONLY_COLUMNS:
                    if values.get(name):
                        log.add(i, name, f"汇款明细行不填写{name}（以所属汇款为准，明细金额不另计）")


def check_campaign_column(table, positions, campaign, log):
    """The export's 活动 column: each row blank or naming the campaign being imported into.

    An export of several campaigns imported into one would count the others' money in it, so
    rows naming any other campaign are refused.
    """
    if CAMPAIGN_COLUMN not in positions:
        return
    names, _ = text_column(column(table, positions, CAMPAIGN_COLUMN), fold_all)
    target = fold_all([campaign.name])[0]
    verdicts = {
        name: f"该行属于活动“{name}”，不是本次导入的活动“{campaign.name}”；请按活动筛选后分别导出、导入"
        for name in set(names)
        if name and name != target
    }
    if verdicts:
        for i, name in enumerate(names):
            if name in verdicts:
                log.add(i, CAMPAIGN_COLUMN, verdicts[name])


def check_dates(rows, campaign, allow_outside_dates, log, reason=""):
    """The date rules of donations/gift_rules.py, judged once per distinct date."""
    today = timezone.localdate()
    how_to_allow = log.turn_on(ALLOW_OUTSIDE_DATES)
    no_reason = gift_rules.reason_missing(log.fill_in(OUTSIDE_DATES_REASON))
    verdicts = {}
    for day in set(rows.received_on) - {None}:
        message = gift_rules.after_today(day, today)
        if message is None:
            message = gift_rules.outside_campaign(day, campaign, how_to_allow)
            if message and allow_outside_dates:
                message = None if reason.strip() else no_reason
        if message:
            verdicts[day] = message
    if verdicts:
        for i, day in enumerate(rows.received_on):
            if day in verdicts:
                log.add(i, "捐赠日期", verdicts[day])


# --- look-ups -------------------------------------------------------------------------------


def resolve_explicit_sectors(rows, log):
    """Sector id per row from 版块 (None = 未分配, or not given); branch from 分会 within it."""
    sectors = dict(Sector.objects.filter(active=True).values_list("name", "id"))
    branches = {}
    for sector_id, name, branch_id in Branch.objects.filter(active=True).values_list(
        "sector_id", "name", "id"
    ):
        branches.setdefault(sector_id, {})[name] = branch_id
    sector_names = {sid: name for name, sid in sectors.items()}
    valid = choice_list([*sectors, UNASSIGNED_SECTOR])
    rows.sector_ids = [None] * len(rows)
    rows.branch_ids = [None] * len(rows)
    for i in range(len(rows)):
        name = rows.sector_names[i]
        branch = rows.branch_names[i]
        if not name or name == UNASSIGNED_SECTOR:
            if branch and not rows.is_line(i):
                log.add(i, "分会", f"填写分会“{branch}”时必须填写它所属的版块")
            continue
        sector_id = sectors.get(name)
        if sector_id is None:
            log.add(i, "版块", f"未知的版块“{name}”；可选：{valid}")
            continue
        rows.sector_ids[i] = sector_id
        if branch:
            branch_id = branches.get(sector_id, {}).get(branch)
            if branch_id is None:
                choices = choice_list(branches.get(sector_id, {}))
                log.add(i, "分会", f"版块“{sector_names[sector_id]}”下没有分会“{branch}”；可选：{choices}")
            rows.branch_ids[i] = branch_id


def resolve_projects(rows, log):
    wanted = set(rows.project_names) - {""}
    rows.project_ids = [None] * len(rows)
    if not wanted:
        return
    projects = dict(ReliefProject.objects.values_list("name", "id"))
    valid = None  # the choices to list, read once and only when a row needs them
    for i, name in enumerate(rows.project_names):
        if name:
            rows.project_ids[i] = projects.get(name)
            if rows.project_ids[i] is None:
                if valid is None:
                    valid = choice_list(
                        ReliefProject.objects.exclude(status=ReliefProject.Status.CLOSED).values_list(
                            "name", flat=True
                        )
                    )
                log.add(i, "定向项目", f"未知的定向项目“{name}”；可选：{valid}")


def attribute_rows(rows, new_donors, known):
    """Sector and branch each gift counts in, by the rule the admin uses too (donations.attribution).

    Explicit 版块 and 分会 cells come first; what they leave open comes from the donor as matched
    (in the database or new in this file) and its unit. Lines carry no sector: they count in
    their remittance. `known` holds the database donors matching already read; others (units
    of matched people that the file does not name) are read in one set-based query. Building
    placements with four joins per donor instead cost 0.5 s for 20,000 matched donors.
    """
    gifts = [i for i in range(len(rows)) if not rows.is_line(i) and rows.donor_refs[i] is not None]
    refs = set(map(rows.donor_refs.__getitem__, gifts))
    # New donors are keyed by their (negative) ref, like the rows refer to them.
    donors = {
        -n - 1: (d.kind, d.sector_id, d.branch_id, d.employer_ref)
        for n, d in enumerate(new_donors)
        if -n - 1 in refs or d.kind == UNIT
    }
    donors.update(known)
    wanted = {ref for ref in refs if ref > 0}
    for _round in range(2):  # the donors, then the units they work for
        for query in filter_in(Donor.objects.all(), "pk", wanted - donors.keys()):
            for pk, *row in query.values_list("pk", *attribution.DONOR_COLUMNS):
                donors[pk] = tuple(row)
        wanted = {row[3] for row in donors.values() if row[3] is not None}
    branch_sectors = dict(Branch.objects.values_list("id", "sector_id"))
    placements = attribution.placements_from(donors, branch_sectors, refs)
    personal = Sector.personal_id()
    counted_in, unassigned = attribution.counted_in, attribution.UNASSIGNED
    for i in gifts:
        branch = rows.branch_ids[i]
        rows.sector_ids[i], rows.branch_ids[i] = counted_in(
            placements[rows.donor_refs[i]],
            personal_sector=personal,
            sector_id=unassigned if rows.sector_names[i] == UNASSIGNED_SECTOR else rows.sector_ids[i],
            branch_id=branch,
            branch_sector_id=branch_sectors.get(branch),
        )


# --- receipts and duplicates ----------------------------------------------------------------


def check_receipts(rows, log):
    """A receipt number is one donation: twice in the file or already recorded is an error."""
    first_seen = {}
    for i, receipt in enumerate(rows.receipts):
        if not receipt or rows.is_line(i):
            continue
        if receipt in first_seen:
            log.add(
                i, "票据号", f"票据号“{receipt}”在文件中重复（第 {rows.numbers[first_seen[receipt]]} 行已有）"
            )
        else:
            first_seen[receipt] = i
    existing = {}
    # exclude("") lets PostgreSQL use the partial unique index on receipt numbers.
    for query in filter_in(Donation.objects.exclude(receipt_no=""), "receipt_no", first_seen):
        for receipt, donor, campaign in query.values_list("receipt_no", "donor__name", "campaign__name"):
            existing[receipt] = (donor, campaign)
    for receipt, (donor, campaign) in existing.items():
        log.add(first_seen[receipt], "票据号", gift_rules.receipt_taken(receipt, campaign, donor))
    return first_seen


def check_not_imported_before(sha256, force, log):
    if force:
        return
    earlier = ImportBatch.objects.filter(sha256=sha256).exclude(status=ImportBatch.Status.ROLLED_BACK).first()
    if earlier:
        when = timezone.localtime(earlier.created_at)
        log.errors.append(
            RowError(
                None,
                None,
                f"同一文件已于 {when:%Y-%m-%d %H:%M} 导入过"
                f"（批次 #{earlier.pk}，文件名 {earlier.file_name}）；"
                f"为避免重复录入已拒绝，如确需再次导入，{log.turn_on(FORCE)}",
            )
        )
