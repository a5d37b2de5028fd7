"""The donation list's rows as a plain function of the ledger: its filters, search and order.

The admin's donation list (DonationChangeList, donations/admin_filters.py) and the export of that
list, in the request or later in the task worker (donations/tasks.py), select their rows here, so
an export holds what the list showed, and the worker needs no request and no admin to find them.

A selection is what the list's query string asked for, once the admin has checked it (only
lookups its filters allow, lookup_allowed): `lookups`, the filter parameters as lists of values
(ChangeList.get_filters_params); `search`, the search box; `ordering`, the fields the list sorts
by. It is JSON, kept in the export job's parameters.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.admin.utils import build_q_object_from_lookup_parameters, prepare_lookup_value
from django.utils.timezone import make_aware

from charity import searching

from .models import Donation, Donor
from .scoping import limit_to_scope

SEARCH_FIELDS = ["donor__name", "receipt_no", "donor__credit_code"]
# Codes searched only for three characters or more (charity/searching.py).
SEARCH_MIN_LENGTHS = {"receipt_no": 3, "donor__credit_code": 3}
DATE_DRILL_DOWN = "received_on"  # the list's date_hierarchy
DONOR_KIND = "donor__kind"  # DonorKindFilter's parameter, answered without a join


def filtered(donations, lookups):
    """`donations` narrowed by the list's filter parameters `lookups` ({name: [values]}).

    Every parameter is a field lookup, its values read as Django's list filters read them
    (`__isnull`, `__in`; several values of one parameter: any of them), except two: the donor's
    kind, asked through `by_donor_kind`, and the date drill-down's year, month and day, which
    become a range of days (an index range, not a date function on every row), as the admin's
    own drill-down does. Raises ValueError or ValidationError for a value the field refuses.
    """
    lookups = dict(lookups)
    kind = lookups.pop(DONOR_KIND, None)
    days = _drill_down_range(lookups)
    conditions = {name: prepare_lookup_value(name, values) for name, values in lookups.items()}
    if conditions:
        donations = donations.filter(build_q_object_from_lookup_parameters(conditions))
    if kind and kind[-1] in Donor.Kind.values:  # another value: no filter, as on the list
        donations = donations.by_donor_kind(kind[-1])
    if days:
        start, end = days
        donations = donations.filter(**{f"{DATE_DRILL_DOWN}__gte": start, f"{DATE_DRILL_DOWN}__lt": end})
    return donations


def _drill_down_range(lookups):
    """(first day, day after the last) the drill-down's parameters select, popped from `lookups`;
    None without them."""
    year = lookups.pop(f"{DATE_DRILL_DOWN}__year", None)
    month = lookups.pop(f"{DATE_DRILL_DOWN}__month", None)
    day = lookups.pop(f"{DATE_DRILL_DOWN}__day", None)
    if year is None:
        return None
    start = datetime(int(year[-1]), int(month[-1] if month else 1), int(day[-1] if day else 1))
    if day:
        end = start + timedelta(days=1)
    elif month:
        end = (start + timedelta(days=32)).replace(day=1)
    else:
        end = start.replace(year=start.year + 1)
    return (make_aware(start), make_aware(end)) if settings.USE_TZ else (start, end)


def searched(donations, search):
    """(`donations` matching the list's search box, whether a row may appear twice)."""
    return searching.search(donations, SEARCH_FIELDS, search, min_lengths=SEARCH_MIN_LENGTHS)


def ordering_of(queryset):
    """The fields `queryset` is sorted by, for a selection; the list sorts by fields only."""
    ordering = list(queryset.query.order_by)
    if not all(isinstance(field, str) for field in ordering):
        raise TypeError(f"捐赠列表的排序应只含字段名：{ordering!r}")
    return ordering


def donation_list(user, *, lookups, search="", ordering=()):
    """The donations the list shows `user` for this selection: within the user's branches (a
    liaison's scope), filtered, searched and sorted as the list is."""
    donations = filtered(limit_to_scope(Donation.objects.all(), user), lookups).order_by(*ordering)
    found, may_repeat = searched(donations, search)
    return found.distinct() if may_repeat else found
