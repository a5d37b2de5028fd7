from decimal import Decimal

from django import forms
from django.forms.models import BaseInlineFormSet

from charity.money import yuan
from charity.snapshots import SnapshotError, parse_changes

from .models import Beneficiary, ProjectPhoto
from .photos import PhotoError, prepare_photo


class BeneficiaryForm(forms.ModelForm):
    id_number = forms.CharField(
        label="身份证号码", max_length=30, help_text=Beneficiary._meta.get_field("id_number").help_text
    )

    class Meta:
        model = Beneficiary
        fields = ["name", "id_number", "district", "group", "name_withheld"]


class ProjectPhotoForm(forms.ModelForm):
    """The upload is checked and re-encoded here; a hostile file is a form error, nothing is stored."""

    upload = forms.FileField(
        label="照片文件", help_text="JPEG、PNG 或 WebP；保存时去除拍摄地点等 EXIF 信息并重新压缩"
    )

    class Meta:
        model = ProjectPhoto
        fields = ["project", "caption"]

    def clean_upload(self):
        upload = self.cleaned_data["upload"]
        try:
            self.prepared = prepare_photo(upload)
        except PhotoError as exc:
            raise forms.ValidationError(exc.message) from exc
        return upload


class ErratumForm(forms.Form):
    """A disclosure's 更正说明: the reason, an optional explanation, the figures before → after."""

    reason = forms.CharField(label="更正原因", widget=forms.Textarea(attrs={"rows": 2}))
    text = forms.CharField(label="补充说明", required=False, widget=forms.Textarea(attrs={"rows": 4}))
    changes = forms.CharField(
        label="更正前后的数字",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="每行一项，写成“项目：原公布 → 更正后”，例如“支出合计：5,000.00 元 → 4,800.00 元”。",
    )

    def clean_changes(self):
        try:
            return parse_changes(self.cleaned_data["changes"])
        except SnapshotError as refusal:
            raise forms.ValidationError(refusal.message) from refusal


class ShareFormSet(BaseInlineFormSet):
    """The beneficiaries' shares of a disbursement cannot add up to more than the disbursement."""

    def clean(self):
        super().clean()
        amount = self.instance.amount
        if amount is None:
            return
        shares = [
            form.cleaned_data.get("amount") or Decimal(0)
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        total = sum(shares, Decimal(0))
        if total > amount:
            raise forms.ValidationError(f"受助明细合计 {yuan(total)} 元，超过本笔支出 {yuan(amount)} 元")
