"""网站信息: the one page where the administrator edits the site's identity (charity.identity).

Superusers only: no staff role holds a permission on SiteIdentity (charity/roles.py), since the
name, the hotlines and above all the donation accounts are what a citizen trusts the site for.
Every save is an audit entry (charity.audit.track, in CharityConfig.ready()).
"""

from django import forms
from django.contrib import admin
from django.core.files.uploadedfile import UploadedFile

from . import identity
from .admin_history import AuditHistoryMixin
from .models import DonationAccount, SiteIdentity
from .uploaded_images import ImageRefused

NAME_FIELDS = ["full_name", "short_name", "city", "emblem", "seal"]
CONTACT_FIELDS = ["address", "postcode", "help_hotline", "donation_hotline", "office_hours", "email"]
REGISTRATION_FIELDS = ["credit_code", "certificate_number", "registration_authority", "icp_number"]


class SiteIdentityForm(forms.ModelForm):
    class Meta:
        model = SiteIdentity
        fields = [*NAME_FIELDS, *CONTACT_FIELDS, *REGISTRATION_FIELDS, "wechat_pay_qr"]

    def clean_emblem(self):
        return self._reencoded("emblem", side=identity.EMBLEM_SIDE, noun="会徽", filename="emblem.png")

    def clean_seal(self):
        value = self.cleaned_data.get("seal")
        if not isinstance(value, UploadedFile):
            return value  # unchanged, or cleared
        try:
            return identity.prepared_seal(value)
        except ImageRefused as error:
            raise forms.ValidationError(error.message) from error

    def clean_wechat_pay_qr(self):
        return self._reencoded(
            "wechat_pay_qr", side=identity.QR_SIDE, noun="收款码", filename="wechat-pay-qr.png"
        )

    def _reencoded(self, name, **kwargs):
        value = self.cleaned_data.get(name)
        if not isinstance(value, UploadedFile):
            return value  # unchanged, or cleared
        try:
            return identity.prepared_image(value, **kwargs)
        except ImageRefused as error:
            raise forms.ValidationError(error.message) from error


class DonationAccountInline(admin.TabularInline):
    model = DonationAccount
    extra = 0
    fields = ["bank", "account_name", "account_number", "order"]


@admin.register(SiteIdentity)
class SiteIdentityAdmin(AuditHistoryMixin, admin.ModelAdmin):
    # One row: the list shows it with a link to its page; nothing can be added once it exists.
    list_display = ["full_name", "short_name", "help_hotline", "donation_hotline", "updated_at"]
    form = SiteIdentityForm
    inlines = [DonationAccountInline]
    fieldsets = [
        ("名称", {"fields": NAME_FIELDS}),
        ("联系方式", {"fields": CONTACT_FIELDS}),
        ("登记信息", {"fields": REGISTRATION_FIELDS}),
        ("在线捐赠", {"fields": ["wechat_pay_qr"]}),
    ]

    def has_add_permission(self, request):
        # Asked by every admin page's menu: the cached identity answers (charity/identity.py),
        # not a query on each page (bench/admin_bench.py counted one more per page without it).
        return super().has_add_permission(request) and identity.current().pk is None

    def has_delete_permission(self, request, obj=None):
        return False  # the site always has a name; fields are emptied instead
