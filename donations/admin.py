from django.contrib import admin, messages
from django.db.models import Count
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html

from charity import admin_publications
from charity.admin import AuditHistoryMixin
from charity.admin_columns import count_column, format_count, yuan_column
from charity.admin_concurrency import ConcurrentEditAdmin
from charity.admin_lists import (
    AutocompleteLabelsMixin,
    KeysFirstPaginator,
    KnownLabelAutocompleteSelect,
    SubquerySearchMixin,
    UsedRelatedFieldListFilter,
    is_autocomplete,
)
from charity.money import wan, yuan

from . import admin_follow_ups, line_search, listing, services  # noqa: F401  (admin_follow_ups registers 劝募跟进)
from .admin_filters import BranchListFilter, DonationChangeList, DonorKindFilter
from .admin_fundraising import FundraisingAdminMixin
from .admin_import_export import DonationImportExportMixin
from .admin_merge import DonorMergeMixin
from .admin_review import DonationReviewMixin
from .admin_spreadsheets import StaffSpreadsheetMixin
from .admin_summary import DonationSummaryPaginator
from .forms import DonationForm, RemittanceLineFormSet, liaison_checked_form
from .models import Branch, BranchLiaison, Donation, Donor, ImportBatch, RemittanceLine, Sector, donor_label
from .resources import BranchResource, DonorResource
from .scoping import BranchScopedAdmin, liaison_branch_ids


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
class BranchAdmin(
    BranchScopedAdmin, AuditHistoryMixin, AutocompleteLabelsMixin, StaffSpreadsheetMixin, admin.ModelAdmin
):
    resource_classes = [BranchResource]  # 导入/导出 Excel (docs/staff/import-export.md)
    list_display = ["name", "sector", "parent", "active"]
    list_filter = ["sector", "active"]
    list_select_related = ["sector", "parent__sector"]
    search_fields = ["name", "sector__name"]
    autocomplete_fields = ["parent"]
    ordering = ["sector__order", "name"]


class ScopedBranchChoices:
    """A liaison's gift or donor must count in its own branches (so the record stays its own);
    which records its choices may name at all is BranchScopedAdmin's (donations/scoping.py)."""

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        scope = liaison_branch_ids(request.user)
        return form if scope is None else liaison_checked_form(form, scope)


