"""Pieces that keep admin lists fast with ten years of data (bench/admin_bench.py).

Django's admin answers a list with a handful of queries, but several of them read every row:
a related-only filter asks for the DISTINCT values of a column over the whole table, a search
across a relation joins every row to the related table before comparing, a page sorted by a
column sorts the whole join of the rows it displays, and the date drill-down asks for the
distinct years of every row (charity/templatetags/admin_lists.py). At 1,000,000 donations each
costs from a quarter of a second to several seconds; labels that read a related object cost a
query per row. The pieces here answer the same questions through indexes and keys.
"""

from django.contrib import admin
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef

from . import searching


class UsedRelatedFieldListFilter(admin.RelatedOnlyFieldListFilter):
    """The related objects that occur in the list (RelatedOnlyFieldListFilter), found by probing
    the list's foreign-key index once per related object.

    Django's version lists the DISTINCT values of the column over the whole list: a scan of a
    million donations to find 400 import batches (0.3 s). Here each batch asks whether one of
    its donations is in the list (EXISTS), which the index on the column answers at once.
    `select_related` names what each object's label reads (a branch's name includes its sector).
    """

    select_related = ()

    def field_choices(self, field, request, model_admin):
        rows = model_admin.get_queryset(request).filter(**{self.field_path: OuterRef("pk")})
        related = field.related_model._default_manager.filter(Exists(rows))
        ordering = self.field_admin_ordering(field, request, model_admin)
        if ordering:
            related = related.order_by(*ordering)
        return [(obj.pk, str(obj)) for obj in related.select_related(*self.select_related)]


class SubquerySearchMixin:
    """The admin's search, with fields of related models searched in their own table first
    (charity/searching.py: why, and what matches). `search_min_lengths` names fields (numbers
    and codes) searched only for words at least that long."""

    search_min_lengths = {}
    # Up to this many rows found, the list's queries (count, sum, page) read them by key instead
    # of searching again each.
    search_key_limit = searching.KEY_LIMIT

    def get_search_results(self, request, queryset, search_term):
        fields = [str(field) for field in self.get_search_fields(request)]
        limits = {"min_lengths": self.search_min_lengths, "key_limit": self.search_key_limit}
        return searching.search(queryset, fields, search_term, **limits)


class KeysFirstPaginator(Paginator):
    """Pages a long list in two steps: the keys of the page's rows, sorted without the joins the
    list only displays; then those rows with their related objects.

    Sorting a page of a million donations by amount is a bounded top-N sort of one table (0.15 s);
    with the donor, campaign, sector and branch joined first, PostgreSQL sorts the whole join
    (1.5-2.5 s). The second query keeps the list's ordering, so it is still a queryset in the
    list's order (list_editable and actions work on it unchanged).

    `count`, when given, is the number of rows already known (the donation list's summary
    counts them), which saves the COUNT(*) of the filtered list.
    """

    def __init__(self, object_list, per_page, *args, count=None, **kwargs):
        super().__init__(object_list, per_page, *args, **kwargs)
        if count is not None:
            self.count = count

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        keys = list(self.object_list.values_list("pk", flat=True)[bottom:top])
        return self._get_page(self.object_list.filter(pk__in=keys), number, self)


class AutocompleteLabelsMixin:
    """Autocomplete answers fetch what their labels read in the same query, and are paged plainly.

    The admin's autocomplete labels each of its 20 answers with str(obj): a branch names its
    sector, a donation its donor, one query each. The list's `list_select_related` names what
    the labels read. The answers are paged by a plain paginator, not the list's own (the donation
    list's also sums what it lists).
    """

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if _autocomplete(request) and self.list_select_related:
            queryset = queryset.select_related(*self.list_select_related)
        return queryset

    def get_paginator(self, request, queryset, per_page, orphans=0, allow_empty_first_page=True):
        if _autocomplete(request):
            return KeysFirstPaginator(queryset, per_page, orphans, allow_empty_first_page)
        return super().get_paginator(request, queryset, per_page, orphans, allow_empty_first_page)


def _autocomplete(request):
    match = getattr(request, "resolver_match", None)
    return match is not None and match.url_name == "autocomplete"


is_autocomplete = _autocomplete


class LabelledAutocompleteJsonView(AutocompleteJsonView):
    """The admin's autocomplete, each answer labelled by its model admin's `autocomplete_label(obj)`
    where it has one (a donor's label tells two 张伟 apart), else by str(obj) as Django does.
    Installed as the site's autocomplete view by charity/apps.py."""

    def serialize_result(self, obj, to_field_name):
        result = super().serialize_result(obj, to_field_name)
        label = getattr(self.model_admin, "autocomplete_label", None)
        if label is not None:
            result["text"] = label(obj)
        return result


def labelled_autocomplete_view(site):
    def autocomplete_view(request):
        return LabelledAutocompleteJsonView.as_view(admin_site=site)(request)

    return autocomplete_view


class KnownLabelAutocompleteSelect(AutocompleteSelect):
    """An autocomplete box that labels its chosen object from the form's instance.

    Django asks the database for the chosen object of every box it renders: a unit's staff list
    of 240 lines cost 240 queries on the donation's page. `label_known_choices` gives each box
    the object its instance already holds (fetched with the inline's select_related).
    """

    known = {}

    def optgroups(self, name, value, attr=None):
        selected = {str(v) for v in value if str(v) not in self.choices.field.empty_values}
        if not selected or not selected <= self.known.keys():
            return super().optgroups(name, value, attr)
        options = []
        if not self.is_required and not self.allow_multiple_selected:
            options.append(self.create_option(name, "", "", False, 0))
        for key in sorted(selected):
            options.append(self.create_option(name, key, self.known[key], selected, len(options)))
        return [(None, options, 0)]


def label_known_choices(form, *names):
    """Let the KnownLabelAutocompleteSelect boxes `names` of `form` label what its instance holds."""
    for name in names:
        widget = form.fields[name].widget
        widget = getattr(widget, "widget", widget)  # inside the admin's add/change-links wrapper
        field = form.instance._meta.get_field(name)
        if isinstance(widget, KnownLabelAutocompleteSelect) and field.is_cached(form.instance):
            related = getattr(form.instance, name)
            if related is not None:
                widget.known = {str(related.pk): str(related)}
