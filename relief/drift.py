"""A published disclosure (公示) recomputed from the disbursements now, for charity.publications.

The disclosure is frozen again by the rule that published it (services.freeze_disclosure: the
project's spending in its period, recipients as listed on its objection start) and its figures
are compared: totals, people helped, each voucher's amount and people, the listed recipients
(masked names, by district) and the amounts withheld by district.
"""

from django.urls import reverse

from charity.money import frozen_amount as money
from charity.publications import row_figures

from .models import Disclosure
from .services import freeze_disclosure


def published():
    return Disclosure.objects.filter(status=Disclosure.Status.PUBLISHED).select_related("project")


def url(disclosure):
    return reverse("relief:disclosure", args=[disclosure.pk])


def figures(disclosure):
    """(figures as published, figures recomputed now) of a published disclosure."""
    published, now = disclosure.content, freeze_disclosure(disclosure)
    # A disclosure frozen before a key was added did not publish that figure: not compared.
    now = {key: value for key, value in now.items() if key in published}
    return figures_of(published), figures_of(now)


def figures_of(content):
    figures = {"支出合计": money(content["total"]), "受助人次": content["people_helped"]}
    if "recipients_total" in content:
        figures["受助名单金额合计"] = money(content["recipients_total"])
    for row in content["disbursements"]:
        figures[f"凭证 {row['voucher_no']} 金额"] = money(row["amount"])
        figures[f"凭证 {row['voucher_no']} 人次"] = row["people_helped"]
    figures.update(
        row_figures(
            "受助人", [(f"{r['district']} {r['name']}", r["amount"]) for r in content.get("recipients", [])]
        )
    )
    for row in content.get("withheld", []):
        figures[f"{row['district']}未列名人数"] = row["people"]
        figures[f"{row['district']}未列名金额"] = money(row["amount"])
    return figures