@admin.register(Donor)
class DonorAdmin(
    DonorMergeMixin,
    FundraisingAdminMixin,
    BranchScopedAdmin,
    ScopedBranchChoices,
    ConcurrentEditAdmin,
    AuditHistoryMixin,
    SubquerySearchMixin,
    StaffSpreadsheetMixin,
    admin.ModelAdmin,
):
    resource_classes = [DonorResource]  # 导入/导出 Excel (docs/staff/import-export.md)
    list_display = [
        "name", "kind", "credit_code", "sector", "branch", "employer", "this_year_total", "last_year_total",
        "display", "created_at",
    ]  # fmt: skip
    list_filter = ["kind", "display", "sector"]
    list_select_related = ["sector", "branch__sector", "employer"]
    search_fields = ["name", "credit_code", "alias", "phone"]
    search_min_lengths = {"credit_code": 3, "phone": 3}  # charity/admin_lists.py
    autocomplete_fields = ["employer", "branch"]
    ordering = ["kind", "name"]
    list_per_page = 50
    # Hundreds of thousands of donors (charity/admin_lists.py): the page's rows are sorted
    # without joins, and only the filtered list is counted.
    paginator = KeysFirstPaginator
    show_full_result_count = False
    fieldsets = [
        (None, {"fields": ["kind", "name", "credit_code", "sector", "branch", "employer"]}),
        ("联系方式", {"fields": ["contact_person", "phone", "address"]}),
        ("公开显示", {"fields": ["display", "alias"]}),
        ("备注", {"fields": ["note"]}),
        ("捐赠历史", {"fields": ["giving_history"]}),
    ]
    readonly_fields = ["giving_history"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if is_autocomplete(request):
            queryset = queryset.select_related("employer", "sector").with_last_gift()
        return queryset

    def autocomplete_label(self, donor):
        """Enough to tell two 张伟 apart in the donor picker: the unit (or sector), the last four
        digits of the telephone, the last gift (own or on a staff list)."""
        parts = [str(donor)]
        where = donor.employer or donor.sector
        parts.append(f"{donor.get_kind_display()}，{where}" if where else donor.get_kind_display())
        digits = "".join(c for c in donor.phone if c.isdigit())
        if digits:
            parts.append(f"电话尾号{digits[-4:]}")
        days = [day for day in (donor.last_gift_on, donor.last_line_on) if day is not None]
        parts.append(f"最近捐赠 {max(days):%Y-%m-%d}" if days else "无捐赠记录")
        return " · ".join(parts)


class RemittanceLineInline(admin.TabularInline):
    model = RemittanceLine
    fk_name = "remittance"
    formset = RemittanceLineFormSet
    extra = 0
    autocomplete_fields = ["donor"]
    fields = ["donor", "amount", "anonymous", "note"]
    template = "admin/donations/donation/remittance_lines.html"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("donor")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "donor":
            using = kwargs.get("using")
            kwargs["widget"] = KnownLabelAutocompleteSelect(db_field, self.admin_site, using=using)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    # On a confirmed gift's page the staff list is shown, not edited (RemittanceLine.save).
    def has_add_permission(self, request, obj=None):
        return not (obj is not None and obj.is_locked) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not (obj is not None and obj.is_locked) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not (obj is not None and obj.is_locked) and super().has_delete_permission(request, obj)


@admin.register(Donation)
class DonationAdmin(
    BranchScopedAdmin,
    ScopedBranchChoices,
    DonationReviewMixin,
    ConcurrentEditAdmin,
    AuditHistoryMixin,
    DonationImportExportMixin,
    SubquerySearchMixin,
    AutocompleteLabelsMixin,
    admin.ModelAdmin,
):
    form = DonationForm
    change_list_template = "admin/donations/donation/change_list.html"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if is_autocomplete(request):
            queryset = queryset.select_related("donor", "campaign")
        return queryset

    def autocomplete_label(self, donation):
        """Enough to pick the right gift (the gift that kept a follow-up's promise): besides the
        donor and amount, the day, the campaign and the receipt number tell a donor's 2022 gift
        from its 2023 one."""
        parts = [
            f"{donor_label(donation.donor, donation.anonymous)} {yuan(donation.amount)} 元",
            f"{donation.received_on:%Y-%m-%d}",
            donation.campaign.name,
        ]
        if donation.receipt_no:
            parts.append(f"票据号 {donation.receipt_no}")
        return " · ".join(parts)
    # Chosen to fit a 1280 px screen beside the filters (tests/browser/test_admin_donation_list.py):
    # sector and branch share one column, anonymity is a mark after the donor, and the text
    # columns are methods, which the admin lets wrap (it keeps foreign keys and dates on one line).
    list_display = [
        "date",
        "donor_name",
        "amount_yuan",
        "campaign_name",
        "counted_in",
        "channel",
        "people",
        "receipt_no",
        "status_label",
    ]
    list_display_links = ["date", "donor_name"]
    list_filter = [
        "status",
        "campaign",
        "sector",
        ("branch", BranchListFilter),
        "channel",
        "route",
        "received_on",
        "anonymous",
        DonorKindFilter,
        # Also where a batch's "its donations" link lands: the active filter shows which batch.
        ("batch", UsedRelatedFieldListFilter),
    ]
    list_select_related = ["donor", "campaign", "sector", "branch__sector"]
    # The page count comes with the sum above the list (donations/admin_summary.py); a second
    # count of every donation is not shown.
    paginator = DonationSummaryPaginator
    show_full_result_count = False
    # The list's rows, and its export's, are selected by donations/listing.py.
    search_fields = listing.SEARCH_FIELDS
    search_min_lengths = listing.SEARCH_MIN_LENGTHS
    autocomplete_fields = ["donor", "branch", "project"]
    date_hierarchy = listing.DATE_DRILL_DOWN
    ordering = ["-received_on", "-id"]
    list_per_page = 100
    readonly_fields = [
        "batch", "entered_by", "entered_at", "status", "confirmed_by", "confirmed_at", "reverses",
        "reversal_reason", "reversal_link",
    ]  # fmt: skip
    inlines = [RemittanceLineInline]
    actions = ["confirm_selected"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "campaign",
                    "donor",
                    "amount",
                    "received_on",
                    "allow_outside_dates",
                    "outside_dates_reason",
                    "channel",
                    "route",
                    "receipt_no",
                ]
            },
        ),
        ("计入", {"fields": ["sector", "branch", "head_count", "project"]}),
        (
            "审核",
            {
                "fields": [
                    "status",
                    "confirmed_by",
                    "confirmed_at",
                    "reversal_link",
                    "reverses",
                    "reversal_reason",
                ]
            },
        ),
        ("其他", {"fields": ["anonymous", "note", "batch", "entered_by", "entered_at"]}),
    ]

    amount_yuan = yuan_column("amount", "金额（元）")
    people = count_column("head_count", "人数")

    @admin.display(description="日期", ordering="received_on")
    def date(self, donation):
        return donation.received_on.isoformat()

    @admin.display(description="捐赠人", ordering="donor__name")
    def donor_name(self, donation):
        if donation.anonymous:
            return format_html(
                '{} <span class="anonymous-mark" title="公开时显示为爱心人士">（匿名）</span>',
                donor_label(donation.donor, anonymous=True),
            )
        # Through Donor.__str__: a liaison reads a donor outside its branches as the public does.
        return str(donation.donor)

    @admin.display(description="活动", ordering="campaign__name")
    def campaign_name(self, donation):
        return donation.campaign.name

    @admin.display(description="计入版块 › 分会", ordering="sector__order")
    def counted_in(self, donation):
        # A branch's name already starts with its sector's (Branch.__str__).
        return str(donation.branch or donation.sector or "") or None

    @admin.display(description="冲正记录")
    def reversal_link(self, donation):
        reversal = donation.reversals.first() if donation.pk else None
        if reversal is None:
            return None
        url = reverse("admin:donations_donation_change", args=[reversal.pk])
        return format_html('<a href="{}">#{}</a>：{}', url, reversal.pk, reversal.reversal_reason)

    def get_changelist(self, request, **kwargs):
        return DonationChangeList

    def get_inlines(self, request, obj):
        # Remittance lines are a unit's staff list: an individual's gift has none to show or add
        # (RemittanceLineFormSet refuses them on save, also on the add page). Lines that
        # somehow exist stay visible, so they can be seen and removed.
        if obj is not None and obj.donor.kind == Donor.Kind.INDIVIDUAL and not obj.lines.exists():
            return []
        return super().get_inlines(request, obj)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.entered_by = request.user
        super().save_model(request, obj, form, change)

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        if changelist is not None:
            if not changelist.result_count:
                # Nothing to list: no need to look for it again (a rare value of an unindexed
                # column is a whole scan).
                changelist.result_list = changelist.queryset.none()
            # The sum of what the filters selected, not only the page shown.
            summary = dict(changelist.paginator.summary)
            summary["total_yuan"] = yuan(summary["total"])
            summary["total_wan"] = wan(summary["total"])
            for count in ("donations", "units", "head_count"):
                if summary[count] is not None:  # units and people only within one campaign
                    summary[count] = format_count(summary[count])
            response.context_data["donation_summary"] = summary
            if changelist.query:
                # A person who gave through their unit's staff list has no gift of their own here.
                found, lines = line_search.lines_naming(request.user, changelist.query)
                response.context_data["staff_lines_found"] = {"count": found, "lines": lines}
        return response


