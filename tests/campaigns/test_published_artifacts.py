"""Files of published documents (issue #19 item 9): rendered by the worker when a document or an
erratum of it is published, served as stored; a missing file is rendered once by the request."""

import csv
import io
import json

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from PIL import Image

from campaigns import artifacts as campaign_artifacts
from campaigns import services
from campaigns.honor_rolls import sharing
from campaigns.models import HonorRollPdf
from charity import artifacts
from charity.models import PublishedArtifact
from tests.campaigns.conftest import new_edition, new_issue

pytestmark = pytest.mark.django_db


def owner(document):
    return artifacts.owner_of(document)


def stored_names(document):
    return set(PublishedArtifact.objects.filter(owner=owner(document)).values_list("name", flat=True))


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def forbid_rendering(monkeypatch):
    """Every renderer of the files fails: a request that still answers served a stored file."""

    def fail(*args, **kwargs):
        raise AssertionError("公开请求不应生成文件")

    monkeypatch.setattr(campaign_artifacts.images, "render_pages", fail)
    monkeypatch.setattr(campaign_artifacts, "csv_document", fail)
    monkeypatch.setattr(campaign_artifacts, "json_document", fail)
    monkeypatch.setattr(services.honor_roll_layout, "render_issue", fail)


@pytest.fixture
def no_rendering(monkeypatch):
    forbid_rendering(monkeypatch)


@pytest.fixture
def published_issue(gifts, django_capture_on_commit_callbacks):
    """An issue published as in production: the job runs once the publication commits."""
    with django_capture_on_commit_callbacks(execute=True):
        return services.publish_honor_roll(new_issue(gifts, 1, "2023-09-30"), None)


def test_publishing_an_issue_stores_all_its_files(published_issue):
    names = stored_names(published_issue)
    assert {"csv", "json", "png:1"} <= names
    version = campaign_artifacts.version(published_issue)
    assert set(
        PublishedArtifact.objects.filter(owner=owner(published_issue)).values_list("version", flat=True)
    ) == {version}
    assert HonorRollPdf.objects.filter(issue=published_issue).count() == 1
    for artifact in PublishedArtifact.objects.filter(owner=owner(published_issue)):
        data = artifact.file.read()
        assert (
            len(data) == artifact.size and artifact.sha256 == __import__("hashlib").sha256(data).hexdigest()
        )


def test_public_requests_serve_the_stored_files_without_rendering(client, published_issue, no_rendering):
    pk = published_issue.pk
    for name, url in [
        ("csv", reverse("campaigns:honor_roll_csv", args=[pk])),
        ("json", reverse("campaigns:honor_roll_json", args=[pk])),
        ("png:1", reverse("campaigns:honor_roll_png", args=[pk, 1])),
    ]:
        response = client.get(url)
        stored = PublishedArtifact.objects.get(owner=owner(published_issue), name=name)
        assert response.status_code == 200
        assert response.content == stored.file.read()
        assert response["ETag"] == f'"{stored.sha256}"' and response["Content-Length"] == str(stored.size)
        assert "max-age" in response["Cache-Control"]
        again = client.get(url, headers={"if-none-match": response["ETag"]})
        assert again.status_code == 304
    pdf = client.get(reverse("campaigns:honor_roll_pdf", args=[pk]))
    assert pdf.status_code == 200 and body(pdf).startswith(b"%PDF") and pdf["ETag"]


def test_the_worker_renders_the_pages_for_the_sites_host(client, published_issue, django_assert_num_queries):
    host = settings.SITE_URL.split("://", 1)[1]
    settings_cache_clear()  # the worker is another process: only the database is shared
    for view in ("campaigns:honor_roll", "campaigns:honor_roll_print"):
        # The issue without its content, its errata, the page the worker kept: nothing rendered;
        # the first time, the site identity too (charity/identity.py), then kept in the cache.
        with django_assert_num_queries(4 if view == "campaigns:honor_roll" else 3):
            response = client.get(reverse(view, args=[published_issue.pk]), headers={"host": host})
        assert response.status_code == 200 and published_issue.content["title"] in response.content.decode()
        if view == "campaigns:honor_roll":  # its og: tags: absolute URLs of the site's host
            assert (
                f"{settings.SITE_URL}/cards/honor_roll/{published_issue.pk}.png" in response.content.decode()
            )


