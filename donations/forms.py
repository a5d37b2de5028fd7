from pathlib import PurePath

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat

from campaigns.models import Campaign

IMPORT_EXTENSIONS = (".xlsx", ".csv")


class DonationImportForm(forms.Form):
    campaign = forms.ModelChoiceField(
        Campaign.objects.all(), label="募捐活动", help_text="文件中的全部捐赠都计入这个活动"
    )
    file = forms.FileField(label="文件", help_text="Excel（.xlsx）或 CSV（UTF-8 或 GBK），使用导入模板的表头")
    allow_outside_dates = forms.BooleanField(
        label="允许活动日期以外的捐赠日期", required=False, help_text="例如补录往年数据或迁移整个活动"
    )
    force = forms.BooleanField(
        label="强制导入同一文件",
        required=False,
        help_text="同一文件（SHA-256 相同）已导入过时默认拒绝，以免重复计入",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            # A checkbox stands before its label ("☐ 强制导入…"), where a colon reads oddly.
            if isinstance(field, forms.BooleanField):
                field.label_suffix = ""

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if PurePath(upload.name).suffix.lower() not in IMPORT_EXTENSIONS:
            raise forms.ValidationError("只能导入 .xlsx 或 .csv 文件")
        if upload.size > settings.IMPORT_MAX_BYTES:
            raise forms.ValidationError(f"文件超过 {filesizeformat(settings.IMPORT_MAX_BYTES)} 的上限")
        return upload
