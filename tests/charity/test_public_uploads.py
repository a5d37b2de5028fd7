"""Public uploads (the emblem and QR code, news pictures and files, 信息公开's documents) are served
from their folders under MEDIA_ROOT, and nothing else there is (charity.views.public_upload)."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    for name, body in {
        "open/charter.pdf": b"%PDF-1.4 charter",
        "news/images/picture.jpg": b"\xff\xd8\xff jpeg",
        "annual-summaries/2023.pdf": b"%PDF-1.4 summary",
        "published/issue.csv": b"name,amount",
    }.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(body)
    return tmp_path


def test_a_public_document_is_served_as_stored(client, media):
    response = client.get("/media/open/charter.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == b"%PDF-1.4 charter"
    assert client.get("/media/news/images/picture.jpg")["Content-Type"] == "image/jpeg"
    assert reverse("public_upload", args=["open/charter.pdf"]) == "/media/open/charter.pdf"


@pytest.mark.parametrize(
    "path",
    [
        "/media/annual-summaries/2023.pdf",  # served by its own view, which checks the release
        "/media/published/issue.csv",
        "/media/open/../annual-summaries/2023.pdf",
        "/media/open/missing.pdf",
        "/media/open/",
    ],
)
def test_nothing_else_under_media_is_served(client, media, path):
    assert client.get(path).status_code == 404
