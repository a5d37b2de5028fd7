"""慈善资讯: drafted and published by the publisher (the Snapshot shape), Markdown made safe,
pictures re-encoded, PDFs only as attachments, the public list, article pages, the Atom feed and
the home page's latest news."""

import datetime
import io
import re
import xml.etree.ElementTree as ET

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from campaigns.models import Article, ArticleImage
from campaigns.news import markdown
from campaigns.news.services import publish_article, publish_article_erratum
from charity.models import AuditEntry
from charity.snapshots import SnapshotError
from tests.conftest import staff_with_role
from tests.publishing import confirm

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def news_publisher(db):
    """发布员 as charity/roles.py makes it (this folder's `publisher` holds honor-roll permissions only)."""
    return staff_with_role("news-publisher", "发布员")


def draft(title="2023年慈善一日捐启动", category=Article.Category.WORK, date="2023-08-28", **fields):
    fields.setdefault("body", "8月28日，2023年“慈善一日捐”正式启动。\n\n## 活动安排\n\n- 9月30日第一期光荣榜")
    return Article.objects.create(
        title=title, category=category, date=datetime.date.fromisoformat(date), **fields
    )


def published(*args, **kwargs):
    return publish_article(draft(*args, **kwargs), None)


# --- Markdown -----------------------------------------------------------------------------------


def test_markdown_passes_no_html_no_script_links_and_no_outside_images():
    html = markdown.render(
        "# 标题\n\n<script>alert(1)</script> <img src=x onerror=alert(1)> [点我](javascript:alert(1)) "
        "[市民政局](https://mzj.hengyang.gov.cn) ![合影](https://tracker.example/p.png)"
    )
    assert "<script" not in html and "<img" not in html and "&lt;script&gt;" in html
    assert 'href="javascript:' not in html
    assert '<a href="https://mzj.hengyang.gov.cn" rel="noopener noreferrer">市民政局</a>' in html
    assert "tracker.example" not in html and "合影" in html
    assert html.startswith("<h2>标题</h2>")  # the page's <h1> is the article's title
    # The text's highest heading is <h2> whatever its level, the rest keep their distance.
    html = markdown.render("## 一、基本情况\n\n### （一）募捐")
    assert html == "<h2>一、基本情况</h2>\n<h3>（一）募捐</h3>\n"


def test_plain_text_is_the_words_without_markup():
    assert markdown.plain_text("## 小标题\n\n**加粗**和[链接](https://a.cn)") == "小标题 加粗和链接"
    assert len(markdown.plain_text("字" * 500)) == 120


# --- publishing ---------------------------------------------------------------------------------


def test_the_publisher_previews_and_publishes_a_draft(client, news_publisher):
    article = draft(summary="")
    client.force_login(news_publisher)
    page = client.get(reverse("admin:campaigns_article_publish", args=[article.pk])).content.decode()
    assert "没有填写摘要" in page and "活动安排" in page
    assert client.get(reverse("news:article", args=[article.pk])).status_code == 404  # a draft
    confirm(client, article)
    article.refresh_from_db()
    assert article.is_published and article.content["body_html"].startswith("<p>8月28日")
    entry = AuditEntry.objects.get(action="campaigns.article.published")
    assert entry.actor == news_publisher and entry.data["sha256"] == article.content_sha256
    page = client.get(reverse("news:article", args=[article.pk])).content.decode()
    assert "<h1>2023年慈善一日捐启动</h1>" in page and "<h2>活动安排</h2>" in page
    assert "2023年8月28日" in page


def test_a_published_article_is_corrected_only_by_an_erratum(client, news_publisher):
    article = published()
    article.title = "改过的标题"
    with pytest.raises(SnapshotError, match="已发布，不能修改“标题”"):
        article.save()
    with pytest.raises(SnapshotError):
        ArticleImage.objects.create(article=article, caption="后补的图片")
    publish_article_erratum(article, "", None, reason="启动日期应为 8月28日", changes=[])
    page = client.get(reverse("news:article", args=[article.pk])).content.decode()
    assert "更正原因" in page and "启动日期应为 8月28日" in page


def test_the_empty_draft_is_refused():
    with pytest.raises(SnapshotError, match="正文是空的"):
        publish_article(draft(body="   "), None)


@pytest.mark.parametrize("role", ["clerk", "reviewer", "leader", "relief_officer"])
def test_other_roles_cannot_publish_news(client, role, request):
    article = draft()
    client.force_login(request.getfixturevalue(role))
    response = client.post(reverse("admin:campaigns_article_publish", args=[article.pk]), {"token": "0" * 64})
    assert response.status_code == 403
    assert client.get(reverse("admin:campaigns_article_add")).status_code == 403


def inline_data(images=0, attachments=0):
    data = {"errata-TOTAL_FORMS": "0", "errata-INITIAL_FORMS": "0"}
    for prefix, total in (("images", images), ("attachments", attachments)):
        data.update({f"{prefix}-TOTAL_FORMS": str(total), f"{prefix}-INITIAL_FORMS": "0"})
    return data


