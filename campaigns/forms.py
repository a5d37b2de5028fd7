from django import forms

from charity.money import to_yuan


class LookupForm(forms.Form):
    receipt_no = forms.CharField(label="捐赠票据号", max_length=50, required=False)
    name = forms.CharField(label="捐赠人姓名或单位名称（须完全一致）", max_length=200, required=False)
    amount = forms.CharField(label="金额（元，须完全一致）", max_length=20, required=False)
    unit = forms.CharField(
        label="所在单位（通过单位汇款捐赠时填写，须完全一致）", max_length=200, required=False
    )

    def clean_amount(self):
        text = self.cleaned_data["amount"].replace(",", "").replace("元", "").strip()
        if not text:
            return None
        try:
            amount = to_yuan(text)
        except Exception:
            raise forms.ValidationError("请填写数字金额，例如 100 或 100.50") from None
        if amount <= 0:
            raise forms.ValidationError("金额必须大于 0")
        return amount

    def clean(self):
        data = super().clean()
        if data.get("receipt_no", "").strip():
            return data
        if not data.get("name", "").strip() or data.get("amount") is None:
            raise forms.ValidationError("请填写捐赠票据号；或同时填写姓名（单位名称）和金额")
        return data