def test_the_files_hold_what_the_views_served_before(client, published_issue):
    pk = published_issue.pk
    rows = list(
        csv.reader(io.StringIO(client.get(reverse("campaigns:honor_roll_csv", args=[pk])).content.decode()))
    )
    assert rows[0][0].lstrip("\ufeff") == sharing.CSV_HEADER[0] and rows[0][1:] == sharing.CSV_HEADER[1:]
    assert len(rows) - 1 == len(list(sharing.csv_rows(published_issue.content)))
    document = json.loads(client.get(reverse("campaigns:honor_roll_json", args=[pk])).content)
    assert document["content"] == published_issue.content
    assert document["content_sha256"] == published_issue.content_sha256
    assert document["url"] == settings.SITE_URL + reverse("campaigns:honor_roll", args=[pk])
    png = client.get(reverse("campaigns:honor_roll_png", args=[pk, 1]))
    assert png["Content-Type"] == "image/png"
    assert Image.open(io.BytesIO(png.content)).size[0] == 1080
    assert client.get(reverse("campaigns:honor_roll_png", args=[pk, 99])).status_code == 404


def test_an_erratum_renders_the_files_again_with_it(
    client, published_issue, django_capture_on_commit_callbacks
):
    before = PublishedArtifact.objects.get(owner=owner(published_issue), name="json")
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_honor_roll_erratum(published_issue, "孙一的捐款日期应为9月11日。", None)
    after = PublishedArtifact.objects.get(owner=owner(published_issue), name="json")
    assert after.version != before.version and after.sha256 != before.sha256
    assert "孙一的捐款日期应为9月11日。" in after.file.read().decode()
    assert HonorRollPdf.objects.filter(issue=published_issue).count() == 2  # one per errata key
    served = client.get(reverse("campaigns:honor_roll_json", args=[published_issue.pk]))
    assert json.loads(served.content)["errata"][0]["text"] == "孙一的捐款日期应为9月11日。"


def test_a_missing_file_is_rendered_once_by_the_request_and_then_served_as_stored(client, gifts, monkeypatch):
    # Published, but the job has not run (no commit in this test): the worker is behind.
    issue = services.publish_honor_roll(new_issue(gifts, 1, "2023-09-30"), None)
    assert not stored_names(issue)
    url = reverse("campaigns:honor_roll_png", args=[issue.pk, 1])
    first = client.get(url)
    assert first.status_code == 200 and stored_names(issue) == {
        f"png:{n}" for n in range(1, len(stored_names(issue)) + 1)
    }
    monkeypatch.setattr(campaign_artifacts.images, "render_pages", lambda *a: pytest.fail("rendered twice"))
    settings_cache_clear()
    assert client.get(url).content == first.content
    # A page past the last of a stored group renders nothing again.
    assert client.get(reverse("campaigns:honor_roll_png", args=[issue.pk, 50])).status_code == 404


def settings_cache_clear():
    from django.core.cache import cache

    cache.clear()


def test_a_ranking_edition_stores_a_share_image_per_category(
    client, gifts, django_capture_on_commit_callbacks, monkeypatch
):
    edition = new_edition()
    with django_capture_on_commit_callbacks(execute=True):
        edition = services.publish_ranking(edition, None)
    forbid_rendering(monkeypatch)
    categories = [c["id"] for c in edition.content["categories"]]
    names = stored_names(edition)
    assert {"csv", "json"} <= names and all(f"png:{c}:1" in names for c in categories)
    png = client.get(reverse("campaigns:ranking_png", args=[edition.pk, categories[0], 1]))
    assert png.status_code == 200 and Image.open(io.BytesIO(png.content)).size[0] == 1080
    assert client.get(reverse("campaigns:ranking_png", args=[edition.pk, 999999, 1])).status_code == 404
    assert client.get(reverse("campaigns:ranking_csv", args=[edition.pk])).status_code == 200


def test_render_artifacts_stores_the_missing_files_of_every_published_document(gifts):
    issue = services.publish_honor_roll(new_issue(gifts, 1, "2023-09-30"), None)
    out = io.StringIO()
    call_command("render_artifacts", stdout=out)
    assert {"csv", "json", "png:1"} <= stored_names(issue)
    assert "已检查 1 份已发布文档" in out.getvalue()
    out = io.StringIO()
    call_command("render_artifacts", stdout=out)
    assert "生成并保存 0 个文件" in out.getvalue()
