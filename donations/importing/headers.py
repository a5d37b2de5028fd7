"""Header cells as staff write them, read as the template's column names.

Only what cannot be misread is accepted: spaces and line breaks inside a name (Alt+Enter in a
cell), a trailing unit that the template implies anyway (金额（元）, 参与人数（人）), and the
spellings listed below. A unit that would change the meaning (金额（万元）) is refused by name.
"""

import re
import unicodedata
from dataclasses import dataclass

# Same meaning, another word: 捐赠金额 is the amount in 元 like 金额.
ALIASES = {"捐赠金额": "金额"}
# Columns that carry nothing to import: the row number staff number their lists with.
IGNORED = ("序号",)
# Units the template already implies; after NFKC both bracket widths are "(…)".
IMPLIED_UNITS = ("元", "人")
# An amount in 万元 read as 元 would be 10,000 times too small: refused, never converted, since
# the clerk may have typed some cells in 元 all the same.
TEN_THOUSANDS = ("万元", "万")
_TRAILING_UNIT = re.compile(r"\(([^()]*)\)$")
_WHITESPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Header:
    name: str  # the template's column, or the cell cleaned of whitespace
    refusal: str = ""  # why a column the template has is written in a way it cannot read


def read_header(text):
    """The template column a header cell stands for, or why it is refused.

    A name that is not the template's comes back cleaned and is judged by the header check.
    """
    name = _WHITESPACE.sub("", unicodedata.normalize("NFKC", text))
    unit = _TRAILING_UNIT.search(name)
    if unit:
        base = ALIASES.get(name[: unit.start()], name[: unit.start()])
        if unit.group(1) in IMPLIED_UNITS:
            name = base
        elif unit.group(1) in TEN_THOUSANDS and base == "金额":
            shown = _WHITESPACE.sub("", text)
            return Header(
                base,
                f"列“{shown}”以万元计，导入只按元读取金额："
                "请把金额换算成元（如 0.35 万元填 3500），列名改为“金额”",
            )
    return Header(ALIASES.get(name, name))


def is_ignored(name):
    return name in IGNORED
