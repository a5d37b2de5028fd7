"""Cell parsers: one raw spreadsheet or CSV value in, one typed value out, or a CellError.

Each parser is a pure function of the cell, so `parse_column` runs it once per distinct value: a
60,000-row campaign file has a few hundred distinct dates, types and channels, and memoising
turns most of the work into dictionary look-ups.
"""

import datetime
import math
import re
import unicodedata
from decimal import Decimal, Inexact, InvalidOperation, localcontext

from charity.spreadsheets import FORMULA_PREFIXES
from charity.text import in_one_pass
from donations.models import Donation, Donor
from donations.validators import credit_code_error, normalize_credit_code

from .errors import CellError

FEN_EXPONENT = -2
MAX_AMOUNT = Decimal("999999999999.99")  # what DecimalField(max_digits=14, decimal_places=2) holds
EXCEL_EPOCH = datetime.date(1899, 12, 30)  # serial 1 = 1900-01-01 after Excel's leap-year bug

KINDS = {"单位": Donor.Kind.UNIT, "个人": Donor.Kind.INDIVIDUAL}
CHANNELS = {label: value for value, label in Donation.Channel.choices}
# Other spellings clerks use that can mean only one channel (docs/staff/import.md lists them). Each is
# compared after NFKC folding and upper-casing, so "wechat" and "ＷＥＣＨＡＴ" are one spelling.
CHANNEL_SYNONYMS = {
    "转账": Donation.Channel.BANK,
    "银行": Donation.Channel.BANK,
    "网银": Donation.Channel.BANK,
    "对公转账": Donation.Channel.BANK,
    "银行汇款": Donation.Channel.BANK,
    "汇款": Donation.Channel.BANK,
    "现钞": Donation.Channel.CASH,
    "微信支付": Donation.Channel.WECHAT,
    "微信转账": Donation.Channel.WECHAT,
    "WECHAT": Donation.Channel.WECHAT,
    "支付宝转账": Donation.Channel.ALIPAY,
    "ALIPAY": Donation.Channel.ALIPAY,
    "物资": Donation.Channel.IN_KIND,
}
ROUTES = {label: value for value, label in Donation.Route.choices}
YES_NO = {"是": True, "否": False}
# A tick, Y, 1 … mean yes and nothing else; an empty cell is no (docs/staff/import.md lists them).
YES_NO_SYNONYMS = {
    **dict.fromkeys(("√", "✓", "✔", "Y", "YES", "1", "TRUE", "对"), True),
    **dict.fromkeys(("×", "✗", "✘", "N", "NO", "0", "FALSE"), False),
}

# A time after the date is dropped: a date-time column means the day the money arrived.
_TIME = r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
_DATE_PATTERNS = [
    re.compile(rf"^(\d{{4}})-(\d{{1,2}})-(\d{{1,2}}){_TIME}$"),
    re.compile(rf"^(\d{{4}})/(\d{{1,2}})/(\d{{1,2}}){_TIME}$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$"),
    re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),  # 20230917, as banks' statements write it
]
# 20230917 typed as a number: far above any day serial (80000 is the year 2119).
_YYYYMMDD = (19000101, 29991231)
# Excel keeps 15 significant digits, so 100.00 computed in a sheet may arrive as
# 99.99999999999999. Closer than a millionth of a fen to a whole fen is that noise, not money.
FLOAT_NOISE = Decimal("0.00000001")
_PLAIN_NUMBER = re.compile(r"^-?\d+(?:\.\d+)?$")
_GROUPED_NUMBER = re.compile(r"^-?\d{1,3}(?:,\d{3})+(?:\.\d+)?$")
_DATE_HINT = "应为 2023-08-28、2023/8/28、2023年8月28日 或 20230828"
NUMERIC_CREDIT_CODE = "统一社会信用代码被 Excel 存成了数字，后几位已丢失：请把该列设为文本后重新填写"
# What Excel writes into a CSV for an 18-digit number in a General cell: 9.14304E+17.
_SCIENTIFIC = re.compile(r"^\d(?:\.\d+)?E\+?\d+$", re.IGNORECASE)
_AMOUNT_HINT = "应为以元计的数字，如 1234.5、1,234.50、1234.50元、0.35万"


def is_blank(raw):
    return raw is None or (isinstance(raw, str) and not raw.strip())


