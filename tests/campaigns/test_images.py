"""Shareable images: valid PNGs of the expected size, long lists over several pages, cards."""

import io

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from PIL import Image

from campaigns import services
from campaigns.honor_rolls import sharing
from charity import images
from tests import factories
from tests.campaigns.conftest import d, new_edition, publish_issue

pytestmark = pytest.mark.django_db


def png(data):
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def test_card_is_a_1200_by_630_png():
    image = png(
        images.render_card("2023年慈善一日捐光荣榜（第一期）", ["本期 1.2 万元"], "https://example.org/x")
    )
    assert image.size == (1200, 630)


def test_chinese_is_drawn_with_a_cjk_font():
    face = images.font(30)
    assert "CJK" in face.getname()[0] or "SC" in face.getname()[0]
    # A CJK glyph is as wide as the font size, not a narrow "missing glyph" box.
    assert face.getlength("慈") >= 28


def test_a_long_list_is_split_into_pages_no_taller_than_the_limit():
    lines = [("heading", "国资系统", "1 元")] + [("row", f"单位{i}", "1.00") for i in range(100)]
    pages = images.render_pages("标题", "截至 2023年9月30日", lines, "https://example.org/x")
    assert len(pages) == len(images.paginate(lines)) >= 3
    for data in pages:
        image = png(data)
        assert image.width == images.PAGE_WIDTH and image.height <= images.PAGE_MAX
    # A section continued on the next page repeats its heading.
    assert images.paginate(lines)[1][0] == ("heading", "国资系统（续）", "")


def test_a_sector_too_long_for_one_picture_says_how_many_names_it_leaves_out(gifts):
    for i in range(120):
        factories.donation(
            factories.unit(f"衡阳市分享测试单位{i}", sector_name="国资系统"),
            gifts,
            "100.00",
            received_on=d("2023-09-20"),
        )
    issue = publish_issue(gifts, 1, "2023-09-30")
    sector = next(s for s in issue.content["sectors"] if s["name"] == "国资系统")
    lines = sharing.sector_share_lines(issue.content, sector)
    assert len(images.paginate(lines)) == 1
    shown = sum(sharing.names_in(line) for line in lines)
    more = next(line[1] for line in lines if line[1].startswith("……还有"))
    # Its units, and its unit's two staff members.
    assert more == f"……还有 {len(sector['units']) + 2 - shown} 个名字，扫码查看本版块完整名单"
    picture = png(images.render_page("标题", "截至", lines, "https://example.org/x", 1, 1))
    assert picture.width == images.PAGE_WIDTH and picture.height <= images.PAGE_MAX


def test_ranking_category_images_and_cards(client, gifts):
    edition = services.publish_ranking(new_edition(), None)
    category = edition.content["categories"][0]
    response = client.get(reverse("campaigns:ranking_png", args=[edition.pk, category["id"], 1]))
    assert png(response.content).width == 1080
    for kind, pk in [("ranking", edition.pk), ("ranking_category", category["id"]), ("rankings", None)]:
        args = [kind] if pk is None else [kind, pk]
        response = client.get(reverse("campaigns:card", args=args))
        assert response.status_code == 200 and png(response.content).size == (1200, 630)


def test_cards_of_unknown_kinds_or_drafts_are_not_found(client, gifts):
    assert client.get(reverse("campaigns:card", args=["nothing"])).status_code == 404
    assert client.get(reverse("campaigns:card", args=["honor_roll", 999])).status_code == 404


def test_a_page_adds_a_card_in_one_line():
    @images.card("test_page")
    def test_card(pk):
        return images.Card("测试页面", ["一行"], "/")

    request = RequestFactory().get("/")
    html = Template('{% load share %}{% og_image "test_page" %}').render(Context({"request": request}))
    assert 'content="http://testserver/cards/test_page.png"' in html
    assert images.card_for("test_page").title == "测试页面"
