"""更正说明: published with an issue, shown on its page, never edited or deleted."""

import pytest
from django.urls import reverse

from campaigns import services
from campaigns.models import HonorRollErratum
from charity.models import AuditEntry
from charity.snapshots import SnapshotError
from tests.campaigns.conftest import new_issue, publish_issue

pytestmark = pytest.mark.django_db


def test_an_erratum_is_published_with_one_audit_entry_and_shown_on_every_form(
    client, gifts, publisher, django_capture_on_commit_callbacks
):
    issue = publish_issue(gifts, 1, "2023-09-30")
    url = reverse("campaigns:honor_roll", args=[issue.pk])
    assert "更正说明" not in client.get(url).content.decode()  # and now cached without errata
    before = AuditEntry.objects.count()
    with django_capture_on_commit_callbacks(execute=True):  # the publication commits
        erratum = services.publish_honor_roll_erratum(issue, "  孙一的捐款日期应为9月11日。 ", publisher)
    assert AuditEntry.objects.count() == before + 1
    assert AuditEntry.objects.latest("id").action == "campaigns.honor_roll.erratum"
    assert erratum.text == "孙一的捐款日期应为9月11日。" and erratum.published_by == publisher

    body = client.get(url).content.decode()
    assert "更正说明" in body and "孙一的捐款日期应为9月11日。" in body
    printed = client.get(reverse("campaigns:honor_roll_print", args=[issue.pk])).content.decode()
    assert "孙一的捐款日期应为9月11日。" in printed
    data = client.get(reverse("campaigns:honor_roll_json", args=[issue.pk])).json()
    assert [e["text"] for e in data["errata"]] == ["孙一的捐款日期应为9月11日。"]
    # The issue itself is unchanged.
    issue.refresh_from_db()
    assert data["content_sha256"] == issue.content_sha256


def test_errata_cannot_be_edited_or_deleted(gifts):
    issue = publish_issue(gifts, 1, "2023-09-30")
    erratum = services.publish_honor_roll_erratum(issue, "更正一", None)
    erratum.text = "改过的更正"
    with pytest.raises(SnapshotError):
        erratum.save()
    with pytest.raises(SnapshotError):
        erratum.delete()
    assert HonorRollErratum.objects.get().text == "更正一"


def test_a_draft_takes_no_erratum_and_an_empty_one_is_refused(gifts):
    draft = new_issue(gifts, 1, "2023-09-30")
    with pytest.raises(SnapshotError, match="尚未发布"):
        services.publish_honor_roll_erratum(draft, "更正", None)
    services.publish_honor_roll(draft, None)
    with pytest.raises(SnapshotError, match="请填写"):
        services.publish_honor_roll_erratum(draft, "   ", None)
