"""统一社会信用代码 checks for the ledger. The rule itself is the kernel's (charity/credit_codes.py),
which also checks the site's own registration (charity.models.SiteIdentity)."""

from django.core.exceptions import ValidationError

from charity.credit_codes import (  # noqa: F401  (this module's API)
    ALPHABET,
    WEIGHTS,
    credit_code_check_char,
    credit_code_error,
    normalize_credit_code,
)


# Defined here, not imported: the donations migrations name it by this path.
def validate_credit_code(value):
    error = credit_code_error(normalize_credit_code(value))
    if error:
        raise ValidationError(error, code="credit_code")
