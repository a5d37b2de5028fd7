"""The annual summary in the back office: stored documents, download, preview and release."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from charity import jobs
from charity.admin import NotFoundMixin
from charity.admin_readonly import ReadOnlyAdminMixin
from charity.pdf import pdf_response

from .. import services
from ..models import AnnualSummaryDocument, AnnualSummaryRelease, Campaign
from .figures import annual_summary

DOWNLOAD_PERMISSION = "campaigns.download_annualsummary"
RELEASE_PERMISSION = "campaigns.release_annualsummary"


def summary_links(user, year):
    """Links to a year's summary in the back office, for those allowed to download it."""
    if not user.has_perm(DOWNLOAD_PERMISSION):
        return None
    return summary_year_links(year)


def summary_year_links(year):
    return format_html(
        '<a href="{}">下载 PDF</a> · <a href="{}">预览</a>',
        reverse("admin:campaigns_annual_summary_download", args=[year]),
        reverse("admin:campaigns_annual_summary_preview", args=[year]),
    )


@admin.register(AnnualSummaryDocument)
class AnnualSummaryDocumentAdmin(ReadOnlyAdminMixin, NotFoundMixin, admin.ModelAdmin):
    """Rendered summaries: download a year's (rendered only when its data changed), release one."""

    change_list_template = "admin/campaigns/annualsummarydocument/change_list.html"
    list_display = ["__str__", "year", "pages", "rendered_at", "released", "file"]
    list_filter = ["year"]
    readonly_fields = ["year", "code", "fingerprint", "pages", "rendered_at", "headline"]
    actions = ["release"]

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) or request.user.has_perm(DOWNLOAD_PERMISSION)

    def has_release_permission(self, request):
        return request.user.has_perm(RELEASE_PERMISSION)

    @admin.display(description="已向公众发布", boolean=True)
    def released(self, obj):
        return obj.releases.exists()

    @admin.display(description="文件")
    def file(self, obj):
        # Through the admin, never MEDIA_URL: an unreleased summary is for those who may download it.
        url = reverse("admin:campaigns_annual_summary_file", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, obj.filename)

    @admin.action(description="向公众发布所选年度总结", permissions=["release"])
    def release(self, request, queryset):
        """A year released before takes a new version only with a reason (更正原因), asked on a
        page of its own; a first release goes straight through."""
        documents = list(queryset.order_by("year", "rendered_at"))
        corrections = [d for d in documents if services.released_document(d.year) is not None]
        reason = request.POST.get("reason", "").strip()
        if corrections and not reason:
            context = {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": "发布年度总结的新版本（更正）",
                "documents": documents,
                "corrections": [(d, services.released_document(d.year)) for d in corrections],
                "asked": "post" in request.POST,
                "selected": request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME),
            }
            return TemplateResponse(request, "admin/campaigns/annualsummarydocument/release.html", context)
        for document in documents:
            try:
                release = services.release_summary(document, request.user, reason=reason)
            except services.SummaryError as error:
                self.message_user(request, error.message, messages.ERROR)
            else:
                url = reverse("campaigns:annual_summary", args=[document.year])
                self.message_user(
                    request,
                    format_html(
                        "已发布“{}”（第{}版），公众可在 <a href='{}'>{}</a> 下载",
                        document,
                        release.version,
                        url,
                        url,
                    ),
                )

    def changelist_view(self, request, extra_context=None):
        years = Campaign.objects.order_by("-year").values_list("year", flat=True).distinct()
        links = [(year, summary_links(request.user, year)) for year in years]
        return super().changelist_view(request, {"summary_years": links, **(extra_context or {})})

    def get_urls(self):
        return [
            path(
                "year/<int:year>/download/",
                self.admin_site.admin_view(self.download_view),
                name="campaigns_annual_summary_download",
            ),
            path(
                "year/<int:year>/preview/",
                self.admin_site.admin_view(self.preview_view),
                name="campaigns_annual_summary_preview",
            ),
            path(
                "<int:pk>/file/",
                self.admin_site.admin_view(self.file_view),
                name="campaigns_annual_summary_file",
            ),
            *super().get_urls(),
        ]

    def file_view(self, request, pk):
        """A stored summary as it was rendered (e.g. one released earlier), for those who may download."""
        if not request.user.has_perm(DOWNLOAD_PERMISSION):
            raise PermissionDenied
        document = get_object_or_404(AnnualSummaryDocument, pk=pk)
        return pdf_response(document, as_attachment=True)

    def download_view(self, request, year):
        """The year's PDF: the stored one while the data is unchanged, else a job renders it (the
        page of the job links to the file once it is made)."""
        if not request.user.has_perm(DOWNLOAD_PERMISSION):
            raise PermissionDenied
        try:
            document = services.stored_summary(year)
            if document is None:
                return redirect(jobs.page_url(services.enqueue_annual_summary(year, request.user)))
        except services.SummaryError as error:
            return render(
                request, "admin/campaigns/summary_error.html", {"message": error.message}, status=404
            )
        return pdf_response(document, as_attachment=True)

    def preview_view(self, request, year):
        if not request.user.has_perm(DOWNLOAD_PERMISSION):
            raise PermissionDenied
        try:
            services.check_year(year)
        except services.SummaryError as error:
            return render(
                request, "admin/campaigns/summary_error.html", {"message": error.message}, status=404
            )
        context = services.summary_context(annual_summary(year))
        context["download_url"] = reverse("admin:campaigns_annual_summary_download", args=[year])
        return render(request, "campaigns/annual_summary_preview.html", context)


@admin.register(AnnualSummaryRelease)
class AnnualSummaryReleaseAdmin(ReadOnlyAdminMixin, NotFoundMixin, admin.ModelAdmin):
    """Who released which summary when (read-only: a release is undone by releasing another)."""

    list_display = ["year", "document", "released_at", "released_by"]
    list_filter = ["year"]