@admin.register(ImportBatch)
class ImportBatchAdmin(AuditHistoryMixin, admin.ModelAdmin):
    list_display = [
        "file_name",
        "campaign",
        "status",
        "rows",
        "donation_rows",
        "line_rows",
        "total_yuan",
        "created_by",
        "created_at",
        "donations_link",
    ]
    # Counts and money as every admin list shows them (charity/admin_columns.py). Not named
    # "donations" or "lines": the admin sorts a column named like a relation by that relation,
    # which listed each batch once per donation.
    rows = count_column("row_count", "行数")
    donation_rows = count_column("donation_count", "捐赠记录数")
    line_rows = count_column("line_count", "明细行数")
    total_yuan = yuan_column("total_amount", "总金额（元）")
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
        """Undoing a batch that published documents counted is confirmed on a page listing them
        and the figures that would change; afterwards their 更正说明 are drafted."""
        batches = list(queryset)
        if not admin_publications.confirmed(request):
            contradicted = admin_publications.would_contradict(
                lambda: self._rollback_all(batches, request.user), [services.BatchStateError]
            )
            if contradicted:
                context = {
                    **self.admin_site.each_context(request),
                    "opts": self.opts,
                    "title": "撤销导入批次：会与已公布文件不一致",
                    "batches": batches,
                    "contradicted": contradicted,
                    "confirm_field": admin_publications.CONFIRM_FIELD,
                }
                return TemplateResponse(request, "admin/donations/importbatch/confirm_rollback.html", context)
        names = "、".join(batch.file_name for batch in batches)
        admin_publications.do_and_prepare_corrections(
            request,
            self,
            lambda: self._run(request, batches, services.rollback_batch, "已撤销"),
            cause=f"撤销导入批次：{names}",
        )

    @staticmethod
    def _rollback_all(batches, user):
        for batch in batches:
            try:
                services.rollback_batch(batch, user)
            except services.BatchStateError:
                pass  # refused batches change nothing; the real run reports them

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
class RemittanceLineAdmin(BranchScopedAdmin, AuditHistoryMixin, SubquerySearchMixin, admin.ModelAdmin):
    list_display = ["person", "amount_yuan", "remittance", "anonymous"]
    list_select_related = ["donor", "remittance__donor"]
    search_fields = ["donor__name", "remittance__receipt_no", "remittance__donor__name"]
    search_min_lengths = {"remittance__receipt_no": 3}  # charity/admin_lists.py
    autocomplete_fields = ["donor", "remittance"]
    list_filter = ["remittance__campaign", ("batch", UsedRelatedFieldListFilter)]
    # A line's batch is set by the import that wrote it: rolling a batch back deletes its lines,
    # so a line put into a batch by hand would go with someone else's file.
    readonly_fields = ["batch"]
    amount_yuan = yuan_column("amount", "金额（元）")
    # Millions of lines (charity/admin_lists.py): the page's rows are sorted without joins, and
    # only the filtered list is counted.
    paginator = KeysFirstPaginator
    show_full_result_count = False

    # Two million lines are sorted only where an index keeps them in order: by remittance, and
    # by the person's name (donor_name_idx; by the donor's kind and name, every line was joined
    # and sorted for each page). Sorting all of them by amount or anonymity took 0.3-0.6 s a
    # page, and an index for it would slow every import; a remittance's, a batch's or a
    # person's lines are found by their link, filter or search.
    sortable_by = ["person", "remittance"]

    @admin.display(description="捐赠人", ordering="donor__name")
    def person(self, line):
        return donor_label(line.donor, line.anonymous)

    # A confirmed remittance's lines are part of what was confirmed (RemittanceLine.save).
    def has_change_permission(self, request, obj=None):
        return not (obj is not None and obj.remittance.is_locked) and super().has_change_permission(
            request, obj
        )

    def has_delete_permission(self, request, obj=None):
        return not (obj is not None and obj.remittance.is_locked) and super().has_delete_permission(
            request, obj
        )


@admin.register(BranchLiaison)
class BranchLiaisonAdmin(AuditHistoryMixin, admin.ModelAdmin):
    list_display = ["user", "branch"]
    list_select_related = ["user", "branch__sector"]
    autocomplete_fields = ["user", "branch"]
    search_fields = ["user__username", "branch__name"]


# The 对账 pages (statements, column mappings) live with their package.
from .reconciliation import admin as reconciliation_admin  # noqa: E402, F401
