"""Reads of donations: aggregates, and the rows the public may see.

Every sum is done by the database, in exact decimals. Every name that leaves the back office
(public pages, images, feeds, downloads, PDFs) is computed here, in SQL, by `public_name`: a
public page never reads `donor.name`.
"""

import datetime

from django.db import models
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    ExpressionWrapper,
    F,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, NullIf, Trim

from charity.money import ZERO as ZERO_YUAN
from charity.money import money_sum

# What the public sees instead of the name of a donor who asked not to be named.
ANONYMOUS_NAME = "爱心人士"

# Gifts that stand: not reversed, and not a reversing entry (冲正). A reversed gift and its
# reversal add up to zero, so every sum may run over all rows and stay right; counts (gifts,
# units, people) and per-donor lists count only the gifts that stand. One column, no join: the
# status is kept on both rows of a pair (Donation.Status). The one definition is standing();
# the campaign core reaches it through the relation (CampaignQuerySet.with_totals).
STANDING_STATUSES = ["pending", "confirmed"]


# Public means confirmed (#19): every public surface (pages, honor rolls, rankings, the look-up,
# share images, downloads, the annual summary, the dashboard's public figures) counts only money
# a reviewer has confirmed. A gift still 待审核 (entered by hand, or in an import batch not yet
# confirmed as final) is in no public total, list or count; a public page may only say that some
# money is still being checked (DonationQuerySet.under_review). Reversed gifts and their reversals
# were confirmed before they were cancelled: they stay in, so the pair adds up to zero in every
# sum and an honor roll can print the correction of a gift an earlier issue published.
REVIEWED = ["confirmed", "reversed", "reversal"]


def publicly_counted(prefix=""):
    """Q: the gift reached through `prefix` ("" for a donation, "remittance__" from a staff line)
    counts on public surfaces: it was confirmed (see REVIEWED). The one definition; the QuerySet
    methods `public()` filter by it and the look-up reads it to answer 正在核对."""
    return Q(**{f"{prefix}status__in": REVIEWED})


def standing(prefix=""):
    """Q: the gift reached through `prefix` ("" for a donation, "remittance__" from a staff line,
    "donations__" from a campaign) stands (see STANDING_STATUSES)."""
    return Q(**{f"{prefix}status__in": STANDING_STATUSES})


STANDING = standing()


def shown_anonymous(gift="", donor="donor__"):
    """True where the public must not see the donor's name: the gift or the donor asks for it.

    `gift` is the path to the gift's row ("" for a donation, "remittance__" for a line's
    remittance), `donor` the path to its donor.
    """
    return ExpressionWrapper(_hidden(gift, donor), output_field=BooleanField())


def _hidden(gift, donor):
    return Q(**{f"{gift}anonymous": True}) | Q(**{f"{donor}display": "anonymous"})


def public_name(gift="", donor="donor__"):
    """The donor's name as the public may see it: 爱心人士, the chosen alias, or the real name.

    An alias left blank falls back to 爱心人士, never to the real name: whoever chose an alias
    did not want to be named.
    """
    return Case(
        When(_hidden(gift, donor), then=Value(ANONYMOUS_NAME)),
        When(
            **{f"{donor}display": "alias"},
            then=Coalesce(NullIf(Trim(f"{donor}alias"), Value("")), Value(ANONYMOUS_NAME)),
        ),
        default=F(f"{donor}name"),
        output_field=CharField(),
    )


def public_name_of(donor, anonymous=False):
    """public_name() for one donor in Python, for what names a single record (a message, an
    audit entry); `anonymous` is the gift's or line's own wish."""
    if anonymous or donor.display == "anonymous":
        return ANONYMOUS_NAME
    if donor.display == "alias":
        return donor.alias.strip() or ANONYMOUS_NAME
    return donor.name


def public_totals(queryset, *fields, counted=None):
    """Totals per donor as the public may see them, largest first (see totals_by_donor).

    `fields` are more columns to group by, e.g. "sector_id" for a list per sector; `counted`
    which rows the count of gifts counts (all when None).
    """
    return (
        queryset.values(
            "donor_id",
            *fields,
            donor_kind=F("donor__kind"),
            shown_anonymous=shown_anonymous(),
            public_name=public_name(),
        )
        .annotate(total=money_sum(), donations=Count("id", filter=counted))
        # A donor whose gifts were all reversed has nothing left to show.
        .filter(total__gt=0)
        .order_by("-total", "public_name", "donor_id")
    )


