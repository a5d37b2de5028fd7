"""年度工作报告文字部分 in the back office: staff write the sections; the change page previews
the text as the report will print it, with every typed number and unknown placeholder flagged."""

from django.contrib import admin
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from charity.admin import AuditHistoryMixin

from . import narratives
from .models import ReportNarrative


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
