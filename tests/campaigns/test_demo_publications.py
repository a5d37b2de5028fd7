"""The demo data publishes honor rolls of the 2023 campaign, one erratum and the 第九届 ranking."""

from decimal import Decimal

import pytest

from campaigns.demo import load_demo
from campaigns.models import Campaign, HonorRollErratum, HonorRollIssue, HonorRollListing, RankingEdition
from charity.snapshots import fingerprint
from donations.models import Donation

pytestmark = pytest.mark.django_db


def test_demo_issues_erratum_and_ranking():
    load_demo()
    campaign = Campaign.objects.get(name="2023年慈善一日捐")
    issues = list(HonorRollIssue.objects.filter(campaign=campaign).order_by("number"))
    assert len(issues) >= 3 and all(i.is_published for i in issues)
    cut_offs = [i.cut_off for i in issues]
    assert cut_offs == sorted(cut_offs) and cut_offs[-1] == campaign.end_date
    # The last running total is the report's 1810.7035 万元, and every gift was listed once.
    assert issues[-1].content["running_total"] == "18107035.00"
    assert sum(Decimal(i.content["total"]) for i in issues) == Decimal("18107035.00")
    assert HonorRollListing.objects.count() == Donation.objects.filter(campaign=campaign).count()
    assert all(i.content_sha256 == fingerprint(i.content) for i in issues)
    assert HonorRollErratum.objects.count() == 1
    edition = RankingEdition.objects.get()
    assert edition.is_published and edition.number == 9 and edition.year == 2023
    assert {c["kind"] for c in edition.content["categories"]} >= {
        "units",
        "companies",
        "individuals",
        "sectors",
    }
