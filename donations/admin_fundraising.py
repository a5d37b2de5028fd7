"""The donor admin's fundraising pieces (mixed into DonorAdmin): the lists fundraisers call from
(donations/fundraising.py), a donor's giving history on its page, and this year's and last year's
totals in the donor list."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.html import format_html

from campaigns.core import Campaign
from charity.money import yuan
from charity.spreadsheets import download

from . import fundraising
from .models import Donation, Donor, RemittanceLine

LIST_PAGE = 100
KIND_NAMES = dict(Campaign.Kind.choices)


class FundraisingAdminMixin:
    """URLs: lists/ (the lists; ?format=xlsx for the call list). Columns: this_year_total and
    last_year_total, annotated for the page's rows (DonorQuerySet.with_year_totals). Field:
    giving_history (read only)."""

    # Not sortable: sorting 400,000 donors by a sum would compute it for every one of them.
    @admin.display(description="本年度（元）")
    def this_year_total(self, donor):
        return format_html('<span class="number">{}</span>', yuan(donor.this_year))

    @admin.display(description="上年度（元）")
    def last_year_total(self, donor):
        return format_html('<span class="number">{}</span>', yuan(donor.last_year))

    def get_urls(self):
        lists = self.admin_site.admin_view(self.fundraising_lists_view)
        return [path("lists/", lists, name="donations_donor_lists"), *super().get_urls()]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        match = getattr(request, "resolver_match", None)
        if match is not None and match.url_name == "donations_donor_changelist":
            # One query for the year, whatever the rows; the sums are subqueries of the page's rows.
            queryset = queryset.with_year_totals(self._year(request))
        return queryset

    def _year(self, request):
        if not hasattr(request, "_giving_year"):
            request._giving_year = fundraising.default_year()
        return request._giving_year

    @admin.display(description="捐赠历史")
    def giving_history(self, donor):
        """Per year and campaign kind: the donor's own gifts and, for a person, the staff lines
        that name them (the money of those counts in the unit's remittance)."""
        if donor.pk is None:
            return "—"
        own = [
            {**row, "kind_name": KIND_NAMES.get(row["campaign__kind"], row["campaign__kind"])}
            for row in Donation.objects.filter(donor=donor).totals_by_year_and_kind()
        ]
        lines = []
        if donor.kind == Donor.Kind.INDIVIDUAL:
            lines = [
                {**row, "kind_name": KIND_NAMES.get(row["kind"], row["kind"])}
                for row in RemittanceLine.objects.filter(donor=donor).totals_by_year_and_kind()
            ]
        context = {"donor": donor, "own": own, "lines": lines}
        return render_to_string("admin/donations/donor/giving_history.html", context)

    def fundraising_lists_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        form = fundraising.FundraisingListForm.from_request(request)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "劝募名单",
            "form": form,
            "lists": fundraising.LISTS.values(),
        }
        if form.is_valid():
            data = form.cleaned_data
            entry = fundraising.LISTS[data["list"]]
            giving = fundraising.giving_on_list(
                self.get_queryset(request),
                entry,
                data["year"],
                data["kind"],
                data["campaign_kind"],
                data["sector"],
                data["branch"],
            )
            if request.GET.get("format") == "xlsx":
                body = fundraising.call_list_xlsx(entry, data["year"], giving)
                return download(body, f"劝募名单-{entry.key}-{data['year']}.xlsx")
            page = Paginator(giving, LIST_PAGE).get_page(request.GET.get("p"))
            page.object_list = fundraising.with_donors(page.object_list)
            query = request.GET.copy()
            query.pop("p", None)
            context.update(entry=entry, year=data["year"], page=page, query=query.urlencode())
        return TemplateResponse(request, "admin/donations/donor/fundraising_lists.html", context)
