"""A statement file to credits: a bank export through its column mapping, or a WeChat Pay bill.

Both are read by the importer's reader (donations/importing/reading.py: size and zip-bomb limits,
UTF-8 or GBK CSV, xlsx, xls), so a hostile file is refused here as it is there. Every problem is
collected, by row and column, and the file is refused whole: a statement is imported complete
or not at all.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from charity.errors import UserError
from charity.text import normalize_name

from ..importing.errors import CellError, FileRejected, RowError
from ..importing.parsing import cell_text, is_blank, parse_amount, parse_date
from ..importing.reading import load_bytes, read_table, sha256_of
from ..importing.summary_rows import label_of
from .models import Source

# The WeChat Pay trade bill (商户平台 → 交易中心 → 账单下载, or the downloadbill API): a CSV whose
# every field starts with a backtick (so Excel keeps long numbers as text), the detail rows under
# their header, then a summary header (总交易单数,…) and one summary row.
WECHAT_ORDER = "微信订单号"
WECHAT_TIME = "交易时间"
WECHAT_SUMMARY = "总交易单数"
WECHAT_SUCCESS = "SUCCESS"
# 订单金额 is what the payer paid (the gift); 应结订单金额 leaves out vouchers, and the bills of
# merchants that never enabled vouchers call the amount 总金额.
WECHAT_AMOUNTS = ("订单金额", "总金额", "应结订单金额")
WECHAT_REQUIRED = (WECHAT_TIME, WECHAT_ORDER, "交易状态")
# How far down a bank's export its header may sit (account and period lines above it).
MAX_HEADER_SEARCH = 20


class StatementRejected(UserError):
    """The file cannot be reconciled; `errors` (RowError) says every place and why."""

    def __init__(self, errors, file_name=""):
        self.errors = list(errors)
        self.file_name = file_name
        super().__init__(f"文件 {file_name}：共 {len(self.errors)} 处错误，未导入任何到账记录")


@dataclass
class Credit:
    row_number: int
    serial: str
    received_on: datetime.date
    payer_name: str
    payer_account: str
    amount: Decimal
    memo: str


@dataclass
class ParsedStatement:
    source: str
    sha256: str
    credits: list
    skipped: int  # debits of a bank export, refunds and revoked orders of a WeChat Pay bill


def read_statement(source_file, file_name, mapping=None):
    """ParsedStatement of the file, or StatementRejected with every error."""
    try:
        data = load_bytes(source_file)
        table = read_table(data, file_name)
    except FileRejected as error:
        raise StatementRejected([RowError(None, None, error.message)], file_name) from None
    header = [_unticked(cell) for cell in table.header]
    if WECHAT_ORDER in header and WECHAT_TIME in header:
        credits, skipped, errors = _wechat_credits(table, header)
        source = Source.WECHAT
    elif mapping is None:
        errors = [
            RowError(
                None,
                None,
                "这不是微信支付交易账单（没有“交易时间”“微信订单号”列）；银行流水请选择该银行的列映射",
            )
        ]
    else:
        credits, skipped, errors = _bank_credits(table, mapping)
        source = Source.BANK
    if not errors:
        errors = _repeated_serials(
            credits, "微信订单号" if source == Source.WECHAT else _serial_label(mapping)
        )
    if errors:
        raise StatementRejected(errors, file_name)
    if not credits:
        raise StatementRejected([RowError(None, None, "文件中没有收入（到账）记录")], file_name)
    return ParsedStatement(source, sha256_of(data), credits, skipped)


def _unticked(cell):
    """A WeChat Pay field without its leading backtick."""
    return cell_text(cell).removeprefix("`").strip()


def _serial_label(mapping):
    return mapping.serial_column if mapping else "流水号"


def _repeated_serials(credits, label):
    first = {}
    errors = []
    for credit in credits:
        if credit.serial in first:
            errors.append(
                RowError(
                    credit.row_number,
                    label,
                    f"“{credit.serial}”在文件中重复（第 {first[credit.serial]} 行已有）",
                )
            )
        else:
            first[credit.serial] = credit.row_number
    return errors


def _parse(errors, number, column, parser, raw):
    try:
        return parser(raw)
    except CellError as error:
        errors.append(RowError(number, column, str(error)))
        return None


# --- WeChat Pay -------------------------------------------------------------------------------


def _wechat_credits(table, header):
    errors = []
    missing = [name for name in WECHAT_REQUIRED if name not in header]
    amount_column = next((name for name in WECHAT_AMOUNTS if name in header), None)
    if amount_column is None:
        missing.append("订单金额")
    if missing:
        return [], 0, [RowError(None, None, f"微信支付账单缺少列：{'、'.join(missing)}")]
    at = {name: header.index(name) for name in header if name}

    def cell(row, name):
        position = at.get(name)
        return _unticked(row[position]) if position is not None and position < len(row) else ""

    credits, skipped, details, summary = [], 0, 0, None
    for index, row in enumerate(table.rows):
        number = table.row_numbers[index]
        if _unticked(row[0]) == WECHAT_SUMMARY:
            summary = (number, table.rows[index + 1] if index + 1 < len(table.rows) else None)
            break
        details += 1
        if cell(row, "交易状态") != WECHAT_SUCCESS:
            skipped += 1  # a refund (REFUND) or a revoked order (REVOKED) is no gift arriving
            continue
        received_on = _parse(errors, number, WECHAT_TIME, parse_date, cell(row, WECHAT_TIME))
        amount = _parse(errors, number, amount_column, parse_amount, cell(row, amount_column))
        serial = cell(row, WECHAT_ORDER)
        if not serial:
            errors.append(RowError(number, WECHAT_ORDER, "微信订单号为空"))
        memo = " ".join(part for part in (cell(row, "商品名称"), cell(row, "商户数据包")) if part)
        if received_on and amount and serial:
            credits.append(Credit(number, serial, received_on, "", cell(row, "用户标识"), amount, memo[:500]))
    errors += _check_wechat_summary(summary, details)
    return credits, skipped, errors


def _check_wechat_summary(summary, details):
    """The bill says how many rows it has: fewer means the file was cut off (a partial download)."""
    if summary is None:
        return [RowError(None, None, "微信支付账单末尾没有汇总行（总交易单数…）：文件可能不完整，请重新下载")]
    number, values = summary
    stated = _unticked(values[0]) if values else ""
    if not stated.isdigit() or int(stated) != details:
        return [
            RowError(
                number + 1,
                WECHAT_SUMMARY,
                f"汇总行写明 {stated or '空'} 笔交易，明细有 {details} 笔：文件可能不完整，请重新下载",
            )
        ]
    return []


# --- bank exports -----------------------------------------------------------------------------


def _bank_header(table, wanted):
    """(header, index of the first data row) where every wanted column is found: bank exports put
    the account, the period and a title above the table."""
    candidates = [table.header, *table.rows[:MAX_HEADER_SEARCH]]
    for position, row in enumerate(candidates):
        header = [cell_text(cell) for cell in row]
        if all(name in header for name in wanted):
            return header, position  # data rows start at table.rows[position]
    return None, None


def _bank_credits(table, mapping):
    columns = mapping.columns()
    header, start = _bank_header(table, columns.values())
    if header is None:
        # Name what is missing against the row most like a header (the most wanted columns).
        rows = [[cell_text(c) for c in row] for row in [table.header, *table.rows[:MAX_HEADER_SEARCH]]]
        best = max(rows, key=lambda row: sum(name in row for name in columns.values()))
        missing = [name for name in columns.values() if name not in best]
        shown = "、".join(cell for cell in best if cell)
        message = (
            f"列映射“{mapping}”的列 {'、'.join(missing)} 在文件中找不到（文件的列：{shown}）；"
            "请检查所选映射是否属于这家银行，或修改映射"
        )
        return [], 0, [RowError(None, None, message)]
    at = {key: header.index(name) for key, name in columns.items()}
    errors, credits, skipped = [], [], 0
    for index in range(start, len(table.rows)):
        row, number = table.rows[index], table.row_numbers[index]

        def raw(key, row=row):
            position = at.get(key)
            return row[position] if position is not None and position < len(row) else None

        if is_blank(raw("serial")) and (
            is_blank(raw("date")) or any(label_of(raw(key)) for key in ("date", "payer_name"))
        ):
            # 合计, 本页小计, 制表人, a note under the table: no transaction has them without a serial
            # number. The memo is not looked at: “合计捐款” there is a gift's own words.
            continue
        if is_blank(raw("amount")) or _is_zero(raw("amount")):
            skipped += 1  # a debit: money going out of the account
            continue
        received_on = _parse(errors, number, columns["date"], parse_date, raw("date"))
        amount = _parse(errors, number, columns["amount"], parse_amount, raw("amount"))
        serial = cell_text(raw("serial"))
        if not serial:
            errors.append(
                RowError(number, columns["serial"], "流水号为空：每笔到账须有流水号，再次导入时据此跳过")
            )
        if received_on and amount and serial:
            credits.append(
                Credit(
                    number,
                    serial[:64],
                    received_on,
                    normalize_name(cell_text(raw("payer_name")))[:200],
                    cell_text(raw("payer_account")).replace(" ", "")[:100],
                    amount,
                    cell_text(raw("memo"))[:500],
                )
            )
    return credits, skipped, errors


def _is_zero(value):
    text = cell_text(value).replace(",", "")
    try:
        return Decimal(text) <= 0
    except ArithmeticError:
        return False
