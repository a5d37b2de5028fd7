"""Total, subtotal and signature rows: what a clerk adds below a list, never donations.

A 合计 row is often made by copying the last data row, so it has a date, a type and a sector
and would pass every other check as a donor named 合计, counting the list's money twice. Such a
row is recognised by its first words, wherever it has them, and refused with its row number.
"""

import re
from decimal import Decimal

from .errors import CellError
from .parsing import is_blank, parse_amount

# The export ends each sheet with a row of exactly this shape: 合计 under 捐赠日期, the sum of the
# 金额 cells above, a count in 备注, nothing else (exporting.total_row). Nothing in it could be
# read as a donor, so it is left out instead of refused, once its sum is checked.
EXPORT_TOTAL_LABEL = "合计"
EXPORT_TOTAL_COLUMNS = ("捐赠日期", "金额", "备注")

TOTAL_WORDS = ("合计", "小计", "总计", "共计")
# "制表人：张三" and "审核：" under a list; the bare word must stand alone or before a colon, since
# a name may begin with it.
SIGNER_WORDS = ("制表人", "审核人", "复核人", "审批人", "填表人", "填报人", "经办人", "负责人")
SIGN_WORDS = ("制表", "审核", "复核", "签字", "签名", "盖章")


def _spaced(word):
    # "合 计": staff space the two characters out to fill a wide cell.
    return r"\s*".join(word)


def _alternatives(words):
    return "|".join(map(_spaced, words))


SIGNATURE_ROW = "签名行"
_SEP = "\x00"  # cells are joined with NUL, which no cell holds (and a NUL cell only matches less)
# A label is the start of a cell (label_of puts the separator before it).
_LABEL = re.compile(
    rf"{_SEP}\s*(?:"
    rf"(?:本\s*[页表]\s*|总\s*)?(?P<total>{_alternatives(TOTAL_WORDS)})"
    rf"|(?P<signer>{_alternatives(SIGNER_WORDS)})"
    rf"|(?P<sign>{_alternatives(SIGN_WORDS)})\s*(?:[:：]|{_SEP})"
    rf")"
)


# The second character of every word above. A column holding none of them, nearly every
# column of a real file, is passed over with ten C-level scans (0.5 ms for 60,000 names); the
# regular expression walking a whole column cost 10-40 ms a column.
_SECOND_CHARACTERS = "计表核批报办责字名章"
# Where a label may start; each candidate is then read as a whole cell by label_of.
_CANDIDATE = re.compile(r"[合小总共制审复填经负签盖]\s*[计表核批报办责字名章]")


def column_has_label(joined):
    if not any(ch in joined for ch in _SECOND_CHARACTERS):
        return False
    for match in _CANDIDATE.finditer(joined):
        start = joined.rfind(_SEP, 0, match.start()) + 1
        end = joined.find(_SEP, match.end())
        if label_of(joined[start:end]):
            return True
    return False


def column_text(values):
    """The column's text cells joined by the separator, with one at each end."""
    try:
        joined = _SEP.join(values)  # a column of text only, the usual case: one C call
    except TypeError:
        joined = _SEP.join([v for v in dict.fromkeys(values) if v.__class__ is str])
    return f"{_SEP}{joined}{_SEP}"


def label_of(cell):
    """'合计行' or '签名行' when the cell starts like one, else None."""
    if not isinstance(cell, str):
        return None
    match = _LABEL.match(f"{_SEP}{cell}{_SEP}")
    if match is None:
        return None
    if match.group("total"):
        return re.sub(r"\s+", "", match.group("total")) + "行"
    return SIGNATURE_ROW


# Free text, where "共计 35 人参与" is a remark, not a total row.
NOT_LOOKED_AT = ("备注",)


def find_summary_rows(table, column_names):
    """{index of a data row: (column name, cell text, what it is)} for every summary row."""
    found = {}
    for position, values in enumerate(table.columns):
        if column_names(position) in NOT_LOOKED_AT or not column_has_label(column_text(values)):
            continue
        for i, cell in enumerate(values):
            if i not in found and (label := label_of(cell)):
                found[i] = (column_names(position), cell.strip(), label)
    return found


def is_export_total(row, column, cell, column_names):
    if column != "捐赠日期" or cell != EXPORT_TOTAL_LABEL:
        return False
    return all(is_blank(value) or column_names(p) in EXPORT_TOTAL_COLUMNS for p, value in enumerate(row))


def check_summary_rows(table, column_names, log):
    """Report each summary row; return the table without them, for the other checks.

    The export's own total rows are left out without a word when each equals the sum of the
    金额 cells above it, back to the previous total row (the 捐赠 sheet's, then the 汇款明细
    sheet's); one that does not is reported, since the file was changed after it was exported.
    """
    found = find_summary_rows(table, column_names)
    amount_at = next((p for p in range(len(table.header)) if column_names(p) == "金额"), None)
    section_start = 0
    for i in sorted(found):
        column, cell, label = found[i]
        if amount_at is None or not is_export_total(table.rows[i], column, cell, column_names):
            continue
        stated = _amount(table.rows[i][amount_at])
        above = [_amount(table.rows[j][amount_at]) for j in range(section_start, i) if j not in found]
        added = sum(above, Decimal("0.00")) if None not in above else None
        if stated is not None and added is not None and added != stated:
            log.add(
                i,
                "金额",
                f"合计行的金额 {stated} 元与上方 {len(above)} 行金额之和 {added} 元不符；"
                "文件在导出后被改动过，请核对后删除合计行再导入",
            )
        found[i] = None
        section_start = i + 1
    for i, (column, cell, label) in sorted(item for item in found.items() if item[1] is not None):
        text = cell if len(cell) <= 20 else cell[:20] + "…"
        why = "；合计由系统计算，不需要填写" if label != SIGNATURE_ROW else ""
        log.add(i, column, f"这一行是{label}（“{text}”），请删除后再导入{why}")
    return table.without(found) if found else table


def _amount(raw):
    """The cell's amount, 0 for the total of an empty sheet, None when it is not an amount
    (parsing the column reports that)."""
    if raw in (0, "0", "0.00"):
        return Decimal("0.00")
    try:
        return parse_amount(raw)
    except (CellError, TypeError):
        return None
