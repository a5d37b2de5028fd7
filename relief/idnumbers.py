"""公民身份号码 (resident identity number) as defined by GB 11643-1999.

18 characters: a 6-digit administrative division code, the birth date (YYYYMMDD), a 3-digit
sequence number (odd for men, even for women) and a check character computed with ISO 7064
MOD 11-2 (0-9 or X). These numbers identify a person for life: they are stored encrypted
(relief/crypto.py) and never leave the back office, not even in part.
"""

import datetime
import re

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"

# Anything shaped like an identity number: a division code, a plausible birth date, three digits
# and a check character, not part of a longer number. The privacy test looks for this in every
# public page and download.
ID_NUMBER_SHAPE = re.compile(
    r"(?<![0-9])[1-9][0-9]{5}(?:18|19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])[0-9]{3}[0-9Xx](?![0-9])"
)


def check_char(first17):
    return CHECK_CHARS[sum(int(ch) * w for ch, w in zip(first17, WEIGHTS, strict=True)) % 11]


def normalize_id_number(value):
    """Full-width digits, spaces and a lower-case x are what staff actually type."""
    text = (value or "").strip().replace(" ", "").replace("\u3000", "")
    text = text.translate({0xFF10 + i: str(i) for i in range(10)} | {0xFF38: "X", 0xFF58: "X"})
    return text.upper()


def birth_date(number):
    try:
        return datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return None


def id_number_error(number, today=None):
    """A Chinese message saying what is wrong with `number` (normalised), or None when valid.

    The message never repeats the number: it may end up in a log or on a screen behind someone.
    """
    if len(number) != 18:
        return f"身份证号码应为 18 位，实际为 {len(number)} 位"
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        return "身份证号码前 17 位应为数字，最后一位为数字或 X"
    born = birth_date(number)
    today = today or datetime.date.today()
    if born is None or born > today or born.year < 1890:
        return "身份证号码中的出生日期（第 7 至 14 位）不是有效日期"
    expected = check_char(number[:17])
    if number[17] != expected:
        return "身份证号码校验位不正确，请核对后重新输入"
    return None


def age_on(number, day):
    born = birth_date(number)
    if born is None:
        return None
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def staff_hint(number):
    """What the back office list shows: the first 4 and last 4 characters, never all 18."""
    return f"{number[:4]}**********{number[-4:]}" if len(number) == 18 else "—"