class DonationQuerySet(models.QuerySet):
    def for_campaign(self, campaign):
        return self.filter(campaign=campaign)

    def for_year(self, year):
        return self.filter(campaign__year=year)

    def into_account(self):
        """The gifts that passed through the federation's account (到账方式 总会账户): what any
        figure "into the account" counts. Every other total counts direct gifts too."""
        return self.filter(route="account")

    def direct(self):
        """Gifts given straight to a beneficiary or a disaster area (直接捐赠)."""
        return self.filter(route="direct")

    def standing(self):
        """The gifts that stand: neither reversed nor a reversing entry (see STANDING)."""
        return self.filter(STANDING)

    @staticmethod
    def standing_condition(prefix=""):
        """The module's standing(prefix), for a model that reaches donations through a relation
        without importing the ledger (Campaign.objects.with_totals())."""
        return standing(prefix)  # the module's function: a class body's names are not seen here

    def pending(self):
        return self.filter(status="pending")

    def public(self):
        """What every public surface counts: confirmed gifts, with reversed ones and their
        reversals (which cancel out), never a gift still under review (see REVIEWED)."""
        return self.filter(publicly_counted())

    def under_review(self):
        """{"donations": n, "total": amount} of the gifts still under review (待审核): what a
        public page may mention in one line (另有 N 笔、X 元正在核对), never in its totals."""
        return self.exclude(publicly_counted()).aggregate(donations=Count("id"), total=money_sum())

    def total(self):
        """The sum of all amounts in this queryset (Decimal, 0.00 when empty)."""
        return self.aggregate(total=money_sum())["total"]

    def summary(self):
        """Total, number of donations, participating units and head count, in one query."""
        result = self.summary_parts()
        result["head_count"] = result.pop("staff") + result.pop("people")
        for detail in ("rows", "first_gift", "last_gift"):
            del result[detail]
        return result

    def summary_parts(self):
        """summary() with the head count in its two parts, `staff` and `people` (see head_count),
        the number of rows (reversed gifts and reversals included: what a list of them pages
        through) and the dates of the first and last gift (None without gifts)."""
        return self.aggregate(**self.summary_aggregates())

    def summary_aggregates(self):
        """The aggregates of summary_parts(), for a query grouped by something (annotate)."""
        return {**self._sums(), **self._givers()}

    def sums(self):
        """The additive part of summary_parts() (no units or people) with the first and last
        campaign's id. Without a distinct count PostgreSQL can share the work among its workers:
        0.13 s for 990,000 gifts against 0.5 s with the distinct counts (bench/admin_bench.py)."""
        return self.aggregate(
            **self._sums(), first_campaign=Min("campaign_id"), last_campaign=Max("campaign_id")
        )

    def _sums(self):
        return {
            "total": money_sum(),
            "rows": Count("id"),
            "donations": Count("id", filter=STANDING),
            "staff": self._head_count_parts()["staff"],
            "first_gift": Min("received_on"),
            "last_gift": Max("received_on"),
        }

    def _givers(self):
        return {
            "units": Count("donor", filter=self._by_units() & STANDING, distinct=True),
            "people": self._head_count_parts()["people"],
        }

    def by_donor_kind(self, kind):
        """The gifts of units (kind "unit") or of people ("individual"), asked as whether the
        donor is one of the units (see _by_units)."""
        return self.filter(self._by_units()) if kind == "unit" else self.exclude(self._by_units())

    def donor_kind(self):
        """An expression: "unit" for a unit's gift, "individual" for a person's."""
        return Case(When(self._by_units(), then=Value("unit")), default=Value("individual"))

    def givers(self):
        """{"units": .., "people": ..}: how many distinct units and individuals gave, in one query."""
        return self.aggregate(**self._givers())

    def participating_units(self):
        return self.filter(STANDING, donor__kind="unit").values("donor").distinct().count()

    def head_count(self):
        """参与人数: staff counted on unit remittances plus one for each individual giving directly."""
        result = self.aggregate(**self._head_count_parts())
        return result["staff"] + result["people"]

    def _head_count_parts(self):
        # One definition for every place that shows 参与人数 (admin sum, reports): a person who
        # gives on their own counts once however often they give.
        return {
            "staff": Coalesce(Sum("head_count", filter=self._by_units() & STANDING), 0),
            "people": Count("donor", filter=~self._by_units() & STANDING, distinct=True),
        }

    def _by_units(self):
        """Q: a unit's gift; its negation, a person's (a donor is one or the other, a constraint).

        Asked as "is the donor one of the units" (about a thousand keys, which PostgreSQL hashes)
        rather than through a join to every donor: a year of gifts is summed in 30 ms instead of
        140 ms, most of which went into hashing 400,000 donors.
        """
        donors = self.model._meta.get_field("donor").related_model
        return Q(donor__in=donors._base_manager.filter(kind="unit").values("pk"))

    def totals_by_sector(self):
        """One row per sector as counted (None for money not yet assigned), in report order."""
        return (
            self.values("sector_id", "sector__name", "sector__order")
            .annotate(total=money_sum(), donations=Count("id", filter=STANDING))
            .order_by(models.F("sector__order").asc(nulls_last=True), "sector__name")
        )

    def totals_by_branch(self):
        return (
            self.values("branch_id", "branch__name", "sector_id", "sector__name")
            .annotate(total=money_sum(), donations=Count("id", filter=STANDING))
            .order_by("-total", "branch__name")
        )

    def for_public_display(self):
        """The donations as the public may see them: dicts whose only name is `public_name`.

        No donor id and no real name: an anonymous gift must not be linkable to the same donor's
        named ones, so what a row carries is the gift and where it counts. Only gifts that stand:
        a reversed gift and its reversal are not listed, nor a gift still under review.
        """
        return (
            self.public()
            .filter(STANDING)
            .values(
                "id",
                "amount",
                "received_on",
                "campaign_id",
                "sector_id",
                "branch_id",
                "project_id",
                "head_count",
                donor_kind=F("donor__kind"),
                shown_anonymous=shown_anonymous(),
                public_name=public_name(),
            )
        )

    def totals_by_donor(self, *fields):
        """Donors by what they gave, largest first, as the public may see them; the basis of rankings.

        A donor's anonymous gifts are totalled apart from their named ones, under 爱心人士, so a
        published total never reveals what an anonymous gift was. `donor_id` is there to key a
        snapshot and for staff review; it is never printed. `fields` split each donor's total
        further, e.g. `totals_by_donor("sector_id")` for an honor roll's sectors in one query.
        A reversed gift and its reversal cancel out in the total and are not counted as gifts; a
        gift still under review is in no total (public()).
        """
        return public_totals(self.public(), *fields, counted=STANDING)

    def unit_totals_by_sector(self):
        """Units' totals per sector as counted, in public form, largest first (a campaign's page)."""
        return self.filter(donor__kind="unit").totals_by_donor("sector_id")

    def totals_by_year(self):
        """One row per campaign year, oldest first: the multi-year trend of a report."""
        return (
            self.values("campaign__year")
            .annotate(total=money_sum(), donations=Count("id", filter=STANDING))
            .order_by("campaign__year")
        )

    def giving_by_donor(self, year):
        """One row per donor who gave up to `year`: `donor_id`, `this_year`, `last_year` (the
        campaigns of `year` and the year before), `earlier` (every year before `year`) and
        `last_gift` (the date of the last gift that stands); reversals cancel in the sums.

        The fundraisers' lists (donations/fundraising.py) filter these rows with the methods
        below. Grouped from the gifts' side in one pass: with 1,000,000 gifts and 400,000 people
        (bench/admin_bench.py), correlated subqueries per donor took 15 s for the people's LYBUNT
        list, this query a few seconds; units' lists take a tenth of a second either way.
        """
        return (
            self.filter(campaign__year__lte=year)
            .values("donor_id")
            .annotate(
                this_year=money_sum(filter=Q(campaign__year=year)),
                last_year=money_sum(filter=Q(campaign__year=year - 1)),
                earlier=money_sum(filter=Q(campaign__year__lt=year)),
                last_gift=Max("received_on", filter=STANDING),
            )
        )

    def lapsed_last_year(self):
        """LYBUNT (over giving_by_donor): gave last year, nothing yet this year."""
        return self.filter(last_year__gt=0, this_year__lte=0)

    def lapsed_earlier(self):
        """SYBUNT: gave in some year before last, neither last year nor yet this year (those who
        gave last year are on the LYBUNT list)."""
        return self.filter(earlier__gt=0, last_year__lte=0, this_year__lte=0)

    def giving_less(self):
        """Gave this year, less than last year."""
        return self.filter(this_year__gt=0, this_year__lt=F("last_year"))

    def first_gift_this_year(self):
        """Gave this year and never before."""
        return self.filter(this_year__gt=0, earlier__lte=0)

    def totals_by_week(self, start, end):
        """{week: total} of a campaign running from `start` to `end`: week 1 is its first seven
        days (gifts dated before the start count in it), the last week takes gifts dated after
        the end. Summed by the database, the week decided by a CASE on the date."""
        weeks = (end - start).days // 7 + 1
        week = Case(
            *[
                When(received_on__lt=start + datetime.timedelta(days=7 * n), then=Value(n))
                for n in range(1, weeks)
            ],
            default=Value(weeks),
            output_field=IntegerField(),
        )
        rows = self.values(week=week).annotate(total=money_sum()).order_by("week")
        return {row["week"]: row["total"] for row in rows}

    def totals_by_year_and_kind(self):
        """A donor's giving history: one row per campaign year and kind, newest first, with the
        total (reversals cancel) and the gifts that stand."""
        return (
            self.values("campaign__year", "campaign__kind")
            .annotate(total=money_sum(), donations=Count("id", filter=STANDING))
            .order_by("-campaign__year", "campaign__kind")
        )

    def totals_by_campaign(self):
        return (
            self.values("campaign_id", "campaign__name", "campaign__year")
            .annotate(total=money_sum(), donations=Count("id", filter=STANDING))
            .order_by("-campaign__year", "campaign__name")
        )


