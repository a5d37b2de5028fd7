"""One way to write numbers, everywhere the public reads them: every page of the demo site (HTML
and SVG charts), the text drawn on its share images, its honor-roll PDFs and the annual summary
PDF. Each number next to 万元, 元, 人次, 人, 笔, 家 or % must have the one allowed form:

- 万元: no thousands separators, at most four decimals (to the yuan), no trailing zero
  ("1810.7035万元", "209.6万元"), as the federation's reports write it;
- 元: thousands separators and exactly two decimals, in tables and prose alike ("18,107,035.00元");
- counts (人次, 人, 笔, 家): whole numbers with thousands separators ("1,201,949人次");
- percentages: exactly one decimal ("47.8%", "+10.6%").

Downloads for machines (CSV, JSON, spreadsheets) are not read here: their money is plain decimals
("1234.50"), see docs/staff/open-data.md. Neither is the text staff write themselves, a news
article's body (marked class="prose"): it is published as written, and the federation's own
reports write "增长18%" and "82 %" (the demo's seed articles).
"""

import datetime
import re
from decimal import Decimal
from html import unescape

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import ImageDraw

from campaigns import services
from campaigns.annual_summary.figures import annual_summary
from campaigns.models import Campaign
from charity import pdf
from donations.models import Donation, Donor
from tests.campaigns.pdf_text import pdf_pages
from tests.crawl import crawl

NUMBER = r"(?<![\d.,])[+\-]?\d[\d,]*(?:\.\d+)?"
UNIT = r"万元|(?<!万)元|人次|人(?!社)|笔|家|%"
NEXT_TO_UNIT = re.compile(rf"({NUMBER})\s*({UNIT})")
ALLOWED = {
    "万元": re.compile(r"[+\-]?(?:0|[1-9]\d*)(?:\.\d{0,3}[1-9])?"),
    "元": re.compile(r"[+\-]?\d{1,3}(?:,\d{3})*\.\d{2}"),
    "count": re.compile(r"\d{1,3}(?:,\d{3})*"),
    "%": re.compile(r"[+\-]?\d{1,3}(?:,\d{3})*\.\d"),
}
INVISIBLE = re.compile(r"<(script|style)\b.*?</\1>", re.S | re.I)
# A news article's Markdown body as staff wrote it (campaigns/news/markdown.py makes no <div>).
STAFF_PROSE = re.compile(r'<div class="prose">.*?</div>', re.S)
TAG = re.compile(r"<[^>]+>")
MACHINE_READABLE = (".csv", ".json", ".xlsx", ".docx")


def visible_text(text):
    """What a reader sees of an HTML page or SVG: tags become spaces (a cell's two lines stay two
    numbers), scripts and styles are dropped, entities decoded."""
    return unescape(TAG.sub(" ", INVISIBLE.sub(" ", STAFF_PROSE.sub(" ", text))))


def wrong_forms(text):
    """[(number, unit)] of every number beside a unit that is not in its one allowed form."""
    wrong = []
    for number, unit in NEXT_TO_UNIT.findall(text):
        rule = ALLOWED.get(unit, ALLOWED["count"])
        if not rule.fullmatch(number):
            wrong.append(f"{number}{unit}")
    return wrong


def test_the_detector():
    good = "募集资金1810.7035万元（18,107,035.00元），209.6 万元，增长 +10.6%，1,201,949人次，593 家，0 万元"
    assert wrong_forms(good) == []
    bad = "1812.10806万元 3,448.75万元 1810.70万元 1234.5元 1234.50元 1201949人次 47.83% 125% 12.0 人"
    assert wrong_forms(bad) == [
        "1812.10806万元", "3,448.75万元", "1810.70万元", "1234.5元", "1234.50元", "1201949人次",
        "47.83%", "125%", "12.0人",
    ]  # fmt: skip
    assert wrong_forms(visible_text('<td>330.78<small class="exact">3,307,800.00 元</small></td>')) == []


@pytest.fixture
def drawn_text(monkeypatch):
    """Every string drawn on a share image (PNG) while the test runs."""
    drawn = []
    draw_text = ImageDraw.ImageDraw.text

    def recording(self, xy, text, *args, **kwargs):
        drawn.append(text)
        return draw_text(self, xy, text, *args, **kwargs)

    monkeypatch.setattr(ImageDraw.ImageDraw, "text", recording)
    return drawn


@pytest.mark.django_db
def test_every_public_page_image_and_pdf_writes_numbers_one_way(demo_site, settings, tmp_path, drawn_text):
    settings.MEDIA_ROOT = tmp_path / "media"
    # 0.60 元 more: the 2023 total is no longer a whole yuan (1810.70356万元), so 万元 must round.
    campaign = Campaign.objects.get(year=2023)
    Donation.objects.create(
        donor=Donor.objects.individuals().first(),
        campaign=campaign,
        amount=Decimal("0.60"),
        received_on=campaign.end_date,
        status=Donation.Status.CONFIRMED,
        confirmed_at=timezone.make_aware(datetime.datetime(2023, 12, 31, 17)),
    )
    pages = crawl(Client())
    assert any("/pdf/" in url for url in pages) and any(url.endswith(".png") for url in pages)
    texts = {
        url: text if "/pdf/" in url else visible_text(text)
        for url, text in pages.items()
        if not url.endswith(MACHINE_READABLE)
    }
    texts["share images"] = "\n".join(drawn_text)
    assert drawn_text
    summary_pdf = tmp_path / "summary.pdf"
    summary_pdf.write_bytes(
        pdf.render_template(services.PDF_TEMPLATE, services.summary_context(annual_summary(2023))).content
    )
    texts["annual summary PDF"] = "\n".join(pdf_pages(summary_pdf))

    found = {where: wrong_forms(text) for where, text in texts.items()}
    found = {where: sorted(set(wrong))[:8] for where, wrong in found.items() if wrong}
    assert found == {}, "\n".join(f"{where}: {' '.join(wrong)}" for where, wrong in found.items())
    # 1810.70356万元 to the yuan, with the exact figure beside it.
    assert re.search(r"1810\.7036\s*万元\s*18,107,035\.60\s*元", texts["/"])


@pytest.mark.django_db
def test_where_wan_is_shown_the_exact_yuan_is_beside_it(demo_site, settings, tmp_path):
    campaign = Campaign.objects.get(year=2023)
    for url in ("/", reverse("campaigns:campaign", args=[campaign.pk])):
        text = visible_text(Client().get(url).content.decode())
        assert re.search(r"1810\.7035\s*万元\s*（?18,107,035\.00\s*元", text), url
