"""Reads of relief money: every sum in the database, in exact decimals (charity.money)."""

from django.db import models
from django.db.models import Case, Count, DecimalField, F, IntegerField, OuterRef, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce, Greatest

from charity.money import ZERO, money_sum

MONEY = DecimalField(max_digits=16, decimal_places=2)


def _related(model, name):
    """The model at the other end of `model`'s relation `name`. The QuerySets reach the other
    models through the relations, as relief/models.py imports this module (and Donation is the
    ledger's, not relief's)."""
    return model._meta.get_field(name).related_model


def _category_order(categories, field="project__category"):
    """Categories in the order of ReliefProject.Category (`categories`), so tables never reshuffle."""
    return Case(
        *[When(**{field: value}, then=Value(i)) for i, value in enumerate(categories.values)],
        default=Value(99),
        output_field=IntegerField(),
    )


class DisbursementQuerySet(models.QuerySet):
    def for_year(self, year):
        return self.filter(paid_on__year=year)

    def for_project(self, project):
        return self.filter(project=project)

    def between(self, start, end):
        return self.filter(paid_on__gte=start, paid_on__lte=end)

    def total(self):
        """Sum of the amounts (Decimal, 0.00 when there are none)."""
        return self.aggregate(total=money_sum())["total"]

    def people_helped(self):
        return self.aggregate(people=Coalesce(Sum("people_helped"), 0))["people"]

    def totals_by_project(self):
        """Rows {project_id, project__name, project__category, total, people, disbursements}, largest
        first."""
        return (
            self.values("project_id", "project__name", "project__category")
            .annotate(total=money_sum(), people=Coalesce(Sum("people_helped"), 0), disbursements=Count("id"))
            .order_by("-total", "project__name", "project_id")
        )

    def totals_by_category(self):
        """Rows {category, total, people}, in the order of ReliefProject.Category."""
        order = _category_order(_related(self.model, "project").Category)
        return (
            self.values(category=F("project__category"))
            .annotate(total=money_sum(), people=Coalesce(Sum("people_helped"), 0), order=order)
            .order_by("order", "category")
        )


def _sum_of(model, field, link="project", rows=None):
    """A subquery: the sum of `field` over `rows` (all of the model's by default) linked to the
    outer row."""
    rows = (
        (model.objects.all() if rows is None else rows)
        .filter(**{link: OuterRef("pk")})
        .order_by()
        .values(link)
        .annotate(s=Sum(field))
        .values("s")
    )
    return Coalesce(Subquery(rows, output_field=MONEY), ZERO, output_field=MONEY)


class ReliefProjectQuerySet(models.QuerySet):
    def with_money(self):
        """Each project with `directed` (定向捐赠), `spent`, `people`, `limit` and `balance`.

        `limit` is what the project may spend without a stated reason: the largest of its budget,
        the sum of its yearly budgets (跨年度项目, ProjectYear) and the money directed to it;
        `balance` is that limit less what was spent. One subquery
        per sum, so the joins cannot multiply each other's rows.
        """
        Disbursement = _related(self.model, "disbursements")
        Donation = _related(self.model, "directed_donations")
        ProjectYear = _related(self.model, "years")
        people = (
            Disbursement.objects.filter(project=OuterRef("pk"))
            .order_by()
            .values("project")
            .annotate(n=Sum("people_helped"))
            .values("n")
        )
        return self.annotate(
            # Public means confirmed: a directed gift still under review is not yet the project's;
            # a direct gift (直接捐赠) never reached the account, so the project cannot spend it.
            directed=_sum_of(Donation, "amount", rows=Donation.objects.public().into_account()),
            spent=_sum_of(Disbursement, "amount"),
            yearly_budgets=_sum_of(ProjectYear, "budget"),
            people=Coalesce(Subquery(people, output_field=IntegerField()), 0),
        ).annotate(
            limit=Greatest(F("budget"), F("yearly_budgets"), F("directed"), output_field=MONEY),
            balance=models.ExpressionWrapper(
                Greatest(F("budget"), F("yearly_budgets"), F("directed"), output_field=MONEY) - F("spent"),
                output_field=MONEY
            ),
        )


class BeneficiaryQuerySet(models.QuerySet):
    def with_received(self):
        """Each beneficiary with `received`: the sum of their shares of disbursements."""
        DisbursementShare = _related(self.model, "shares")
        return self.annotate(received=_sum_of(DisbursementShare, "amount", link="beneficiary"))
