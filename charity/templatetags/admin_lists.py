"""The admin's date drill-down without reading every row for its years (charity/admin_lists.py).

Django lists the years that have rows with SELECT DISTINCT over the whole list: at 1,000,000
donations a full scan and sort on every page (0.2-0.5 s). The first and last date of the list
come from the date column's index in one query; the years offered are those from the first to
the last (a year in between without rows shows an empty list when chosen). Within a year Django's
own months and days are cheap again and are kept: they read that year's rows only.
"""

import datetime

from django.contrib.admin.templatetags import admin_list
from django.contrib.admin.templatetags.base import InclusionAdminNode
from django.db import models
from django.template import Library
from django.utils import timezone

register = Library()


def date_hierarchy_by_range(cl):
    field_name = cl.date_hierarchy
    if cl.result_count == 0:
        return {"show": False}
    if any(key.startswith(f"{field_name}__") for key in cl.params):
        return admin_list.date_hierarchy(cl)
    # A paginator that already knows the list's first and last date says so (the donation list's
    # summary computes them with its sum: donations/admin_summary.py).
    first, last = getattr(cl.paginator, "date_span", (None, None))
    if first is None:
        span = cl.queryset.aggregate(first=models.Min(field_name), last=models.Max(field_name))
        first, last = span["first"], span["last"]
    if first is None:
        return {"show": True, "back": None, "choices": []}
    if isinstance(first, datetime.datetime) and timezone.is_aware(first):
        first, last = timezone.localtime(first), timezone.localtime(last)
    if first.year == last.year:
        # One year (one month): Django's months (days), without asking again for the first and
        # last date, which walks the date index past every other row when the list is filtered
        # by something else (a batch: 0.3 s).
        chosen = {f"{field_name}__year": str(first.year)}
        if first.month == last.month:
            chosen[f"{field_name}__month"] = str(first.month)
        return admin_list.date_hierarchy(_Chosen(cl, {**cl.params, **chosen}))
    year_field = f"{field_name}__year"
    return {
        "show": True,
        "back": None,
        "choices": [
            {"link": cl.get_query_string({year_field: str(year)}, [f"{field_name}__"]), "title": str(year)}
            for year in range(first.year, last.year + 1)
        ],
    }


class _Chosen:
    """The list as Django's date_hierarchy reads it, with a year (and month) already chosen; its
    links are still built from the list's own parameters."""

    def __init__(self, cl, params):
        self._cl, self.params = cl, params

    def __getattr__(self, name):
        return getattr(self._cl, name)


@register.tag(name="date_hierarchy_by_range")
def date_hierarchy_by_range_tag(parser, token):
    return InclusionAdminNode(
        parser, token, func=date_hierarchy_by_range, template_name="date_hierarchy.html", takes_context=False
    )
