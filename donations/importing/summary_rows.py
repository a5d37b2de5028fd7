"""Total, subtotal and signature rows: what a clerk adds below a list, never donations.

A 合计 row is often made by copying the last data row, so it has a date, a type and a sector
and would pass every other check as a donor named 合计, counting the list's money twice. Such a
row is recognised by its first words, wherever it has them, and refused with its row number.
"""

import re

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


def check_summary_rows(table, column_names, log):
    """Report each summary row; return the table without them, for the other checks."""
    found = find_summary_rows(table, column_names)
    for i, (column, cell, label) in sorted(found.items()):
        text = cell if len(cell) <= 20 else cell[:20] + "…"
        why = "；合计由系统计算，不需要填写" if label != SIGNATURE_ROW else ""
        log.add(i, column, f"这一行是{label}（“{text}”），请删除后再导入{why}")
    return table.without(found) if found else table
