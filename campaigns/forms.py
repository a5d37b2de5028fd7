from django import forms

from donations.importing.errors import CellError
from donations.importing.parsing import parse_amount

from .lookup import normalize_receipt


class LookupForm(forms.Form):
    receipt_no = forms.CharField(
        label="捐赠票据号",
        max_length=50,
        required=False,
        # Without an example people typed the receipt's serial code or the amount (issue #23).
        help_text="即捐赠票据上印的“票据号码”，例如 HY2023-000123",
    )
    name = forms.CharField(label="捐赠人姓名或单位名称（须完全一致）", max_length=200, required=False)
    amount = forms.CharField(label="金额（元，须完全一致）", max_length=20, required=False)
    unit = forms.CharField(
        label="所在单位（通过单位汇款捐赠时填写，须完全一致）", max_length=200, required=False
    )

    def clean_receipt_no(self):
        return normalize_receipt(self.cleaned_data["receipt_no"])

    def clean_amount(self):
        """The importer's money rule (donations/importing/parsing.py): more than 0, at most two
        places, no NaN, Infinity or exponent, at most what the ledger holds."""
        text = self.cleaned_data["amount"]
        if not text:
            return None
        try:
            return parse_amount(text)
        except CellError as error:
            raise forms.ValidationError(str(error)) from None

    def clean(self):
        data = super().clean()
        if self.has_error("amount"):
            return data  # its own message says what is wrong
        name = data.get("name", "")
        if data.get("receipt_no"):
            # Receipt numbers are sequential: a number alone would let anyone read the ledger.
            if not name:
                raise forms.ValidationError("只凭票据号不能查询：请同时填写票据上的捐赠人姓名（单位名称）")
        elif not name or data.get("amount") is None:
            raise forms.ValidationError(
                "请填写捐赠票据号和捐赠人姓名（单位名称）；或同时填写姓名（单位名称）和金额"
            )
        return data
