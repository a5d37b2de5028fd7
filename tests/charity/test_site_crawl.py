"""The demo site crawled from "/" as a visitor would (tests/crawl.py): whose site it is on every
page, the news with both seed articles, 信息公开 with the charter and an annual report, an Atom
feed that holds what Atom requires, and share tags on every HTML page."""

import re
import xml.etree.ElementTree as ET

import pytest
from django.test import Client

from tests.crawl import crawl

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"
OG_TITLE = re.compile(r'<meta property="og:title" content="([^"]*)">')
# The honor roll's print layout (campaigns/honor_roll_print.html) is a page for paper, outside the
# site shell: no menu, header or share tags. Its template belongs to the honor-roll pages.
PRINT_LAYOUT = '<body class="print-layout">'


@pytest.fixture(scope="module")
def pages(demo_site, django_db_blocker):
    with django_db_blocker.unblock():
        return crawl(Client())


def html_pages(pages):
    return {url: text for url, text in pages.items() if text.lstrip().lower().startswith("<!doctype html")}


def shell_pages(pages):
    return {url: text for url, text in html_pages(pages).items() if PRINT_LAYOUT not in text}


def test_every_page_says_whose_site_it_is_with_the_hotline(pages):
    found = shell_pages(pages)
    assert len(found) > 50
    missing = [
        url for url, text in found.items() if "衡阳市慈善总会" not in text or "0734-8860089" not in text
    ]
    assert missing == []


def test_every_html_page_has_one_non_empty_og_title(pages):
    found = shell_pages(pages)
    wrong = {url: OG_TITLE.findall(text) for url, text in found.items()}
    wrong = {url: titles for url, titles in wrong.items() if len(titles) != 1 or not titles[0].strip()}
    assert wrong == {}
    for url, text in found.items():
        assert 'property="og:image" content="http://testserver/cards/' in text, url
        assert re.search(r'<meta property="og:description" content="[^"]+">', text), url


def test_the_news_holds_both_seed_articles_with_their_dates(pages):
    articles = {url: text for url, text in html_pages(pages).items() if re.fullmatch(r"/news/\d+/", url)}
    titles = "\n".join(articles.values())
    assert "以求真务实的作风推动慈善事业持续健康发展——2019年全市慈善工作总结" in titles
    assert "2023年“慈善一日捐”工作总结" in titles
    assert "2020年1月13日" in titles and "2024年1月25日" in titles
    assert "光荣榜第五期发布" in titles  # an announcement of each honor-roll issue
    assert "慈善资讯" in pages["/"]


def test_open_information_holds_the_charter_and_an_annual_report(pages):
    organisation, documents = pages["/open/"], pages["/open/documents/"]
    assert "衡阳市慈善总会章程" in organisation and "第六届理事会" in organisation
    assert "珠江合创汇慈善基金" in organisation and "市直工委慈善分会" in organisation
    assert "<h2>年度工作报告</h2>" in documents and "2023年度工作报告" in documents
    assert "2019年度工作报告" in documents
    # The documents themselves open (charity.views.public_upload), as PDFs with their text.
    files = {url: text for url, text in pages.items() if url.startswith("/media/open/")}
    assert any("衡阳市慈善总会章程" in text and "第一章 总则" in text for text in files.values()), list(files)
    assert any("以求真务实的作风推动慈善事业持续健康发展" in text for text in files.values())


def test_the_atom_feed_is_reached_and_holds_what_atom_requires(pages):
    feed = ET.fromstring(pages["/news/feed.atom"])
    assert feed.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated", "author", "link"):
        assert feed.find(f"{ATOM}{name}") is not None, name
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) >= 7  # two seeds and five honor-roll announcements
    for entry in entries:
        for name in ("id", "title", "updated", "link", "summary"):
            assert entry.find(f"{ATOM}{name}") is not None, name
