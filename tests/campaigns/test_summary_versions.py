"""Versioned annual summaries: a second release is a correction with a reason, its own code and a
更正说明 in its PDF; the old code's verification page says it was superseded and its figures void."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from campaigns import services
from campaigns.models import AnnualSummaryRelease
from charity.models import AuditEntry
from tests import factories

from .pdf_text import pdf_text


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def data(db):
    campaign = factories.campaign("2023年慈善一日捐", 2023)
    factories.donation(factories.unit("衡阳市国资委"), campaign, "1234.56", head_count=12)
    return campaign


@pytest.fixture
def releaser(django_user_model):
    user = django_user_model.objects.create_user("rel", "r@example.org", "pw-rel-12345", is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="campaigns",
            codename__in=["release_annualsummary", "download_annualsummary", "view_annualsummarydocument"],
        )
    )
    return django_user_model.objects.get(pk=user.pk)


def text_of(document, tmp_path, name):
    path = tmp_path / name
    with document.pdf.open("rb") as stored:
        path.write_bytes(stored.read())
    return pdf_text(path)


def test_a_second_release_needs_a_reason_and_publishes_a_new_version(client, data, releaser, tmp_path):
    first = services.summary_document(2023)
    assert services.release_summary(first, releaser).version == 1  # the current call shape
    first_text = text_of(first, tmp_path, "v1.pdf")

    factories.donation(factories.person("赵六"), data, "100.00")
    second = services.summary_document(2023)
    assert second.code != first.code

    changelist = reverse("admin:campaigns_annualsummarydocument_changelist")
    client.force_login(releaser)
    asked = client.post(changelist, {"action": "release", "_selected_action": [second.pk]})
    assert asked.status_code == 200 and "更正原因" in asked.content.decode()
    assert AnnualSummaryRelease.objects.count() == 1  # nothing released without a reason
    with pytest.raises(services.SummaryError, match="请填写更正原因"):
        services.release_summary(second, releaser)

    client.post(
        changelist,
        {"action": "release", "_selected_action": [second.pk], "post": "yes", "reason": "补录赵六的捐款"},
    )
    release = AnnualSummaryRelease.objects.get(version=2)
    assert release.document == second and release.reason == "补录赵六的捐款"
    entry = AuditEntry.objects.filter(action="campaigns.annual_summary.released").latest("id")
    assert entry.data["version"] == 2 and entry.data["supersedes"] == first.code.upper()

    second.refresh_from_db()
    text = text_of(second, tmp_path, "v2.pdf")
    assert "第2版" in text and "更正说明" in text and "补录赵六的捐款" in text
    assert "募集总额1,234.56元1,334.56元" in text
    assert "第1版中与上述不同的数字同时作废，以本版为准" in text
    # The public gets version 2; version 1 stays downloadable, unchanged.
    public = client.get(reverse("campaigns:annual_summary", args=[2023]))
    assert public["X-Summary-Fingerprint"] == second.fingerprint
    old = client.get(reverse("campaigns:annual_summary_version", args=[2023, 1]))
    assert old["X-Summary-Fingerprint"] == first.fingerprint
    assert text_of(first, tmp_path, "v1-again.pdf") == first_text and "更正说明" not in first_text


def test_the_old_codes_page_says_superseded_by_which_when_why(client, data, releaser):
    first = services.summary_document(2023)
    services.release_summary(first, releaser)
    factories.donation(factories.person("赵六"), data, "100.00")
    second = services.summary_document(2023)
    services.release_summary(second, releaser, reason="补录赵六的捐款")

    code = services.figures.display_code(first.code)
    page = client.get(reverse("campaigns:summary_verify", args=[code])).content.decode()
    new_code = services.figures.display_code(second.code)
    assert "已被取代" in page and "第2版" in page and new_code in page
    assert "补录赵六的捐款" in page and "本文件中的数字已作废" in page
    assert reverse("campaigns:annual_summary_version", args=[2023, 1]) in page
    assert "这是根据当前数据生成的文件" not in page

    current = client.get(reverse("campaigns:summary_verify", args=[new_code])).content.decode()
    assert "第2版" in current and "已被取代" not in current and "补录赵六的捐款" in current


def test_the_public_version_is_not_released_again_nor_an_earlier_one(data, releaser):
    first = services.summary_document(2023)
    services.release_summary(first, releaser)
    with pytest.raises(services.SummaryError, match="已是公众看到的第1版"):
        services.release_summary(first, releaser, reason="再发一次")


def test_a_draft_prepared_from_drift_publishes_the_next_version(data, releaser):
    from campaigns.corrections import drafts

    first = services.summary_document(2023)
    services.release_summary(first, releaser)
    factories.donation(factories.person("赵六"), data, "100.00")
    (draft,) = drafts.prepare_all_drafts(releaser)
    assert draft.document == first
    assert {"label": "募集总额", "before": "1,234.56 元", "after": "1,334.56 元"} in draft.changes

    release = drafts.publish_draft(draft, releaser, reason="补录赵六的捐款")
    assert release.version == 2 and release.reason == "补录赵六的捐款"
    assert services.released_document(2023) == release.document != first
