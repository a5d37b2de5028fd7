"""The admin's date drill-down without reading every row for its years (charity/admin_lists.py).

Django lists the years (or a year's months) that have rows with SELECT DISTINCT over the whole
list: at 1,000,000 donations a full scan and sort on every page (0.2-0.5 s), and 0.09 s for the
months of a year's 100,000 gifts. The first and last date of the list come from the date column's
index in one query (or with the donation list's sum); the years, or a year's months, offered are
those from the first to the last (one in between without rows shows an empty list when chosen).
Within a month Django's own days are cheap again and are kept: they read that month's rows only.
"""

import datetime

from django.contrib.admin.templatetags import admin_list
from django.contrib.admin.templatetags.base import InclusionAdminNode
from django.db import models
from django.template import Library
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

register = Library()


def date_hierarchy_by_range(cl):
    field_name = cl.date_hierarchy
    if cl.result_count == 0:
        return {"show": False}
    year_field, month_field = f"{field_name}__year", f"{field_name}__month"
    chosen = {key for key in cl.params if key.startswith(f"{field_name}__")}
    if chosen - {year_field}:  # a month (or day) chosen: Django's days read that month's rows only
        return admin_list.date_hierarchy(cl)
    first, last = _date_span(cl)
    if first is None:
        return {"show": True, "back": None, "choices": []}

    def link(filters):
        return cl.get_query_string(filters, [f"{field_name}__"])

    if first.year != last.year and not chosen:
        return {
            "show": True,
            "back": None,
            "choices": [
                {"link": link({year_field: str(year)}), "title": str(year)}
                for year in range(first.year, last.year + 1)
            ],
        }
    if first.month == last.month and not chosen:
        # One month: Django's days, without asking again for the first and last date, which walks
        # the date index past every other row when the list is filtered by something else (a
        # batch: 0.3 s).
        month = {year_field: str(first.year), month_field: str(first.month)}
        return admin_list.date_hierarchy(_Chosen(cl, {**cl.params, **month}))
    year = first.year  # a year chosen, or every row within one
    return {
        "show": True,
        "back": {"link": link({}), "title": _("All dates")},
        "choices": [
            {
                "link": link({year_field: year, month_field: month}),
                "title": capfirst(formats.date_format(datetime.date(year, month, 1), "YEAR_MONTH_FORMAT")),
            }
            for month in range(first.month, last.month + 1)
        ],
    }


def _date_span(cl):
    """The list's first and last date (local dates of a datetime field)."""
    # A paginator that already knows the list's first and last date says so (the donation list's
    # summary computes them with its sum: donations/admin_summary.py).
    first, last = getattr(cl.paginator, "date_span", (None, None))
    if first is None:
        span = cl.queryset.aggregate(first=models.Min(cl.date_hierarchy), last=models.Max(cl.date_hierarchy))
        first, last = span["first"], span["last"]
    if isinstance(first, datetime.datetime) and timezone.is_aware(first):
        first, last = timezone.localtime(first), timezone.localtime(last)
    return first, last


class _Chosen:
    """The list as Django's date_hierarchy reads it, with a year and month already chosen; its
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