def cell_text(raw):
    """The text a person sees in the cell: a receipt number typed as 20230001 is '20230001'."""
    if raw is None:
        return ""
    if isinstance(raw, bool):
        return "是" if raw else "否"
    if isinstance(raw, float):
        return str(int(raw)) if raw.is_integer() else repr(raw)
    if isinstance(raw, datetime.datetime):
        return raw.isoformat(sep=" ")
    text = str(raw)
    if text.startswith("'") and text[1:2] and text[1] in FORMULA_PREFIXES:
        # Undo the export's formula escape ('=SUM… → =SUM…), nothing else that starts with '.
        return text[1:].strip()
    return text.strip()


def fold(text):
    """Full-width digits, letters and punctuation to their ASCII twins (１２３４，５ → 1234,5)."""
    return unicodedata.normalize("NFKC", text).strip()


def parse_date(raw):
    if isinstance(raw, datetime.datetime):
        return raw.date()
    if isinstance(raw, datetime.date):
        return raw
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        # A date cell that lost its date format still holds Excel's day serial (a fraction is
        # the time of day); 20230917 typed as a number is read as the digits say.
        if 20000 <= raw < 80001:
            return EXCEL_EPOCH + datetime.timedelta(days=int(raw))
        # The range first: float() of a huge int raises OverflowError.
        if _YYYYMMDD[0] <= raw <= _YYYYMMDD[1] and float(raw).is_integer():
            return parse_date(str(int(raw)))
        raise CellError(f"无法识别的日期“{cell_text(raw)}”，{_DATE_HINT}")
    text = fold(str(raw))
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            year, month, day = (int(part) for part in match.groups())
            try:
                return datetime.date(year, month, day)
            except ValueError:
                raise CellError(f"日期“{text}”不存在") from None
    raise CellError(f"无法识别的日期“{text}”，{_DATE_HINT}")


def parse_amount(raw):
    """Amount in 元 as an exact Decimal with at most two places; 万 and 万元 multiply by 10,000."""
    if isinstance(raw, bool) or (isinstance(raw, float) and not math.isfinite(raw)):
        raise CellError(f"无法识别的金额“{cell_text(raw)}”，{_AMOUNT_HINT}")
    if isinstance(raw, int):
        value = Decimal(raw)
    elif isinstance(raw, float):
        # repr() is the shortest text that reads back as the same float: 1234.56, not 1234.5599…
        value = Decimal(repr(raw))
    else:
        value = _parse_amount_text(str(raw))
    # Noise first, so 1e-171 (0.00) is refused as zero; only in range, since a value of more than
    # 28 digits cannot be quantized at all (both found by tests/donations/test_parsing_properties.py).
    if isinstance(raw, float) and abs(value) <= MAX_AMOUNT:
        fen = value.quantize(Decimal("0.01"))
        if value != fen and abs(value - fen) <= FLOAT_NOISE:
            value = fen
    if value <= 0:
        raise CellError(f"金额必须大于 0，实际为 {cell_text(raw)}")
    if value > MAX_AMOUNT:
        raise CellError(f"金额“{cell_text(raw)}”过大，最多 {MAX_AMOUNT} 元")
    if value.as_tuple().exponent < FEN_EXPONENT and value != value.quantize(Decimal("0.01")):
        raise CellError(f"金额“{cell_text(raw)}”超过两位小数；金额以元计，最多精确到分")
    return value.quantize(Decimal("0.01"))


def _parse_amount_text(text):
    original = text.strip()
    text = fold(original).replace(" ", "").lstrip("¥")
    multiplier = 1
    if text.endswith("万元"):
        text, multiplier = text[:-2], 10000
    elif text.endswith("万"):
        text, multiplier = text[:-1], 10000
    elif text.endswith("元"):
        text = text[:-1]
    # fullmatch: with match, "$" would also accept a number followed by a newline.
    if not (_PLAIN_NUMBER.fullmatch(text) or _GROUPED_NUMBER.fullmatch(text)):
        raise CellError(f"无法识别的金额“{original}”，{_AMOUNT_HINT}")
    try:
        # Exact or refused: 28 digits of precision would otherwise round a long 万 amount.
        with localcontext() as context:
            context.traps[Inexact] = True
            return Decimal(text.replace(",", "")) * multiplier
    except (InvalidOperation, Inexact):
        raise CellError(f"无法识别的金额“{original}”，{_AMOUNT_HINT}") from None


