"""The choices a clerk makes for one import, and how each screen asks for them.

A message that tells the clerk to turn an option on names the checkbox in the admin and the flag
on the command line: a clerk in the admin has no command line, and a script has no checkbox.
"""

from dataclasses import dataclass

ADMIN = "admin"
COMMAND_LINE = "command"


@dataclass(frozen=True)
class Choices:
    """What the clerk chose for one import, and where (ADMIN or COMMAND_LINE)."""

    allow_outside_dates: bool = False
    force: bool = False
    separate_staff_gifts: bool = False
    interface: str = COMMAND_LINE
    outside_dates_reason: str = ""


@dataclass(frozen=True)
class Option:
    label: str  # the admin's checkbox
    flag: str  # manage.py import_donations
    help: str


ALLOW_OUTSIDE_DATES = Option(
    "允许活动日期以外的捐赠日期", "--allow-outside-dates", "例如补录往年数据或迁移整个活动"
)
FORCE = Option(
    "强制导入重复的文件或行",
    "--force",
    "默认拒绝可能重复计入的内容：已导入过的同一文件（SHA-256 相同）、文件中完全相同的行、"
    "与本活动已录入的捐赠同日期、同捐赠人、同金额且都没有票据号的行。确认不是重复时勾选；"
    "票据号仍不得重复",
)
# Letting a date outside the campaign through is a decision someone must be able to account for
# later: the option takes a reason, kept with the gift or the batch (issue #19, 5).
OUTSIDE_DATES_REASON = Option(
    "活动期外日期的原因",
    "--outside-dates-reason",
    "勾选“允许活动日期以外的捐赠日期”时必填，例如“补录2022年数据”或“活动结束后到账的汇款”",
)
SEPARATE_STAFF_GIFTS = Option(
    "员工另行捐赠",
    "--separate-staff-gifts",
    "文件中有某单位的捐赠，又有所在单位是它、却没有填写汇款票据号的个人时，默认视为漏填汇款票据号"
    "（否则员工的钱会在单位汇款之外再算一次）而拒绝；确认这些个人是在单位汇款之外另行捐赠时勾选",
)


def fill_in(option, interface):
    """'请在“…”中写明' in the admin, '请用 --… 写明' for the command."""
    if interface == ADMIN:
        return f"请在“{option.label}”中写明"
    return f"请用 {option.flag} 写明"


def turn_on(option, interface):
    """'请勾选“…”' in the admin, '请在命令行加 --…' for the command."""
    if interface == ADMIN:
        return f"请勾选“{option.label}”"
    return f"请在命令行加 {option.flag}"
