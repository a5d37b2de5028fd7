from django.contrib import admin, messages
from django.db.models.fields.json import KT
from django.urls import reverse
from django.utils.html import format_html

from charity.admin import AuditHistoryMixin
from charity.admin_columns import count_column, yuan_column
from charity.admin_lists import SubquerySearchMixin
from charity.money import yuan

from . import (
    admin_corrections,  # noqa: F401  (registers 更正说明草稿)
    services,
)
from .admin_snapshots import ErratumInline, SnapshotAdmin
from .annual_report import admin as annual_report_admin  # noqa: F401  (registers 年度工作报告文字部分)
from .annual_summary.admin import DOWNLOAD_PERMISSION, summary_year_links
from .honor_rolls import preview as honor_roll_preview
from .models import (
    Campaign,
    HonorRollErratum,
    HonorRollIssue,
    RankingCategory,
    RankingEdition,
    RankingEntry,
    RankingErratum,
)
from .news import admin as news_admin  # noqa: F401  (registers 慈善资讯)
from .rankings import preview as ranking_preview
from .rankings.content import add_default_categories
from .rollups import fresh_rollups


@admin.register(Campaign)
class CampaignAdmin(AuditHistoryMixin, admin.ModelAdmin):
    list_display = [
        "name",
        "kind",
        "year",
        "start_date",
        "end_date",
        "goal_yuan",
        "raised",
        "donation_count",
        "summary",
    ]
    list_filter = ["kind", "year"]
    search_fields = ["name"]
    ordering = ["-year", "-start_date"]

    def get_queryset(self, request):
        # Totals kept per campaign (campaigns/rollups.py): summing a million donations on every
        # page took 0.5-1.9 s.
        return super().get_queryset(request).with_rollup_totals()

    def changelist_view(self, request, extra_context=None):
        fresh_rollups()
        return super().changelist_view(request, extra_context)

    def get_list_display(self, request):
        shown = super().get_list_display(request)
        return shown if request.user.has_perm(DOWNLOAD_PERMISSION) else [f for f in shown if f != "summary"]

    @admin.display(description="年度总结")
    def summary(self, obj):
        return summary_year_links(obj.year)

    goal_yuan = yuan_column("goal", "目标金额（元）")
    raised = yuan_column("raised", "已募集（元）")
    donation_count = count_column("donation_count", "捐赠笔数")


class HonorRollErratumInline(ErratumInline):
    model = HonorRollErratum
    publish_permission = "campaigns.publish_honorrollissue"


class RankingErratumInline(ErratumInline):
    model = RankingErratum
    publish_permission = "campaigns.publish_rankingedition"


@admin.register(HonorRollIssue)
class HonorRollIssueAdmin(SnapshotAdmin):
    list_display = ["__str__", "campaign", "number", "cut_off", "status", "published_at", "total", "errata"]
    list_filter = ["status", "campaign"]
    list_select_related = ["campaign"]
    fields = [
        "campaign",
        "number",
        "cut_off",
        "note",
        "status",
        "published_at",
        "published_by",
        "public_link",
    ]
    inlines = [HonorRollErratumInline]
    ordering = ["-campaign__year", "campaign", "number"]
    preview_function = honor_roll_preview.preview
    publish_service = services.publish_honor_roll
    erratum_service = services.publish_honor_roll_erratum
    public_url_name = "campaigns:honor_roll"

    @admin.display(description="本期合计（元）")
    def total(self, issue):
        return yuan(issue.content_total) if issue.is_published else "—"

    @admin.display(description="更正说明")
    def errata(self, issue):
        return issue.errata.count() or ""

    def get_queryset(self, request):
        # An issue's frozen content lists every gift (megabytes for a campaign's first issue):
        # the list reads only its total, in the database.
        return (
            super().get_queryset(request).defer("content").annotate(content_total=KT("content__total"))
        ).prefetch_related("errata")


class RankingCategoryInline(admin.TabularInline):
    model = RankingCategory
    fields = ["name", "kind", "size", "order", "entries_link"]
    readonly_fields = ["entries_link"]
    extra = 0

    def _editable(self, obj):
        return obj is None or not obj.is_published

    def has_add_permission(self, request, obj=None):
        return self._editable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._editable(obj) and super().has_delete_permission(request, obj)

    @admin.display(description="名单")
    def entries_link(self, category):
        if category.pk is None:
            return ""
        url = reverse("admin:campaigns_rankingentry_changelist")
        return format_html('<a href="{}?category__id__exact={}">审核名单</a>', url, category.pk)


@admin.register(RankingEdition)
class RankingEditionAdmin(SnapshotAdmin):
    list_display = ["__str__", "number", "year", "status", "published_at"]
    list_filter = ["status", "year"]
    fields = ["number", "year", "title", "note", "status", "published_at", "published_by", "public_link"]
    inlines = [RankingCategoryInline, RankingErratumInline]
    actions = ["refresh_selected"]
    preview_function = ranking_preview.preview
    publish_service = services.publish_ranking
    erratum_service = services.publish_ranking_erratum
    public_url_name = "campaigns:ranking"

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            add_default_categories(obj)

    @admin.action(description="计算候选名单（保留已有的审核意见）", permissions=["change"])
    def refresh_selected(self, request, queryset):
        for edition in queryset:
            try:
                counts = services.refresh_ranking_candidates(edition, request.user)
            except services.SnapshotError as refusal:
                self.message_user(request, refusal.message, messages.ERROR)
            else:
                summary = "、".join(f"{name} {n} 条" for name, n in counts.items())
                self.message_user(request, f"{edition}：{summary}", messages.SUCCESS)


@admin.register(RankingEntry)
class RankingEntryAdmin(AuditHistoryMixin, SubquerySearchMixin, admin.ModelAdmin):
    """Staff's review: exclude a candidate with a reason, give an honour, add honours by hand."""

    list_display = [
        "public_name",
        "donor",
        "category",
        "amount_yuan",
        "excluded",
        "exclusion_reason",
        "honour",
    ]
    list_editable = ["excluded", "exclusion_reason", "honour"]
    list_filter = ["category__edition", "category", "excluded", "computed"]
    list_select_related = ["category__edition", "donor"]
    search_fields = ["public_name", "donor__name", "honour"]
    autocomplete_fields = ["donor"]
    fields = [
        "category",
        "public_name",
        "donor",
        "amount",
        "excluded",
        "exclusion_reason",
        "honour",
        "citation",
    ]
    ordering = ["category", "-amount", "public_name"]
    amount_yuan = yuan_column("amount", "金额（元）")
    # Each row is a form (list_editable): 100 of them took 0.1-0.3 s to render. A category
    # has its places and ten reserves, so 50 still shows one at a time.
    list_per_page = 50

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.computed:
            return ["category", "public_name", "donor", "amount"]
        return []

    def _editable(self, obj):
        return obj is None or not obj.category.edition.is_published

    def has_change_permission(self, request, obj=None):
        return self._editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._editable(obj) and super().has_delete_permission(request, obj)

    def get_changelist_form(self, request, **kwargs):
        form = super().get_changelist_form(request, **kwargs)

        class ReviewForm(form):
            """The review columns stay editable only while the entry's edition is a draft."""

            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                if self.instance.pk and self.instance.category.edition.is_published:
                    for field in self.fields.values():
                        field.disabled = True

        return ReviewForm

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "category":
            kwargs["queryset"] = RankingCategory.objects.filter(edition__status=RankingEdition.Status.DRAFT)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
