"""The year report through the publication layer (issue #21 items 3 and 4, "Speed"): draft →
preview (typed numbers flagged) → release with a verification code → a new version with a
reason; the PDF and Word file rendered by the worker and served as stored; the cover's QR code
and seal; the verify page; 信息公开 lists it."""

import io
from tempfile import NamedTemporaryFile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document
from PIL import Image

from campaigns.annual_report import files, publishing, rendering
from campaigns.annual_report.models import ReportNarrative, YearReport
from campaigns.annual_summary.figures import display_code
from campaigns.corrections import drafts
from charity import artifacts, publications
from charity.admin_identity import SiteIdentityForm
from charity.models import AuditEntry, PublishedArtifact, SiteIdentity
from relief.organisation.documents import public_documents
from tests import factories
from tests.campaigns.conftest import d
from tests.campaigns.pdf_text import pdf_text
from tests.conftest import staff_with_role
from tests.publishing import confirm, publish_url
from tests.publishing import publish_command as publish

pytestmark = pytest.mark.django_db

TYPED = "全年募集善款1285元，感谢各界。"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SITE_URL = "https://cishan.example.org"


def released(year, capture, reason=""):
    """Release the year's next version as production does: the worker runs after the commit."""
    with capture(execute=True):
        return publishing.release(publishing.new_draft(year, reason), None)


def test_the_preview_flags_typed_numbers_and_the_command_refuses_until_allowed(gifts):
    ReportNarrative.objects.create(year=2023, heading="主要做法", body=TYPED)
    code, text = publish("year-report", "2023", "--dry-run")
    assert code == 0, text
    assert "募集总额：1.285万元" in text
    assert "「主要做法」：正文中直接写了数字“1285”" in text
    assert "试运行（--dry-run）：没有做任何更改" in text
    assert not YearReport.objects.exists()  # not even the draft stays behind
    code, text = publish("year-report", "2023")
    assert code == 1 and "有 1 条提示，未发布" in text
    assert not YearReport.objects.filter(status=YearReport.Status.PUBLISHED).exists()
    code, text = publish("year-report", "2023", "--allow-warnings")
    assert code == 0, text
    report = YearReport.objects.get()
    assert report.is_published and report.version == 1
    assert f"校验码 {display_code(report.code)}" in text
    assert AuditEntry.objects.filter(action="campaigns.year_report.released").count() == 1
    code, text = publish("year-report", "1990")
    assert code == 1 and text.endswith("1990年度没有募捐活动，无法生成年度工作报告")


