"""A published issue never changes: later edits of donations and donors do not reach it."""

from decimal import Decimal

import pytest
from django.urls import reverse

from donations.models import Donation, Donor
from tests.campaigns.conftest import publish_issue

pytestmark = pytest.mark.django_db


def test_editing_a_donation_after_publishing_leaves_the_issue_and_its_page_unchanged(client, gifts):
    issue = publish_issue(gifts, 1, "2023-09-30")
    url = reverse("campaigns:honor_roll", args=[issue.pk])
    page = client.get(url).content
    sha = issue.content_sha256

    # A confirmed gift is never edited by hand; a change of the ledger all the same leaves the issue.
    Donation.objects.filter(donor__name="孙一").update(amount=Decimal("9999.00"))
    Donor.objects.filter(name="衡阳市国资委").update(name="改名后的国资委")

    issue.refresh_from_db()
    assert issue.content_sha256 == sha
    assert {"name": "孙一", "amount": "2000.00"} in issue.content["sectors"][0]["people"]
    from django.core.cache import cache

    cache.clear()  # not the cache: the stored snapshot itself
    fresh = client.get(url).content
    assert fresh == page
    assert "9,999.00" not in fresh.decode() and "改名后的国资委" not in fresh.decode()
    assert "衡阳市国资委" in fresh.decode()


def test_running_totals_of_the_next_issue_build_on_what_was_published(gifts):
    first = publish_issue(gifts, 1, "2023-09-30")
    Donation.objects.filter(donor__name="孙一").update(amount=Decimal("9999.00"))
    second = publish_issue(gifts, 2, "2023-10-31")
    # The series reconciles with itself: what was published plus what is new.
    assert second.content["running_total"] == first.content["running_total"]
