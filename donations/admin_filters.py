"""List filters of the donation list that answer through indexes (bench/admin_bench.py)."""

from django.contrib import admin

from charity.admin_lists import UsedRelatedFieldListFilter

from .models import Donor


class BranchListFilter(UsedRelatedFieldListFilter):
    """The branches that occur in the list, with their sector fetched in the same query.

    A branch's name includes its sector's; without select_related each listed branch cost one
    query on every changelist page and export.
    """

    select_related = ["sector"]


class DonorKindFilter(admin.SimpleListFilter):
    """单位 or 个人: whether the donor is one of the units, asked without a join to every donor.

    The admin's own `donor__kind` filter joins each donation to its donor; with a million
    donations the join alone took longer than the rest of the page. A donor is a unit or a
    person (a constraint), so a person's gift is one whose donor is not among the thousand
    units. (A saved link with the admin's old `donor__kind__exact` still works, the slow way.)
    """

    title = "捐赠人类型"
    parameter_name = "donor__kind"

    def lookups(self, request, model_admin):
        return Donor.Kind.choices

    def queryset(self, request, queryset):
        if self.value() in Donor.Kind.values:
            return queryset.by_donor_kind(self.value())
        return queryset
