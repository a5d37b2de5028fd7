"""劝募跟进 in the back office: the list (with 「我的待跟进」), the form, scoped and audited like the
donors it names (docs/staff/fundraising.md)."""

from django.contrib import admin
from django.utils import timezone
from django.utils.html import format_html

from charity.admin import AuditHistoryMixin
from charity.admin_columns import yuan_column
from charity.admin_lists import SubquerySearchMixin
from charity.money import yuan

from .models import FollowUp
from .scoping import BranchScopedAdmin


class DueFilter(admin.SimpleListFilter):
    """「我的待跟进」: the account's own follow-ups whose next date has come (FollowUpQuerySet.due_for)."""

    title = "我的跟进"
    parameter_name = "mine"

    def lookups(self, request, model_admin):
        return [("due", "我的待跟进（已到下次跟进日期）"), ("all", "我记录的全部跟进")]

    def queryset(self, request, queryset):
        if self.value() == "due":
            return queryset.due_for(request.user)
        if self.value() == "all":
            return queryset.filter(staff=request.user)
        return queryset


class PromiseFilter(admin.SimpleListFilter):
    title = "承诺"
    parameter_name = "promise"

    def lookups(self, request, model_admin):
        return [("open", "待兑现"), ("kept", "已兑现")]

    def queryset(self, request, queryset):
        if self.value() == "open":
            return queryset.open_promises()
        if self.value() == "kept":
            return queryset.kept()
        return queryset


@admin.register(FollowUp)
class FollowUpAdmin(BranchScopedAdmin, AuditHistoryMixin, SubquerySearchMixin, admin.ModelAdmin):
    list_display = ["contacted_on", "donor_name", "method", "staff", "promised", "promise", "next_on"]
    list_display_links = ["contacted_on", "donor_name"]
    list_filter = [DueFilter, PromiseFilter, "method", "campaign"]
    list_select_related = ["donor", "staff", "gift"]
    search_fields = ["donor__name", "outcome"]
    autocomplete_fields = ["donor", "gift"]
    date_hierarchy = "contacted_on"
    fieldsets = [
        (None, {"fields": ["donor", "contacted_on", "method", "staff", "outcome"]}),
        ("承诺与下一步", {"fields": ["campaign", "promised_amount", "gift", "next_on"]}),
    ]
    promised = yuan_column("promised_amount", "承诺金额（元）")

    @admin.display(description="单位或个人", ordering="donor__name")
    def donor_name(self, follow_up):
        return str(follow_up.donor)  # Donor.__str__: a liaison reads an outsider in public form

    @admin.display(description="兑现情况")
    def promise(self, follow_up):
        gift = follow_up.gift if follow_up.gift_id is not None else None
        if gift is not None and follow_up.promised_amount and gift.amount < follow_up.promised_amount:
            return format_html(
                '<span class="promise-partly">部分兑现</span>（{} 元，{}；尚差 {} 元）',
                yuan(gift.amount),
                gift.received_on.isoformat(),
                yuan(follow_up.promised_amount - gift.amount),
            )
        if gift is not None:
            return format_html(
                '<span class="promise-kept">已兑现</span>（{} 元，{}）',
                yuan(follow_up.gift.amount),
                follow_up.gift.received_on.isoformat(),
            )
        if follow_up.promised_amount:
            return "待兑现"
        return "—"

    def get_changeform_initial_data(self, request):
        return {
            "staff": request.user.pk,
            "contacted_on": timezone.localdate(),
            **super().get_changeform_initial_data(request),
        }
