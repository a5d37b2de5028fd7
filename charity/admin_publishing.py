"""One admin for everything the federation publishes: a draft's 「预览并发布」 page.

Honor-roll issues, ranking editions and disclosures all publish the same way (issue #19 item 2):
the page shows what publishing would freeze now (charity.previews, the service's own freeze run
in a rolled-back transaction), its warnings, and a confirm button. The confirmation posts the
preview's token; if the data changed since (the content or the warnings differ), nothing is
published and the new preview is shown. Publishing itself is the app's service, unchanged.

Apps pass their kind-specific parts in: `preview_function(draft) -> Preview` and
`publish_service(draft, user)`; the kernel imports no app.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from .previews import CHANGED_SINCE_PREVIEW, ChangedSincePreview, publish_as_previewed
from .snapshots import SnapshotError


class ConfirmPublishForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput)
    checked = forms.BooleanField(label="我已核对以上提示", required=False)

    def __init__(self, *args, warnings=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.warnings = list(warnings)
        if not self.warnings:
            del self.fields["checked"]

    def clean_checked(self):
        if self.warnings and not self.cleaned_data["checked"]:
            raise forms.ValidationError("有提示时，请先勾选“我已核对以上提示”再发布")
        return True


class PublicationAdminMixin:
    """For a ModelAdmin of a charity.snapshots.Snapshot subclass."""

    preview_function = None  # (draft) -> charity.previews.Preview
    publish_service = None  # (draft, user) -> the published row
    change_form_template = "admin/publishing/change_form.html"
    preview_template = "admin/publishing/preview.html"

    def has_publish_permission(self, request, obj=None):
        opts = self.opts
        return request.user.has_perm(f"{opts.app_label}.publish_{opts.model_name}")

    def publish_url(self, obj):
        opts = self.opts
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_publish", args=[obj.pk])

    def get_urls(self):
        opts = self.opts
        view = self.admin_site.admin_view(self.publish_view)
        # Before the default URLs: their "<object_id>/" catch-all would take ".../publish/".
        name = f"{opts.app_label}_{opts.model_name}_publish"
        return [path("<path:object_id>/publish/", view, name=name), *super().get_urls()]

    def get_list_display(self, request):
        shown = list(super().get_list_display(request))
        return [*shown, "publish_link"] if self.has_publish_permission(request) else shown

    @admin.display(description="发布")
    def publish_link(self, obj):
        if obj.is_published:
            return ""
        return format_html('<a href="{}">预览并发布</a>', self.publish_url(obj))

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and not obj.is_published and self.has_publish_permission(request):
            context["publish_url"] = self.publish_url(obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def publish_view(self, request, object_id):
        """GET shows what would be published; POST of the confirmation publishes exactly that."""
        if not self.has_publish_permission(request):
            raise PermissionDenied
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        opts = self.opts
        change_url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
        if obj.is_published:
            self.message_user(request, f"“{obj}”已发布，不能再次发布", messages.WARNING)
            return redirect(change_url)
        preview = type(self).preview_function(obj)
        refused = []  # why the confirmation was not accepted
        if request.method == "POST":
            posted = ConfirmPublishForm(request.POST, warnings=preview.warnings)
            if posted.is_valid() and posted.cleaned_data["token"] != preview.token:
                self.message_user(request, CHANGED_SINCE_PREVIEW, messages.ERROR)
            elif posted.is_valid() and preview.can_publish:
                try:
                    published = publish_as_previewed(type(self).publish_service, obj, request.user, preview)
                except ChangedSincePreview:
                    self.message_user(request, CHANGED_SINCE_PREVIEW, messages.ERROR)
                    preview = type(self).preview_function(obj)
                except SnapshotError as refusal:
                    self.message_user(request, refusal.message, messages.ERROR)
                else:
                    self.message_user(request, f"已发布：{published}", messages.SUCCESS)
                    return redirect(change_url)
            elif posted.is_valid():
                self.message_user(request, preview.refusal, messages.ERROR)
            else:
                refused = [error for errors in posted.errors.values() for error in errors]
        form = ConfirmPublishForm(initial={"token": preview.token}, warnings=preview.warnings)
        context = {
            **self.admin_site.each_context(request),
            "title": f"预览并发布：{obj}",
            "subtitle": None,
            "opts": opts,
            "original": obj,
            "preview": preview,
            "form": form,
            "refused": refused,
            "change_url": change_url,
            "has_view_permission": self.has_view_permission(request, obj),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.preview_template, context)
