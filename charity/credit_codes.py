"""统一社会信用代码 (unified social credit code) as defined by GB 32100-2015: donors' codes
(donations/validators.py) and the federation's own (charity.models.SiteIdentity)."""

from django.core.exceptions import ValidationError

# The code's alphabet: digits and capitals without I, O, Z, S, V (GB 32100-2015 table 1).
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def credit_code_check_char(first17):
    total = sum(ALPHABET.index(ch) * w for ch, w in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def credit_code_error(code):
    """Return a Chinese message saying what is wrong with `code`, or None when it is valid."""
    if len(code) != 18:
        return f"统一社会信用代码应为 18 位，实际为 {len(code)} 位"
    bad = sorted({ch for ch in code if ch not in ALPHABET})
    if bad:
        return f"统一社会信用代码含有不允许的字符：{''.join(bad)}"
    expected = credit_code_check_char(code[:17])
    if code[17] != expected:
        return f"统一社会信用代码校验位错误：末位应为 {expected}，实际为 {code[17]}"
    return None


def normalize_credit_code(value):
    return (value or "").strip().upper().replace(" ", "")


def validate_credit_code(value):
    error = credit_code_error(normalize_credit_code(value))
    if error:
        raise ValidationError(error, code="credit_code")
