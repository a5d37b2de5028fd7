"""Header cells as staff write them, read as the template's column names.

Only what cannot be misread is accepted: spaces and line breaks inside a name (Alt+Enter in a
cell), a trailing unit that the template implies anyway (金额（元）, 参与人数（人）), and the
spellings listed below. A unit that would change the meaning (金额（万元）) is refused by name.
"""

import re
import unicodedata

# Same meaning, another word: 捐赠金额 is the amount in 元 like 金额.
ALIASES = {"捐赠金额": "金额"}
# Columns that carry nothing to import: the row number staff number their lists with.
IGNORED = ("序号",)
# Units the template already implies; after NFKC both bracket widths are "(…)".
IMPLIED_UNITS = ("元", "人")
_TRAILING_UNIT = re.compile(r"\(([^()]*)\)$")
_WHITESPACE = re.compile(r"\s+")


def read_header(text):
    """(name, refusal): the template name a header cell stands for, or why it is refused.

    A name that is not the template's comes back cleaned and is judged by the header check.
    """
    name = _WHITESPACE.sub("", unicodedata.normalize("NFKC", text))
    unit = _TRAILING_UNIT.search(name)
    if unit:
        base = name[: unit.start()]
        if unit.group(1) in IMPLIED_UNITS:
            name = base
        elif unit.group(1) == "万元" and ALIASES.get(base, base) == "金额":
            return name, (
                f"列“{_WHITESPACE.sub('', text)}”以万元计，导入只按元读取金额："
                "请把金额换算成元（如 0.35 万元填 3500），列名改为“金额”"
            )
    return ALIASES.get(name, name), None


def is_ignored(name):
    return name in IGNORED
