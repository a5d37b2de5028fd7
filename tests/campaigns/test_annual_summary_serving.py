"""Serving the summary: the admin download (own permission), stored files, release, verification, command."""

from decimal import Decimal
from io import StringIO

import pytest
from django.contrib.auth.models import Permission
from django.core.management import CommandError, call_command
from django.urls import reverse

from campaigns import services
from campaigns.annual_summary.figures import data_fingerprint
from campaigns.models import AnnualSummaryDocument, AnnualSummaryRelease
from charity.models import AuditEntry, BackgroundJob
from donations.models import Donation
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


def grant(user, *codenames):
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="campaigns", codename__in=codenames)
    )
    return type(user).objects.get(pk=user.pk)  # a fresh instance: permissions are cached


@pytest.fixture
def leader(django_user_model):
    user = django_user_model.objects.create_user("leader", "l@example.org", "pw-lead-123", is_staff=True)
    return grant(user, "download_annualsummary")


def download_url(year=2023):
    return reverse("admin:campaigns_annual_summary_download", args=[year])


def no_rendering(*args, **kwargs):
    raise AssertionError("rendered again although the data did not change")


def test_download_needs_its_own_permission(client, clerk, data):
    client.force_login(clerk)  # may view and change campaigns, not download the summary
    assert client.get(download_url()).status_code == 403
    document = services.summary_document(2023)
    assert client.get(reverse("admin:campaigns_annual_summary_file", args=[document.pk])).status_code == 403
    assert client.get(reverse("admin:campaigns_annual_summary_preview", args=[2023])).status_code == 403


def test_download_is_stored_and_served_again_until_the_data_changes(
    client, leader, data, monkeypatch, tmp_path
):
    client.force_login(leader)
    # Nothing stored for this data yet: a background job renders it (in tests at once), and its
    # page links to the file.
    first = client.get(download_url())
    assert first.status_code == 302
    job = BackgroundJob.objects.get(kind=BackgroundJob.Kind.ANNUAL_SUMMARY)
    assert first["Location"] == reverse("admin:charity_backgroundjob_change", args=[job.pk])
    page = client.get(first["Location"]).content.decode()
    result_url = reverse("admin:charity_backgroundjob_result", args=[job.pk])
    assert "完成" in page and f'href="{result_url}"' in page and "下载 PDF" in page
    result = client.get(result_url)
    assert result.status_code == 200 and result["Content-Type"] == "application/pdf"
    body = b"".join(result.streaming_content)
    document = AnnualSummaryDocument.objects.get()
    assert result["X-Summary-Fingerprint"] == document.fingerprint
    (tmp_path / "a.pdf").write_bytes(body)
    assert "募集资金0.1235万元（1,234.56元）" in pdf_text(tmp_path / "a.pdf")

    monkeypatch.setattr(services, "render_summary_pdf", no_rendering)
    again = client.get(download_url())  # stored: served at once, no job
    assert again.status_code == 200 and again["Content-Type"] == "application/pdf"
    assert b"".join(again.streaming_content) == body
    assert again["X-Summary-Fingerprint"] == document.fingerprint

    listed = client.get(reverse("admin:campaigns_annual_summary_file", args=[document.pk]))
    assert b"".join(listed.streaming_content) == body

    monkeypatch.undo()
    factories.donation(factories.person("王五"), data, "10.00")
    changed = client.get(download_url())
    assert changed.status_code == 302 and BackgroundJob.objects.count() == 2
    assert AnnualSummaryDocument.objects.count() == 2
    assert AnnualSummaryDocument.objects.exclude(pk=document.pk).get().fingerprint != document.fingerprint


def test_preview_shows_the_same_figures(client, leader, data):
    client.force_login(leader)
    page = client.get(reverse("admin:campaigns_annual_summary_preview", args=[2023])).content.decode()
    assert "募集资金0.1235万元（1,234.56元）" in page
    assert "国资系统" in page and "1,234.56" in page and "本年度尚无救助支出数据" in page