def test_release_freezes_the_report_and_the_worker_stores_pdf_and_word(
    gifts, client, django_capture_on_commit_callbacks, monkeypatch
):
    ReportNarrative.objects.create(year=2023, heading="主要做法", body="全年募集{{募集总额}}。")
    report = released(2023, django_capture_on_commit_callbacks)
    assert report.content["headline"]["募集总额"] == "1.285万元"
    assert {"pdf", "docx"} == set(
        PublishedArtifact.objects.filter(owner=artifacts.owner_of(report)).values_list("name", flat=True)
    )
    # Later gifts do not reach the released version: its content is frozen.
    factories.donation(factories.person("王五"), gifts, "1000.00", received_on=d("2023-10-01"))
    report.refresh_from_db()
    assert report.content["headline"]["募集总额"] == "1.285万元"

    # Public requests read the stored files; nothing renders them in a request.
    def fail(*args, **kwargs):
        raise AssertionError("公开请求不应生成文件")

    monkeypatch.setattr(rendering, "render_pdf", fail)
    monkeypatch.setattr(rendering, "render_docx", fail)
    response = client.get(reverse("campaigns:year_report", args=[2023]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = b"".join(response.streaming_content) if response.streaming else response.content
    word = client.get(reverse("campaigns:year_report_file", args=[2023, "word"]))
    assert word.status_code == 200 and word["Content-Type"].endswith("wordprocessingml.document")

    # The cover: the verification link on SITE_URL with its code, and the narrative's figure.
    with NamedTemporaryFile(suffix=".pdf") as out:
        out.write(pdf)
        out.flush()
        text = pdf_text(out.name)
    shown = display_code(report.code)
    assert f"校验码{shown}" in text
    assert f"https://cishan.example.org/report/verify/{shown}/" in text
    assert "全年募集1.285万元" in text
    assert "自动生成" not in text
    document = Document(io.BytesIO(word.content))
    paragraphs = "\n".join(p.text for p in document.paragraphs)
    assert f"校验码 {shown}" in paragraphs and "全年募集1.285万元" in paragraphs
    assert len(document.inline_shapes) >= 1  # the QR code


def test_a_missing_file_is_not_rendered_by_the_request(gifts, client):
    report = publishing.release(publishing.new_draft(2023), None)  # the worker has not run yet
    response = client.get(reverse("campaigns:year_report", args=[2023]))
    assert response.status_code == 503 and response["Retry-After"] == "30"
    assert "文件正在生成" in response.content.decode()
    assert not PublishedArtifact.objects.filter(owner=artifacts.owner_of(report)).exists()
    assert client.get(reverse("campaigns:year_report", args=[2019])).status_code == 404


def test_a_new_version_needs_a_reason_and_supersedes_the_old_code(
    gifts, client, django_capture_on_commit_callbacks
):
    first = released(2023, django_capture_on_commit_callbacks)
    factories.donation(factories.person("王五"), gifts, "1000.00", received_on=d("2023-10-01"))
    code, text = publish("year-report", "2023", "--allow-warnings")
    assert code == 1 and "已发布第1版，再次发布即为更正：请填写更正原因" in text
    with django_capture_on_commit_callbacks(execute=True):  # the worker runs after the command commits
        code, text = publish("year-report", "2023", "--allow-warnings", "--reason", "补录一笔捐款")
    assert code == 0, text
    second = YearReport.objects.get(version=2)
    fix = second.content["correction"]
    assert fix["previous_code"] == display_code(first.code) and fix["reason"] == "补录一笔捐款"
    assert {"label": "募集总额", "before": "1.285万元", "after": "1.385万元"} in fix["changes"]
    assert second.content["blocks"][0] == {"kind": "Heading", "text": "更正说明（第2版）"}

    old = client.get(reverse("campaigns:year_report_verify", args=[display_code(first.code)]))
    page = old.content.decode()
    assert "此文件（第1版）已被取代" in page and display_code(second.code) in page and "补录一笔捐款" in page
    new = client.get(reverse("campaigns:year_report_verify", args=[second.code.upper()])).content.decode()
    assert "这是第2版，更正了第1版" in new and "1.385万元" in new and "这份报告是怎样生成的" in new
    # The summary's verify address takes a year report's code too.
    response = client.get(reverse("campaigns:summary_verify", args=[display_code(second.code)]))
    assert response.status_code == 302 and response.url.endswith(
        f"/report/verify/{display_code(second.code)}/"
    )
    assert client.get(reverse("campaigns:year_report_verify", args=["0000-0000-0000"])).status_code == 404
    # The public gets the latest version; the earlier stays downloadable by its number.
    latest = client.get(reverse("campaigns:year_report", args=[2023]))
    assert latest.status_code == 200
    assert client.get(reverse("campaigns:year_report_version", args=[2023, 1])).status_code == 200
    assert "第2版" in latest["Content-Disposition"] or "%E7%AC%AC2%E7%89%88" in latest["Content-Disposition"]


def test_a_published_version_cannot_be_changed(gifts):
    report = publishing.release(publishing.new_draft(2023), None)
    report.reason = "改一下"
    with pytest.raises(publishing.SnapshotError, match="已发布，不能修改“更正原因”"):
        report.save()


def test_the_admin_never_deletes_a_released_version(admin_client, gifts):
    """Neither from its page nor by the list's bulk action: its code is printed on the cover."""
    report = publishing.release(publishing.new_draft(2023), None)
    draft = publishing.new_draft(2023, "更正")
    assert admin_client.get(reverse("admin:campaigns_yearreport_delete", args=[report.pk])).status_code == 403
    assert (
        admin_client.post(
            reverse("admin:campaigns_yearreport_delete", args=[report.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    changelist = reverse("admin:campaigns_yearreport_changelist")
    bulk = {"action": "delete_selected", "post": "yes"}
    admin_client.post(changelist, {**bulk, "_selected_action": [report.pk]})
    assert YearReport.objects.filter(pk=report.pk).exists()
    # A draft may go.
    admin_client.post(changelist, {**bulk, "_selected_action": [draft.pk]})
    assert not YearReport.objects.filter(pk=draft.pk).exists()


def test_the_released_report_is_listed_in_the_open_documents(gifts):
    assert not any(doc.title.startswith("2023年度工作报告") for _, docs in public_documents() for doc in docs)
    publishing.release(publishing.new_draft(2023), None)
    listed = {group: [doc.title for doc in docs] for group, docs in public_documents()}
    assert "2023年度工作报告" in listed["年度工作报告"]


def test_the_seal_is_reencoded_and_printed_on_the_cover(gifts, django_capture_on_commit_callbacks):
    picture = io.BytesIO()
    drawn = Image.new("RGBA", (1200, 1200), (0, 0, 0, 0))  # a transparent PNG, as seals come
    drawn.paste((200, 0, 0, 255), (300, 300, 900, 900))
    drawn.save(picture, "PNG")
    form = SiteIdentityForm(
        data={"full_name": "衡阳市慈善总会", "short_name": "衡阳慈善"},
        files={"seal": SimpleUploadedFile("公章.png", picture.getvalue(), "image/png")},
    )
    assert form.is_valid(), form.errors
    form.save()
    seal = SiteIdentity.objects.get().seal
    stored = Image.open(seal.path)
    assert seal.name.startswith("seal/") and stored.size == (600, 600) and stored.mode == "RGBA"
    # The ink stays, the background becomes transparent (not the black under a transparent PNG).
    assert stored.getpixel((300, 300))[3] > 200 and stored.getpixel((10, 10))[3] == 0
    report = released(2023, django_capture_on_commit_callbacks)
    pdf = PublishedArtifact.objects.get(owner=artifacts.owner_of(report), name="pdf").file.read()
    # The cover carries the seal as its raster image (with its transparency mask; the QR code is
    # vector); without a seal the same report has none.
    assert pdf.count(b"/Subtype /Image") >= 1
    identity = SiteIdentity.objects.get()
    identity.seal = ""
    identity.save()
    assert files.report_pdf(report)[0].body.count(b"/Subtype /Image") == 0
    # Not a public upload: nobody downloads the seal itself.
    assert not seal.name.startswith(("site/", "news/", "open/"))


def test_bad_seal_upload_gets_a_chinese_message():
    form = SiteIdentityForm(
        data={"full_name": "衡阳市慈善总会", "short_name": "衡阳慈善"},
        files={"seal": SimpleUploadedFile("公章.png", b"not an image", "image/png")},
    )
    assert not form.is_valid()
    assert "公章图片" in str(form.errors["seal"]) or "图片" in str(form.errors["seal"])


def test_the_admin_makes_a_draft_previews_it_with_the_flags_and_releases_it(client, gifts, leader):
    publisher = staff_with_role("year-report-publisher", "发布员")  # the role as charity/roles.py has it
    ReportNarrative.objects.create(year=2023, heading="工作体会", body=TYPED)
    client.force_login(publisher)
    response = client.post(reverse("admin:campaigns_yearreport_add"), {"year": "2023", "reason": ""})
    assert response.status_code == 302
    draft = YearReport.objects.get()
    assert draft.version == 1 and len(draft.code) == 12 and not draft.is_published
    again = client.post(reverse("admin:campaigns_yearreport_add"), {"year": "2023", "reason": ""})
    assert "2023年度已有一份未发布的草稿" in again.content.decode()
    page = client.get(publish_url(draft)).content.decode()
    assert "「工作体会」：正文中直接写了数字“1285”" in page and "1.285万元" in page
    client.force_login(leader)  # reads the releases, does not release
    assert client.get(publish_url(draft)).status_code == 403
    client.force_login(publisher)
    page = confirm(client, draft).content.decode()
    assert "已发布" in page
    draft.refresh_from_db()
    assert draft.is_published and draft.published_by == publisher
    assert AuditEntry.objects.filter(action="campaigns.year_report.released", actor=publisher).exists()


def test_drift_of_a_released_report_is_corrected_by_its_next_version(gifts):
    report = publishing.release(publishing.new_draft(2023), None)
    assert publications.drift(report) == []
    factories.donation(factories.person("王五"), gifts, "1000.00", received_on=d("2023-10-01"))
    found = publications.drift(report)
    assert [str(x) for x in found] == [
        "募集总额：公布 1.285万元 → 现在 1.385万元",
        "进入总会账户：公布 1.285万元 → 现在 1.385万元",
    ]
    assert publications.correctable(report)
    # The way staff correct it: the 更正说明草稿 prepared for the drifted report, then published.
    (draft,) = drafts.prepare_all_drafts(None)
    assert draft.document == report
    second = drafts.publish_draft(draft, None, reason="补录捐款")
    assert second.version == 2 and second.reason == "补录捐款" and second.is_published
    assert publications.drift(second) == []
