"""A search of 捐赠 for a person also looks in the staff lines (汇款明细).

A person who gave through their unit's staff list has no donation of their own: the donation
list's search finds nothing for them. The list then says how many staff lines name them and in
whose remittance, with a link to those lines (DonationAdmin.changelist_view).
"""

from django.db.models import Q
from django.utils.text import smart_split

from charity.searching import search_condition

from .models import RemittanceLine
from .scoping import limit_to_scope

SHOWN = 5


def lines_naming(user, term):
    """(number of staff lines, the first SHOWN of them) whose person's name contains every word
    of `term`, among the lines `user` may see; the lines come with their remittance's unit and
    campaign."""
    words = [word for word in smart_split(term) if word.strip("\"'")]
    if not words:
        return 0, []
    lines = limit_to_scope(RemittanceLine.objects.all(), user)
    for word in words:
        lines = lines.filter(Q(search_condition(RemittanceLine, "donor__name", word.strip("\"'"))))
    count = lines.count()
    if not count:
        return 0, []
    first = lines.select_related("donor", "remittance__donor", "remittance__campaign").order_by(
        "-remittance__received_on", "-id"
    )[:SHOWN]
    return count, list(first)