class RemittanceLineQuerySet(models.QuerySet):
    """The people credited on units' staff lists; their money counts in the remittance only."""

    def for_campaign(self, campaign):
        return self.filter(remittance__campaign=campaign)

    def public(self):
        """Lines whose remittance counts publicly (DonationQuerySet.public): a staff list under
        a remittance still under review is not shown until the remittance is confirmed."""
        return self.filter(publicly_counted("remittance__"))

    def for_public_display(self):
        """Lines as the public may see them: the person's and the unit's public names, no ids of people.

        Lines of a reversed remittance are not shown: that money no longer stands; nor lines of
        a remittance still under review.
        """
        return (
            self.public()
            .filter(standing("remittance__"))
            .values(
                "id",
                "amount",
                "remittance_id",
                campaign_id=F("remittance__campaign_id"),
                received_on=F("remittance__received_on"),
                sector_id=F("remittance__sector_id"),
                branch_id=F("remittance__branch_id"),
                shown_anonymous=shown_anonymous(),
                public_name=public_name(),
                unit_public_name=public_name(gift="remittance__", donor="remittance__donor__"),
            )
        )

    def totals_by_year_and_kind(self):
        """A person's staff lines per campaign year and kind, newest first (their giving history;
        the money counts in their unit's remittance, never added to a total here). Lines of a
        reversed remittance no longer stand and are left out."""
        return (
            self.filter(standing("remittance__"))
            .values(year=F("remittance__campaign__year"), kind=F("remittance__campaign__kind"))
            .annotate(total=money_sum(), lines=Count("id"))
            .order_by("-year", "kind")
        )

    def totals_by_donor(self):
        """The people credited on staff lists by what they gave, in the public form of
        DonationQuerySet.totals_by_donor (never to be added to money totals)."""
        return public_totals(self.public().filter(standing("remittance__")))


