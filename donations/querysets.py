"""Reads that aggregate donations. Every sum is done by the database, in exact decimals."""

from django.db import models
from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce

from charity.money import money_sum


class DonationQuerySet(models.QuerySet):
    def for_campaign(self, campaign):
        return self.filter(campaign=campaign)

    def for_year(self, year):
        return self.filter(campaign__year=year)

    def total(self):
        """The sum of all amounts in this queryset (Decimal, 0.00 when empty)."""
        return self.aggregate(total=money_sum())["total"]

    def summary(self):
        """Total, number of donations, participating units and head count, in one query."""
        result = self.aggregate(
            total=money_sum(),
            donations=Count("id"),
            units=Count("donor", filter=Q(donor__kind="unit"), distinct=True),
            **self._head_count_parts(),
        )
        result["head_count"] = result.pop("staff") + result.pop("people")
        return result

    def participating_units(self):
        return self.filter(donor__kind="unit").values("donor").distinct().count()

    def head_count(self):
        """参与人数: staff counted on unit remittances plus one for each individual giving directly."""
        result = self.aggregate(**self._head_count_parts())
        return result["staff"] + result["people"]

    @staticmethod
    def _head_count_parts():
        # One definition for every place that shows 参与人数 (admin sum, reports): a person who
        # gives on their own counts once however often they give.
        return {
            "staff": Coalesce(Sum("head_count", filter=Q(donor__kind="unit")), 0),
            "people": Count("donor", filter=Q(donor__kind="individual"), distinct=True),
        }

    def totals_by_sector(self):
        """One row per sector as counted (None for money not yet assigned), in report order."""
        return (
            self.values("sector_id", "sector__name", "sector__order")
            .annotate(total=money_sum(), donations=Count("id"))
            .order_by(models.F("sector__order").asc(nulls_last=True), "sector__name")
        )

    def totals_by_branch(self):
        return (
            self.values("branch_id", "branch__name", "sector_id", "sector__name")
            .annotate(total=money_sum(), donations=Count("id"))
            .order_by("-total", "branch__name")
        )

    def totals_by_donor(self):
        """Donors by what they gave, largest first; the basis of rankings."""
        return (
            self.values("donor_id", "donor__name", "donor__kind")
            .annotate(total=money_sum(), donations=Count("id"))
            .order_by("-total", "donor__name")
        )

    def totals_by_campaign(self):
        return (
            self.values("campaign_id", "campaign__name", "campaign__year")
            .annotate(total=money_sum(), donations=Count("id"))
            .order_by("-campaign__year", "campaign__name")
        )


class DonorQuerySet(models.QuerySet):
    def units(self):
        return self.filter(kind="unit")

    def individuals(self):
        return self.filter(kind="individual")

    def with_totals(self, campaign=None):
        condition = Q(donations__campaign=campaign) if campaign is not None else Q()
        return self.annotate(
            donated_total=money_sum("donations__amount", filter=condition),
            donation_count=Count("donations", filter=condition),
        )