def test_year_without_campaigns(client, leader, db):
    client.force_login(leader)
    response = client.get(download_url(2019))
    assert response.status_code == 404 and "2019年度没有募捐活动" in response.content.decode()


def test_release_then_the_public_gets_the_stored_file(client, leader, data, monkeypatch):
    public = reverse("campaigns:annual_summary", args=[2023])
    assert client.get(public).status_code == 404  # nothing released yet

    document = services.summary_document(2023)
    changelist = reverse("admin:campaigns_annualsummarydocument_changelist")
    client.force_login(leader)  # may download, not release: the action is not offered
    response = client.post(changelist, {"action": "release", "_selected_action": [document.pk]})
    assert not AnnualSummaryRelease.objects.exists()

    releaser = grant(leader, "release_annualsummary", "view_annualsummarydocument")
    client.force_login(releaser)
    response = client.post(changelist, {"action": "release", "_selected_action": [document.pk]}, follow=True)
    assert response.status_code == 200 and AnnualSummaryRelease.objects.get().document == document
    entry = AuditEntry.objects.get(action="campaigns.annual_summary.released")
    assert entry.data["sha256"] == document.fingerprint and entry.actor == releaser

    client.logout()
    monkeypatch.setattr(services, "render_summary_pdf", no_rendering)  # the public never renders
    served = client.get(public)
    assert served.status_code == 200 and served["X-Summary-Fingerprint"] == document.fingerprint
    with document.pdf.open("rb") as stored:
        assert b"".join(served.streaming_content) == stored.read()

    # Rendering afresh (annual_summary --fresh) never replaces a released file.
    assert services.summary_document(2023, fresh=True) == document

    # Later gifts do not change what was released; the verification page says it is not current.
    factories.donation(factories.person("赵六"), data, "1.00")
    assert client.get(public)["X-Summary-Fingerprint"] == document.fingerprint
    page = client.get(reverse("campaigns:summary_verify", args=[document.code.upper()])).content.decode()
    assert "已有变化" in page


def test_verification_page(client, data):
    document = services.summary_document(2023)
    code = services.figures.display_code(document.code)
    page = client.get(reverse("campaigns:summary_verify", args=[code]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "0.1235 万元（1,234.56 元）" in text and "1 家" in text and "12 人次" in text
    assert document.fingerprint in text and "这是根据当前数据生成的文件" in text
    assert (
        client.get(reverse("campaigns:summary_verify", args=[code.lower().replace("-", "")])).status_code
        == 200
    )
    missing = client.get(reverse("campaigns:summary_verify", args=["0000-0000-0000"]))
    assert missing.status_code == 404 and "没有找到" in missing.content.decode()


def test_command_writes_the_pdf(data, tmp_path):
    out = StringIO()
    target = tmp_path / "summary.pdf"
    call_command("annual_summary", "2023", "--output", str(target), stdout=out)
    document = AnnualSummaryDocument.objects.get()
    assert target.read_bytes().startswith(b"%PDF") and document.code.upper() in out.getvalue()
    assert "1,234.56元" in pdf_text(target)
    with pytest.raises(CommandError, match="2019年度没有募捐活动"):
        call_command("annual_summary", "2019", "--output", str(tmp_path / "x.pdf"))


def test_the_fingerprint_follows_what_the_document_shows(data):
    before = data_fingerprint(2023)
    old = factories.campaign("2020年慈善一日捐", 2020)
    gift = factories.donation(factories.unit("衡阳市旧单位"), old, "50.00", received_on=old.start_date)
    with_2020 = data_fingerprint(2023)
    assert with_2020 != before  # a new year in the trend
    # A confirmed gift is never edited by hand; a change of the ledger all the same changes the print.
    Donation.objects.filter(pk=gift.pk).update(amount=Decimal("60.00"))
    changed_total = data_fingerprint(2023)
    assert changed_total != with_2020  # its total changed
    donor = Donation.objects.get(campaign=data).donor
    donor.display = "anonymous"
    donor.save()
    assert data_fingerprint(2023) != changed_total  # a public name changed
    assert data_fingerprint(2023) == data_fingerprint(2023)
