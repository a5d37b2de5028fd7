"""What every published snapshot's admin shares: 更正说明 typed inline and published by the
service, and a document read-only once published. Apart from campaigns/admin.py so that the news
admin (campaigns/news/admin.py) builds on it and campaigns/admin.py registers both, without a cycle."""

from django import forms
from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html

from charity.admin_history import AuditHistoryMixin
from charity.admin_publishing import PublicationAdminMixin
from charity.snapshots import Erratum, SnapshotError, format_changes, parse_changes

from . import services


class ErratumForm(forms.ModelForm):
    """A 更正说明 as the rules want it: a reason, the figures before → after typed one a line."""

    changes_text = forms.CharField(
        label="更正前后的数字",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 80}),
        help_text="每行一项，写成“项目：原公布 → 更正后”，例如“合计：12,850.00 元 → 12,800.00 元”。",
    )

    class Meta:
        fields = ["reason", "text"]
        widgets = {"reason": forms.Textarea(attrs={"rows": 2, "cols": 80})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = True
        if self.instance.pk:
            self.fields["changes_text"].initial = format_changes(self.instance.changes)

    def clean_changes_text(self):
        try:
            return parse_changes(self.cleaned_data["changes_text"])
        except SnapshotError as refusal:
            raise forms.ValidationError(refusal.message) from refusal

    def clean(self):
        cleaned = super().clean()
        self.instance.changes = cleaned.get("changes_text") or []
        return cleaned


class ErratumInline(admin.StackedInline):
    """更正说明 are typed here and published by the service when the page is saved: never edited.
    Published ones show their reason, text and figures as published (docs/staff/honor-rolls.md)."""

    form = ErratumForm
    fields = ["reason", "text", "changes_text", "published_at", "published_by"]
    readonly_fields = ["published_at", "published_by"]
    extra = 0
    can_delete = False
    publish_permission = ""

    @admin.display(description="更正前后的数字")
    def changes_text(self, erratum):
        """A published erratum's figures (its form field is for new ones only)."""
        return format_changes(erratum.changes)

    def has_add_permission(self, request, obj=None):
        return obj is not None and obj.is_published and request.user.has_perm(self.publish_permission)

    def has_view_permission(self, request, obj=None):
        # Those who publish errata see the ones published (read-only), as the public does.
        published = obj is not None and obj.is_published
        allowed = published and request.user.has_perm(self.publish_permission)
        return allowed or super().has_view_permission(request, obj)

    def get_queryset(self, request):
        # Django empties an inline's rows when has_view_permission(request) without the document
        # says no; the formset keeps only this document's errata, shown read-only.
        return self.model._default_manager.all()

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class SnapshotAdmin(PublicationAdminMixin, AuditHistoryMixin, admin.ModelAdmin):
    """Drafts are edited freely and published from their 「预览并发布」 page (PublicationAdminMixin);
    a published snapshot only takes errata (and its staff note)."""

    erratum_service = None
    public_url_name = ""

    def get_readonly_fields(self, request, obj=None):
        readonly = ["status", "published_at", "published_by", "content_sha256", "public_link"]
        if obj is not None and obj.is_published:
            editable = set(obj.mutable_after_publishing)
            readonly += [f.name for f in obj._meta.fields if f.editable and f.name not in editable]
        return readonly

    def has_delete_permission(self, request, obj=None):
        return (obj is None or not obj.is_published) and super().has_delete_permission(request, obj)

    @admin.display(description="公开页面")
    def public_link(self, obj):
        if obj is None or not obj.is_published:
            return "发布后可见"
        url = reverse(self.public_url_name, args=[obj.pk])
        return format_html('<a href="{}" target="_blank">{}</a>', url, url)

    def save_formset(self, request, form, formset, change):
        if not issubclass(formset.model, Erratum):
            return super().save_formset(request, form, formset, change)
        for erratum in formset.save(commit=False):
            try:
                type(self).erratum_service(
                    form.instance, erratum.text, request.user, reason=erratum.reason, changes=erratum.changes
                )
            except services.SnapshotError as refusal:
                self.message_user(request, refusal.message, messages.ERROR)
            else:
                self.message_user(request, "更正说明已发布", messages.SUCCESS)
