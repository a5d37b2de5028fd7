from django import forms


class CodeForm(forms.Form):
    """The 6 digits an authenticator app shows."""

    code = forms.CharField(
        label="6 位验证码",
        max_length=12,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "pattern": r"\s*[0-9]{3}\s*[0-9]{3}\s*",
                "autofocus": True,
                "size": 8,
            }
        ),
    )

    def clean_code(self):
        return "".join(self.cleaned_data["code"].split())


class RecoveryCodeForm(forms.Form):
    recovery_code = forms.CharField(
        label="恢复码",
        max_length=24,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none", "size": 14}),
    )
