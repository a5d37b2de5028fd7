from django.contrib import admin, messages
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html

from charity.admin import AuditHistoryMixin
from charity.money import format_wan, format_yuan

from . import services
from .admin_import_export import DonationImportExportMixin
from .models import Branch, Donation, Donor, ImportBatch, RemittanceLine, Sector


@admin.register(Sector)
class SectorAdmin(AuditHistoryMixin, admin.ModelAdmin):
    list_display = ["name", "order", "active", "branch_count"]
    list_editable = ["order", "active"]
    list_filter = ["active"]
    search_fields = ["name"]
    ordering = ["order", "name"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(branch_count=Count("branches"))

    @admin.display(description="分会数", ordering="branch_count")
    def branch_count(self, obj):
        return obj.branch_count


@admin.register(Branch)
class BranchAdmin(AuditHistoryMixin, admin.ModelAdmin):
    list_display = ["name", "sector", "parent", "active"]
    list_filter = ["sector", "active"]
    list_select_related = ["sector", "parent__sector"]
    search_fields = ["name", "sector__name"]
    autocomplete_fields = ["parent"]
    ordering = ["sector__order", "name"]


@admin.register(Donor)
class DonorAdmin(AuditHistoryMixin, admin.ModelAdmin):
    list_display = ["name", "kind", "credit_code", "sector", "branch", "employer", "display", "created_at"]
    list_filter = ["kind", "display", "sector"]
    list_select_related = ["sector", "branch__sector", "employer"]
    search_fields = ["name", "credit_code", "alias", "phone"]
    autocomplete_fields = ["employer", "branch"]
    ordering = ["kind", "name"]
    list_per_page = 50
    fieldsets = [
        (None, {"fields": ["kind", "name", "credit_code", "sector", "branch", "employer"]}),
        ("联系方式", {"fields": ["contact_person", "phone", "address"]}),
        ("公开显示", {"fields": ["display", "alias"]}),
        ("备注", {"fields": ["note"]}),
    ]


class BranchListFilter(admin.RelatedOnlyFieldListFilter):
    """The branches that occur in the list, with their sector fetched in the same query.

    A branch's name includes its sector's; without select_related each listed branch cost one
    query on every changelist page and export.
    """

    def field_choices(self, field, request, model_admin):
        used = model_admin.get_queryset(request).values("branch")
        return [
            (branch.pk, str(branch)) for branch in Branch.objects.filter(pk__in=used).select_related("sector")
        ]


class RemittanceLineInline(admin.TabularInline):
    model = RemittanceLine
    fk_name = "remittance"
    extra = 0
    autocomplete_fields = ["donor"]
    fields = ["donor", "amount", "anonymous", "note"]


@admin.register(Donation)
class DonationAdmin(AuditHistoryMixin, DonationImportExportMixin, admin.ModelAdmin):
    change_list_template = "admin/donations/donation/change_list.html"
    list_display = [
        "received_on",
        "donor",
        "amount",
        "campaign",
        "sector",
        "branch",
        "channel",
        "head_count",
        "receipt_no",
        "anonymous",
    ]
    list_display_links = ["received_on", "donor"]
    list_filter = [
        "campaign",
        "sector",
        ("branch", BranchListFilter),
        "channel",
        "received_on",
        "anonymous",
        "donor__kind",
        # Also where a batch's "its donations" link lands: the active filter shows which batch.
        ("batch", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["donor", "campaign", "sector", "branch__sector"]
    search_fields = ["donor__name", "receipt_no", "donor__credit_code"]
    autocomplete_fields = ["donor", "branch", "project"]
    date_hierarchy = "received_on"
    ordering = ["-received_on", "-id"]
    list_per_page = 100
    readonly_fields = ["batch", "entered_by", "entered_at"]
    inlines = [RemittanceLineInline]
    fieldsets = [
        (None, {"fields": ["campaign", "donor", "amount", "received_on", "channel", "receipt_no"]}),
        ("计入", {"fields": ["sector", "branch", "head_count", "project"]}),
        ("其他", {"fields": ["anonymous", "note", "batch", "entered_by", "entered_at"]}),
    ]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.entered_by = request.user
        super().save_model(request, obj, form, change)

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        if changelist is not None:
            # The sum of what the filters selected, not only the page shown: one aggregate query.
            summary = changelist.queryset.order_by().summary()
            summary["total_yuan"] = format_yuan(summary["total"])
            summary["total_wan"] = format_wan(summary["total"])
            response.context_data["donation_summary"] = summary
        return response


@admin.register(ImportBatch)
class ImportBatchAdmin(AuditHistoryMixin, admin.ModelAdmin):
    list_display = [
        "file_name",
        "campaign",
        "status",
        "row_count",
        "donation_count",
        "line_count",
        "total_amount",
        "created_by",
        "created_at",
        "donations_link",
    ]
    list_filter = ["status", "campaign"]
    list_select_related = ["campaign", "created_by"]
    search_fields = ["file_name", "sha256"]
    readonly_fields = [f.name for f in ImportBatch._meta.fields] + ["donations_link", "lines_link"]
    actions = ["rollback_selected", "finalize_selected"]

    def has_add_permission(self, request):
        return False  # batches are created by importing a file

    def has_delete_permission(self, request, obj=None):
        return False  # undoing a batch is a rollback, which also removes what it created

    @admin.display(description="捐赠记录")
    def donations_link(self, batch):
        url = reverse("admin:donations_donation_changelist")
        return format_html('<a href="{}?batch__id__exact={}">查看本批次捐赠</a>', url, batch.pk)

    @admin.display(description="汇款明细")
    def lines_link(self, batch):
        url = reverse("admin:donations_remittanceline_changelist")
        return format_html('<a href="{}?batch__id__exact={}">查看本批次明细</a>', url, batch.pk)

    # Undoing or closing a batch changes what every total says: each is a permission of its own,
    # not something every clerk who may edit a batch's note can do.
    def has_rollback_permission(self, request):
        return request.user.has_perm("donations.rollback_importbatch")

    def has_finalize_permission(self, request):
        return request.user.has_perm("donations.finalize_importbatch")

    @admin.action(description="撤销所选批次", permissions=["rollback"])
    def rollback_selected(self, request, queryset):
        self._run(request, queryset, services.rollback_batch, "已撤销")

    @admin.action(description="确认为最终", permissions=["finalize"])
    def finalize_selected(self, request, queryset):
        self._run(request, queryset, services.finalize_batch, "已确认为最终")

    def _run(self, request, queryset, service, done):
        succeeded = []
        for batch in queryset:
            try:
                service(batch, request.user)
            except services.BatchStateError as refusal:
                self.message_user(request, refusal.message, messages.ERROR)
            else:
                succeeded.append(batch.file_name)
        if succeeded:
            self.message_user(
                request, f"{done} {len(succeeded)} 个批次：{'、'.join(succeeded)}", messages.SUCCESS
            )


@admin.register(RemittanceLine)
class RemittanceLineAdmin(AuditHistoryMixin, admin.ModelAdmin):
    list_display = ["donor", "amount", "remittance", "anonymous"]
    list_select_related = ["donor", "remittance__donor"]
    search_fields = ["donor__name", "remittance__receipt_no", "remittance__donor__name"]
    autocomplete_fields = ["donor", "remittance"]
    list_filter = ["remittance__campaign", ("batch", admin.RelatedOnlyFieldListFilter)]