def test_pictures_are_reencoded_and_attachments_must_be_pdf(client, news_publisher, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(news_publisher)
    photo = io.BytesIO()
    exif = Image.Exif()
    exif[0x010F] = "拍摄地点 衡阳市某小区"  # Make; any EXIF the upload carries must go
    Image.new("RGB", (3000, 2000), (200, 30, 30)).save(photo, "JPEG", exif=exif)
    fields = {"title": "走访慰问", "category": "work", "date": "2023-09-01", "summary": "", "body": "正文"}
    data = {
        **fields,
        **inline_data(images=1, attachments=1),
        "images-0-image": SimpleUploadedFile("p.jpg", photo.getvalue(), "image/jpeg"),
        "images-0-caption": "志愿者走访",
        "images-0-order": "0",
        "attachments-0-title": "通知全文",
        "attachments-0-file": SimpleUploadedFile("n.pdf", b"<html>not a pdf</html>", "application/pdf"),
        "attachments-0-order": "0",
    }
    page = client.post(reverse("admin:campaigns_article_add"), data).content.decode()
    assert "不是 PDF 文件，这里只接受 PDF" in page and not Article.objects.exists()
    data["images-0-image"] = SimpleUploadedFile("p.jpg", photo.getvalue(), "image/jpeg")
    data["attachments-0-file"] = SimpleUploadedFile("n.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")
    response = client.post(reverse("admin:campaigns_article_add"), data)
    assert response.status_code == 302, response.content.decode()
    image = ArticleImage.objects.get()
    stored = Image.open(image.image.open("rb"))
    assert stored.format == "JPEG" and stored.size == (1600, 1067) and not stored.getexif()
    article = publish_article(Article.objects.get(), None)
    page = client.get(reverse("news:article", args=[article.pk])).content.decode()
    assert f'src="{image.image.url}" alt="志愿者走访" width="1600" height="1067"' in page
    assert "通知全文</a>（PDF，" in page


# --- the public pages ---------------------------------------------------------------------------


def test_the_list_pages_and_filters_by_category(client):
    for day in range(1, 18):
        published(f"工作动态 {day:02d}", date=f"2023-09-{day:02d}")
    published("第一期光荣榜发布", category=Article.Category.HONOR, date="2023-10-04")
    draft("未发布的草稿", date="2023-12-01")
    page = client.get(reverse("news:list")).content.decode()
    assert page.index("第一期光荣榜发布") < page.index("工作动态 17") and "未发布的草稿" not in page
    assert "第 1 / 2 页" in page and "工作动态 03" not in page
    assert "工作动态 02" in client.get(reverse("news:list") + "?page=2").content.decode()
    page = client.get(reverse("news:list") + "?category=honor").content.decode()
    assert "第一期光荣榜发布" in page and "工作动态" not in page.split('<ul class="news-list">')[1]


def test_the_home_page_shows_the_latest_news(client):
    article = published("2023年慈善一日捐启动")
    page = client.get("/").content.decode()
    assert reverse("news:article", args=[article.pk]) in page and "2023年8月28日" in page


def test_the_atom_feed_holds_what_atom_requires(client):
    first = published(
        "慈善光明行启动", category=Article.Category.PROJECT, date="2023-05-10", summary="为500名患者复明"
    )
    published("第一期光荣榜发布", category=Article.Category.HONOR, date="2023-10-04")
    response = client.get(reverse("news:feed"))
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    assert feed.tag == f"{ATOM}feed"
    # RFC 4287: a feed has id, title, updated, an author (or every entry has one); each entry id,
    # title, updated and a link.
    for name in ("id", "title", "updated", "author"):
        assert feed.find(f"{ATOM}{name}") is not None, name
    entries = feed.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}title").text for e in entries] == ["第一期光荣榜发布", "慈善光明行启动"]
    for entry in entries:
        for name in ("id", "title", "updated", "link"):
            assert entry.find(f"{ATOM}{name}") is not None, name
    last = entries[1]
    assert last.find(f"{ATOM}link").get("href").endswith(reverse("news:article", args=[first.pk]))
    assert last.find(f"{ATOM}summary").text == "为500名患者复明"
    assert last.find(f"{ATOM}category").get("term") == "项目动态"
    assert feed.find(f"{ATOM}title").text == "市慈善总会 · 慈善资讯"


def test_an_article_has_its_share_card(client):
    article = published(summary="2023年“慈善一日捐”正式启动")
    page = client.get(reverse("news:article", args=[article.pk])).content.decode()
    card = reverse("campaigns:card", args=["news", article.pk])
    assert card in page
    png = client.get(card)
    assert png["Content-Type"] == "image/png" and Image.open(io.BytesIO(png.content)).size == (1200, 630)
    assert client.get(reverse("campaigns:card", args=["news", draft().pk])).status_code == 404


def test_the_seed_articles_read_as_the_federation_wrote_them():
    """The scrape's damage is repaired: dates with 年/月, list items apart, full-width punctuation."""
    from campaigns.demo.news import ARTICLES, SEEDS

    for filename, *_ in SEEDS:
        text = (ARTICLES / filename).read_text(encoding="utf-8")
        assert not re.search(r"[,:]", text), filename
    text = (ARTICLES / SEEDS[1][0]).read_text(encoding="utf-8")
    assert "于2023年8月28日正式启动，至12月31日基本结束" in text and "2023828" not in text
    assert "市直工委慈善分会捐款330.78万元、部队系统捐款40.01万元、" in text
    assert "有提升的为：个人板块、教育系统、民宗系统、民营企业、" in text
