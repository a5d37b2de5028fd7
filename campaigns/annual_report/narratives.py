"""The staff's words around the figures: Markdown sections whose numbers are named placeholders.

Staff write 主要做法, 工作体会 … in the admin (ReportNarrative) and put figures in only as
placeholders, `{{募集总额}}`, which the report fills from the ledger (`placeholder_values`). A number
typed by hand would not follow the ledger when a gift is corrected, so the preview flags every one
(`problems`), as it flags a placeholder it does not know. Years (2019年) and the numbers of an
ordered list are not figures and pass.

Markdown is rendered by markdown-it-py (CommonMark, raw HTML off) and the result sanitised by nh3
to the few tags a report needs, so nothing a staff member types reaches the PDF as markup.
"""

import functools
import re
import unicodedata
from dataclasses import dataclass

import nh3

from charity.money import count, percent, wan

from . import figures, prose

PLACEHOLDER = re.compile(r"\{\{\s*([^{}\s]+)\s*\}\}")
# A figure typed by hand: digits, maybe with separators, a decimal point or a percent sign.
TYPED_NUMBER = re.compile(r"\d[\d,，.．]*%?")
YEAR = re.compile(r"(?<!\d)\d{4}(?=年)")
LIST_NUMBER = re.compile(r"^\s*\d+[.)、]\s", re.MULTILINE)
TAGS = {"p", "ul", "ol", "li", "strong", "em", "br"}


@functools.cache
def markdown():
    # Built when a narrative is first rendered, not when the portal starts: importing markdown-it
    # costs 13 ms that commands drawing no report (the donation import) need not pay.
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False})


def placeholder_values(year):
    """{name: text} of every placeholder, for `year`, from the ledger (figures.py)."""
    money = figures.money(year)
    branches = figures.branches(year)
    relief = figures.relief(year, money)

    def rate(row):
        return percent(row.percent) if row.percent is not None else "—"

    return {
        "年度": str(year),
        "募集总额": f"{wan(money.raised.current)}万元",
        "募集总额增减": f"{wan(money.raised.change)}万元" if money.raised.change is not None else "—",
        "募集总额增幅": rate(money.raised),
        "进入总会账户": f"{wan(money.into_account.current)}万元",
        "进入总会账户增减": (
            f"{wan(money.into_account.change)}万元" if money.into_account.change is not None else "—"
        ),
        "进入总会账户增幅": rate(money.into_account),
        "直接捐赠": f"{wan(money.direct)}万元",
        "活动数": count(len(figures.campaigns(year))),
        "分会数": count(len(branches.rows)),
        "分会上升数": count(branches.rose),
        "分会增加金额": f"{wan(branches.risen_by)}万元",
        "救助项目数": count(relief.project_count),
        "救助支出": f"{wan(relief.spent.current)}万元",
        "救助支出增幅": rate(relief.spent),
        "往年资金": f"{wan(relief.earlier_funds)}万元",
        "受助人次": f"{prose.about(relief.people_helped)}人次",
    }


PLACEHOLDER_NAMES = (
    "年度", "募集总额", "募集总额增减", "募集总额增幅",
    "进入总会账户", "进入总会账户增减", "进入总会账户增幅", "直接捐赠", "活动数",
    "分会数", "分会上升数", "分会增加金额",
    "救助项目数", "救助支出", "救助支出增幅", "往年资金", "受助人次",
)  # fmt: skip


@dataclass
class Problem:
    kind: str  # "typed" or "unknown"
    text: str

    def __str__(self):
        if self.kind == "typed":
            return f"正文中直接写了数字“{self.text}”：请改用占位符（如 {{{{募集总额}}}}），以免与账目不一致"
        return f"未知的占位符“{{{{{self.text}}}}}”，可用的有：" + "、".join(PLACEHOLDER_NAMES)


def problems(body):
    """[Problem] of a section's text: numbers typed by hand and unknown placeholders."""
    found = [Problem("unknown", name) for name in PLACEHOLDER.findall(body) if name not in PLACEHOLDER_NAMES]
    text = unicodedata.normalize("NFKC", PLACEHOLDER.sub("", body))
    text = LIST_NUMBER.sub(" ", YEAR.sub("", text))
    found += [Problem("typed", match) for match in TYPED_NUMBER.findall(text)]
    return found


def fill(body, values):
    """The text with each known placeholder replaced; an unknown one is left as written."""
    return PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), body)


def to_html(body, values):
    """Sanitised HTML of the filled-in Markdown."""
    return nh3.clean(markdown().render(fill(body, values)), tags=TAGS, attributes={})


def to_runs(body, values):
    """The filled-in Markdown as Word needs it: [(kind, [(text, bold)])], kind "p" or "li"."""
    blocks, kind, bold, in_list = [], "p", False, False
    for token in markdown().parse(fill(body, values)):
        if token.type in ("bullet_list_open", "ordered_list_open"):
            in_list = True
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            in_list = False
        elif token.type == "inline":
            runs = []
            for child in token.children or []:
                if child.type == "strong_open":
                    bold = True
                elif child.type == "strong_close":
                    bold = False
                elif child.type in ("text", "code_inline"):
                    runs.append((child.content, bold))
                elif child.type in ("softbreak", "hardbreak"):
                    runs.append(("\n", bold))
            kind = "li" if in_list else "p"
            blocks.append((kind, runs))
    return blocks
