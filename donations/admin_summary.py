"""The sum above the donation list, counted once for the sum and the pages.

The list shows the total, number of donations, units and head count of what its filters select
(DonationQuerySet.summary); the number of donations is also the number the paginator needs, so
the paginator computes the summary and the list reads it from there, instead of a COUNT(*) and
an aggregate over the same rows. A whole campaign, or every donation, is read from the campaign
rollups (campaigns/rollups.py). So are the first and last day the date drill-down offers.
"""

from campaigns.rollups import summary_of
from charity.admin_lists import KeysFirstPaginator


class DonationSummaryPaginator(KeysFirstPaginator):
    def __init__(self, object_list, per_page, *args, **kwargs):
        self.summary = summary_of(object_list)
        # The date drill-down's first and last day (charity/templatetags/admin_lists.py).
        self.date_span = (self.summary["first_gift"], self.summary["last_gift"])
        # Every row the list shows, reversed gifts and reversals included.
        super().__init__(object_list, per_page, *args, count=self.summary["rows"], **kwargs)