class DonorQuerySet(models.QuerySet):
    def units(self):
        return self.filter(kind="unit")

    def individuals(self):
        return self.filter(kind="individual")

    def with_totals(self, campaign=None):
        """Donor instances (real names) with their totals: for the back office only; public
        pages use DonationQuerySet.totals_by_donor()."""
        condition = Q(donations__campaign=campaign) if campaign is not None else Q()
        return self.annotate(
            donated_total=money_sum("donations__amount", filter=condition),
            donation_count=Count("donations", filter=condition),
        )

    def with_year_totals(self, year):
        """Donors with `this_year` and `last_year`: what they gave of their own (not their staff
        lines) to the campaigns of `year` and of the year before; reversals cancel.

        Correlated subqueries, not a join: the donor list sorts and pages 400,000 donors by key
        without these columns (KeysFirstPaginator) and computes them for the page's rows only.
        """
        gifts = self.model.donations.rel.related_model._base_manager.filter(donor=OuterRef("pk"))

        def total(year):
            found = gifts.filter(campaign__year=year).order_by().values("donor")
            return Coalesce(Subquery(found.annotate(sum=money_sum()).values("sum")), ZERO_YUAN)

        return self.annotate(this_year=total(year), last_year=total(year - 1))

    def with_last_gift(self):
        """Donors with `last_gift_on`, the date of their last own gift that stands, and
        `last_line_on`, of the last remittance that names them on a staff list (the donor
        picker's label; subqueries, computed for the rows read only)."""
        gifts = self.model.donations.rel.related_model._base_manager.filter(STANDING, donor=OuterRef("pk"))
        lines = self.model.remittance_lines.rel.related_model._base_manager.filter(
            standing("remittance__"), donor=OuterRef("pk")
        )
        return self.annotate(
            last_gift_on=Subquery(gifts.order_by("-received_on").values("received_on")[:1]),
            last_line_on=Subquery(
                lines.order_by("-remittance__received_on").values("remittance__received_on")[:1]
            ),
        )
