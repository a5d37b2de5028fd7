"""The site shell every public page shares (templates/base.html, charity/templatetags/site.py):
the menu marks where the visitor is, each page has its share tags exactly once, the 长辈模式
switch is a static script (the CSP allows no inline one), the error pages are the site's own."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from campaigns.models import Article
from charity.models import SiteIdentity
from charity.templatetags.site import current_item

pytestmark = pytest.mark.django_db
META = re.compile(r'<meta property="(og:[a-z:]+)" content="([^"]*)">')


def og_tags(page):
    found = {}
    for name, value in META.findall(page):
        found.setdefault(name, []).append(value)
    return found


def test_the_current_menu_item_is_the_page_or_the_section_it_lies_under():
    urls = ["/news/", "/campaigns/", "/relief/", "/relief/disclosures/", "/open/"]
    assert current_item("/news/", urls) == "/news/"
    assert current_item("/news/12/", urls) == "/news/"
    assert current_item("/relief/disclosures/3/", urls) == "/relief/disclosures/"  # not 善款去向 too
    assert current_item("/relief/years/2023/", urls) == "/relief/"
    assert current_item("/", urls) is None


def test_the_menu_marks_the_page_and_its_section_once(client):
    article = Article.objects.create(title="启动", date="2023-08-28", body="正文")
    from campaigns.news.services import publish_article

    publish_article(article, None)
    page = client.get(reverse("news:list")).content.decode()
    assert page.count("aria-current=") == 2  # the menu, and the list's own 全部 tab
    assert '<a href="/news/" aria-current="page">慈善资讯</a>' in page
    page = client.get(reverse("news:article", args=[article.pk])).content.decode()
    assert '<a href="/news/" aria-current="true">慈善资讯</a>' in page
    assert page.count("aria-current=") == 1
    assert "aria-current" not in client.get("/").content.decode().split("<main")[0]


@pytest.mark.parametrize(
    "url",
    ["/", "/news/", "/open/", "/open/documents/", "/contact/", "/relief/", "/campaigns/", "/no/such/page/"],
)
def test_every_page_has_each_share_tag_once_and_its_title(client, url):
    SiteIdentity.objects.create(full_name="衡阳市慈善总会", short_name="衡阳慈善")
    page = client.get(url).content.decode()
    tags = og_tags(page)
    assert {name: len(values) for name, values in tags.items() if len(values) > 1} == {}
    title = re.search(r"<title>(.*?)</title>", page, re.S).group(1)
    assert tags["og:title"] == [title] and "衡阳慈善" in title
    assert tags["og:description"][0].strip() and tags["og:image"][0].startswith("http://testserver/cards/")
    assert tags["og:type"] == ["website"]


def test_a_page_that_writes_its_own_share_tags_keeps_them_alone(client):
    article = Article.objects.create(
        title="慈善光明行复明500人", date="2023-10-01", body="正文", summary="摘要"
    )
    from campaigns.news.services import publish_article

    publish_article(article, None)
    tags = og_tags(client.get(reverse("news:article", args=[article.pk])).content.decode())
    assert tags["og:type"] == ["article"]
    assert tags["og:image"] == [f"http://testserver/cards/news/{article.pk}.png"]
    assert tags["og:title"][0].startswith("慈善光明行复明500人 · 慈善资讯") and tags["og:description"] == [
        "摘要"
    ]
    card = Client().get(reverse("campaigns:card", args=["site"]))
    assert card.status_code == 200 and card["Content-Type"] == "image/png"


def test_elder_mode_is_a_static_script_and_no_page_has_an_inline_one(client):
    page = client.get("/").content.decode()
    assert '<script src="/static/charity/elder.js"></script>' in page
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", page) == []
    assert '<button type="button" class="elder-toggle" aria-pressed="false" hidden>长辈模式</button>' in page


def test_the_404_page_is_the_sites_own_and_helps(client):
    SiteIdentity.objects.create(
        full_name="衡阳市慈善总会", short_name="衡阳慈善", help_hotline="0734-8860089"
    )
    response = client.get("/honor-rolls/999999/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "页面不存在 · 衡阳慈善" in page and "0734-8860089" in page
    for name in ("home", "news:list", "campaigns:lookup"):
        assert f'href="{reverse(name)}"' in page


def test_a_campaigns_honor_rolls_are_marked_as_honor_rolls(client):
    from tests import factories

    campaign = factories.campaign()
    page = client.get(reverse("campaigns:honor_roll_list", args=[campaign.pk])).content.decode()
    assert '<a href="/honor-rolls/" aria-current="true">光荣榜</a>' in page
    assert page.count("aria-current=") == 1
