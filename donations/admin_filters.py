"""The donation list's filters: they answer through indexes (bench/admin_bench.py), and the rows
they select come from donations/listing.py, which the export job calls as well."""

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import ImproperlyConfigured, SuspiciousOperation

from charity.admin_lists import UsedRelatedFieldListFilter

from . import listing
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


class DonationChangeList(ChangeList):
    """The donation list, its rows selected by donations.listing (the function the export job
    calls too), so an export holds what the list shows.

    Django's ChangeList.get_queryset, with one change: the filters' conditions come from
    `listing.filtered` over the query string's filter parameters, instead of each filter's own
    queryset(). The filters still offer the choices at the side, and get_filters still refuses a
    lookup the admin does not allow (lookup_allowed) before anything is read.
    """

    def get_queryset(self, request, exclude_parameters=None):
        specs = self.get_filters(request)
        self.filter_specs, self.has_filters, remaining, filters_may_repeat, self.has_active_filters = specs
        lookups = self.get_filters_params()
        for name in exclude_parameters or ():  # a facet's count leaves its own filter out
            lookups.pop(name, None)
        try:
            queryset = listing.filtered(self.root_queryset, lookups)
        except (SuspiciousOperation, ImproperlyConfigured):
            raise
        except Exception as error:  # a value the field refuses, as Django reports it
            raise IncorrectLookupParameters(error) from error
        if not queryset.query.select_related:
            queryset = self.apply_select_related(queryset)
        queryset = queryset.order_by(*self.get_ordering(request, queryset))
        queryset, search_may_repeat = self.model_admin.get_search_results(request, queryset, self.query)
        self.clear_all_filters_qs = self.get_query_string(
            new_params=remaining, remove=self.get_filters_params()
        )
        return queryset.distinct() if filters_may_repeat or search_may_repeat else queryset

    def selection(self):
        """What the export job needs to select these rows again (donations.listing)."""
        return {
            "lookups": self.get_filters_params(),
            "search": self.query,
            "ordering": listing.ordering_of(self.queryset),
        }
