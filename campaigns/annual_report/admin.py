"""年度工作报告文字部分 in the back office: staff write the sections; the change page previews
the text as the report will print it, with every typed number and unknown placeholder flagged."""

import secrets

from django import forms
from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from charity.admin import AuditHistoryMixin
from charity.admin_publishing import PublicationAdminMixin

from ..annual_summary.figures import display_code
from . import narratives, publishing
from .models import ReportNarrative, YearReport


@admin.register(ReportNarrative)
class ReportNarrativeAdmin(AuditHistoryMixin, admin.ModelAdmin):
    list_display = ["year", "order", "heading", "flagged"]
    list_filter = ["year"]
    ordering = ["-year", "order"]
    fields = ["year", "order", "heading", "body", "placeholders", "preview"]
    readonly_fields = ["placeholders", "preview"]

    @admin.display(description="待检查")
    def flagged(self, narrative):
        found = narratives.problems(narrative.body)
        return f"{len(found)} 处" if found else "—"

    @admin.display(description="可用的占位符")
    def placeholders(self, narrative):
        return "、".join(f"{{{{{name}}}}}" for name in narratives.PLACEHOLDER_NAMES)

    @admin.display(description="预览（保存后更新）")
    def preview(self, narrative):
        if narrative.pk is None:
            return "保存后在此预览"
        found = narratives.problems(narrative.body)
        warnings = format_html_join("", '<li class="errornote">{}</li>', ((str(p),) for p in found))
        html = narratives.to_html(narrative.body, narratives.placeholder_values(narrative.year))
        return format_html(
            '<ul class="typed-numbers">{}</ul><div class="narrative-preview">{}</div>',
            warnings,
            # Sanitised by nh3 (narratives.to_html): only p, ul, ol, li, strong, em, br remain.
            mark_safe(html),  # noqa: S308
        )


class YearReportForm(forms.ModelForm):
    class Meta:
        model = YearReport
        fields = ["year", "reason"]

    def clean_year(self):
        year = self.cleaned_data["year"]
        if self.instance.pk is None:
            drafts = YearReport.objects.filter(year=year, status=YearReport.Status.DRAFT)
            if drafts.exists():
                raise forms.ValidationError(f"{year}年度已有一份未发布的草稿，请打开它预览并发布，不要另建")
        return year


@admin.register(YearReport)
class YearReportAdmin(PublicationAdminMixin, AuditHistoryMixin, admin.ModelAdmin):
    """年度工作报告发布: a draft is a year (and, from 第2版 on, the reason); 「预览并发布」 shows the
    figures and every number typed into the narratives, then freezes and releases the report."""

    form = YearReportForm
    preview_function = staticmethod(publishing.preview)
    publish_service = staticmethod(publishing.release)
    list_display = ["year", "version", "status", "shown_code", "published_at", "files"]
    list_filter = ["status", "year"]
    readonly_fields = ["version", "shown_code", "status", "published_at", "published_by", "files"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["year", "reason"]
        return ["year", "version", "reason", "status", "shown_code", "published_at", "published_by", "files"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:
            # The year and version of a draft are fixed when it is made; a published one is frozen.
            return [*self.readonly_fields, "year", *(["reason"] if obj.is_published else [])]
        return self.readonly_fields

    def has_delete_permission(self, request, obj=None):
        # A released version is a public document (its code is printed on the cover): never
        # deleted, here or by the list's bulk action (which asks this per object); only a draft is.
        return (obj is None or not obj.is_published) and super().has_delete_permission(request, obj)

    @admin.display(description="校验码")
    def shown_code(self, report):
        return display_code(report.code) if report.code else "—"

    @admin.display(description="文件")
    def files(self, report):
        if not report.is_published:
            return "发布后由后台任务生成 PDF 和 Word 文件"
        args = [report.year, report.version]
        return format_html(
            '<a href="{}">PDF</a> · <a href="{}">Word</a> · <a href="{}">核验页</a>',
            reverse("campaigns:year_report_version", args=args),
            reverse("campaigns:year_report_version_file", args=[*args, "word"]),
            reverse("campaigns:year_report_verify", args=[display_code(report.code)]),
        )

    def save_model(self, request, obj, form, change):
        if obj.pk is None:
            last = publishing.latest(obj.year)
            obj.version = last.version + 1 if last else 1
            obj.code = secrets.token_hex(6)
        super().save_model(request, obj, form, change)