def parse_kind(raw):
    text = fold(cell_text(raw))
    try:
        return KINDS[text]
    except KeyError:
        raise CellError(f"捐赠人类型“{text}”无效，应为“单位”或“个人”") from None


def parse_channel(raw):
    text = fold(cell_text(raw))
    channel = CHANNELS.get(text) or CHANNEL_SYNONYMS.get(text.replace(" ", "").upper())
    if channel is None:
        choices = "、".join(CHANNELS)
        raise CellError(f"渠道“{text}”无效，可选：{choices}（同义写法见导入说明）")
    return channel


def parse_route(raw):
    text = fold(cell_text(raw))
    route = ROUTES.get(text.replace(" ", ""))
    if route is None:
        choices = "、".join(ROUTES)
        raise CellError(f"到账方式“{text}”无效，可选：{choices}（留空为总会账户）")
    return route


def parse_yes_no(raw):
    if isinstance(raw, bool):
        return raw
    text = fold(cell_text(raw))
    if not text:
        return False
    answer = YES_NO.get(text)
    if answer is None:
        answer = YES_NO_SYNONYMS.get(text.upper())
    if answer is None:
        raise CellError(f"“{text}”无效，应为“是”或“否”（也可写 √、Y、1；留空表示否）")
    return answer


def parse_head_count(raw):
    text = fold(cell_text(raw)).removesuffix("人")
    if not text:
        return None
    # isdecimal, not isdigit: "፩" (Ethiopic one) is a digit that int() cannot read.
    if not text.isdecimal() or int(text) <= 0:
        raise CellError(f"参与人数“{cell_text(raw)}”无效，应为正整数")
    return int(text)


def parse_credit_code(raw):
    # A number has lost digits already (Excel keeps 15 of the 18), yet about one mangled code
    # in 31 still passes the check character: never read one as a code.
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        raise CellError(NUMERIC_CREDIT_CODE)
    code = normalize_credit_code(fold(cell_text(raw)))
    if _SCIENTIFIC.match(code):
        raise CellError(NUMERIC_CREDIT_CODE)
    if code:
        error = credit_code_error(code)
        if error:
            raise CellError(error)
    return code


def distinct_values(values):
    """({key: one raw value}, key of each value): keys equal only for cells that read the same."""
    distinct = dict.fromkeys(values)
    if set(map(type, distinct)) <= _TEXT_TYPES:
        # Text and blanks only, the usual case: a text never equals a value of another type, so
        # the values are their own keys and the work stays in C.
        for key in distinct:
            distinct[key] = key
        return distinct, values
    # 1 == 1.0 == True share one hash: numbers, dates and booleans are keyed with their type.
    keys = list(zip(map(type, values), values, strict=True))
    return dict(zip(keys, values, strict=True)), keys


_TEXT_TYPES = {str, type(None)}


def parse_column(values, parser):
    """Parse a whole column: (parsed values, {index: message}) with blanks left as None."""
    distinct, keys = distinct_values(values)
    results = {}
    failed = False
    for key, raw in distinct.items():
        if is_blank(raw):
            results[key] = None
            continue
        try:
            results[key] = parser(raw)
        except CellError as exc:
            results[key] = exc
            failed = True
    parsed = list(map(results.__getitem__, keys))
    errors = {}
    if failed:
        for index, value in enumerate(parsed):
            if isinstance(value, CellError):
                errors[index] = str(value)
                parsed[index] = None
    return parsed, errors


def cell_texts(values):
    """cell_text of each value; plain text, nearly every cell, is only stripped."""
    return [v.strip() if v.__class__ is str and not v.startswith("'") else cell_text(v) for v in values]


def text_column(values, normalize=None, limit=None):
    """(text of every cell, {index: length} for texts longer than `limit`), once per distinct value.

    `normalize` takes and returns a list of texts, so it can work on a whole column at once.
    """
    distinct, keys = distinct_values(values)
    texts = cell_texts(distinct.values())
    if normalize is not None:
        texts = normalize(texts)
    results = dict(zip(distinct, texts, strict=True))
    out = list(map(results.__getitem__, keys))
    too_long = {}
    if limit is not None and any(len(t) > limit for t in texts):
        too_long = {i: len(t) for i, t in enumerate(out) if len(t) > limit}
    return out, too_long


def fold_all(texts):
    """[fold(t) for t in texts] in one NFKC pass (see charity.text.in_one_pass)."""
    return in_one_pass(texts, lambda text: unicodedata.normalize("NFKC", text), fold)
