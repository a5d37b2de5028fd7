"""慈善资讯 in the back office: the publisher drafts, previews and publishes articles; a published
article takes only 更正说明 (the SnapshotAdmin shape of campaigns/admin.py)."""

from django import forms
from django.contrib import admin
from django.core.files.uploadedfile import UploadedFile

from ..admin_snapshots import ErratumInline, SnapshotAdmin
from . import content, files, services
from .models import Article, ArticleAttachment, ArticleErratum, ArticleImage


class ArticleImageForm(forms.ModelForm):
    class Meta:
        model = ArticleImage
        fields = ["image", "caption", "order"]

    def clean_image(self):
        upload = self.cleaned_data.get("image")
        if not isinstance(upload, UploadedFile):
            return upload
        try:
            return files.prepared_image(upload)
        except files.UploadRefused as refusal:
            raise forms.ValidationError(refusal.message) from refusal


class ArticleAttachmentForm(forms.ModelForm):
    class Meta:
        model = ArticleAttachment
        fields = ["title", "file", "order"]

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if not isinstance(upload, UploadedFile):
            return upload
        try:
            checked = files.checked_pdf(upload)
        except files.PdfRefused as refusal:
            raise forms.ValidationError(refusal.message) from refusal
        self.instance.size = checked.size
        return checked


class _DraftPartInline(admin.TabularInline):
    """Pictures and attachments are edited with the draft; a published article shows them only."""

    extra = 0

    def _editable(self, request, obj):
        return obj is None or not obj.is_published

    def has_add_permission(self, request, obj=None):
        return self._editable(request, obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._editable(request, obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._editable(request, obj) and super().has_delete_permission(request, obj)


class ArticleImageInline(_DraftPartInline):
    model = ArticleImage
    form = ArticleImageForm


class ArticleAttachmentInline(_DraftPartInline):
    model = ArticleAttachment
    form = ArticleAttachmentForm


class ArticleErratumInline(ErratumInline):
    model = ArticleErratum
    publish_permission = "campaigns.publish_article"


@admin.register(Article)
class ArticleAdmin(SnapshotAdmin):
    list_display = ["title", "category", "date", "status", "published_at"]
    list_filter = ["status", "category"]
    search_fields = ["title"]
    date_hierarchy = "date"
    fields = [
        "title",
        "category",
        "date",
        "summary",
        "body",
        "note",
        "status",
        "published_at",
        "published_by",
        "public_link",
    ]
    inlines = [ArticleImageInline, ArticleAttachmentInline, ArticleErratumInline]
    preview_function = content.preview
    publish_service = services.publish_article
    erratum_service = services.publish_article_erratum
    public_url_name = "news:article"
