"""An honor-roll issue's PDF read as a reader reads it: names, amounts, totals, errata, fonts, pages;
and served as stored, rendered once."""

import re
import threading
import time
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from campaigns import services
from campaigns.honor_rolls import pdf as layout
from campaigns.models import HonorRollPdf
from charity.money import wan, yuan
from donations.models import Donation, RemittanceLine
from tests import factories
from tests.campaigns.conftest import SECRETS, d, new_issue, publish_issue

from .pdf_text import pdf_fonts, pdf_pages, pdf_text

AMOUNT = re.compile(r"^[0-9,]+\.[0-9]{2}$")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def renders(monkeypatch):
    """Every render of an issue's PDF, counted."""
    calls = []
    render = layout.render_issue

    def counted(document, **kwargs):
        calls.append(document.content["number"])
        return render(document, **kwargs)

    monkeypatch.setattr(layout, "render_issue", counted)
    return calls


def download(client, issue, tmp_path, name="issue.pdf"):
    response = client.get(reverse("campaigns:honor_roll_pdf", args=[issue.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    path = tmp_path / name
    path.write_bytes(b"".join(response.streaming_content))
    return path


def entries(content):
    """(name, amount) of every unit, named person and staff member the issue lists."""
    for sector in content["sectors"]:
        for row in (*sector["units"], *sector["people"], *sector["staff"]):
            yield row["name"], row["amount"]


@pytest.mark.django_db
def test_every_listed_name_and_amount_and_the_totals_to_the_fen(client, gifts, tmp_path):
    issue = publish_issue(gifts, 1, "2023-09-30")
    services.publish_honor_roll_erratum(issue, "国资系统一笔捐款的收到日期应为9月5日，金额无误。", None)
    path = download(client, issue, tmp_path)
    text = pdf_text(path)
    content = issue.content

    listed = list(entries(content))
    assert len(listed) == 9  # 2 units, 3 named people, 2 staff lines of each unit
    for name, amount in listed:
        assert f"{name}{yuan(amount)}" in text, (name, amount)
    assert "其他2位爱心人士，合计850.00元" in text  # below the threshold: 800 (blank alias) + 50

    # The issue's totals, as the content has them and as the donations add up.
    total = sum((g.amount for g in Donation.objects.filter(campaign=gifts)), Decimal("0.00"))
    assert Decimal(content["total"]) == total == Decimal("12850.00")
    assert f"本期捐款{wan(total)}万元（{yuan(total)}元），{content['donations']}笔" in text
    assert "本期捐款1.285万元（12,850.00元），8笔" in text
    assert (
        f"累计捐款{wan(content['running_total'])}万元（{yuan(content['running_total'])}元）"
        in text
    )
    for sector in content["sectors"]:
        row = f"{sector['name']}{yuan(sector['total'])}{yuan(sector['total'])}"
        assert row in text, row  # the first issue: this issue's money is all there is so far
    assert sum(Decimal(s["total"]) for s in content["sectors"]) == total
    assert "合计12,850.0012,850.00" in text

    # Heading, the issue, the cut-off, the errata, page numbers, the note of where it came from.
    assert "2023年慈善一日捐光荣榜（第一期）" in text
    assert "截至2023年9月30日收到的捐款" in text and "第一期" in text
    assert "更正说明" in text and "国资系统一笔捐款的收到日期应为9月5日，金额无误。" in text
    pages = len(pdf_pages(path))
    assert f"第1页/共{pages}页" in text and f"第{pages}页/共{pages}页" in text
    assert f"内容指纹（SHA-256）：{issue.content_sha256}" in text
    assert f"/honor-rolls/{issue.pk}/" in text and "生成于" in text


@pytest.mark.django_db
def test_anonymous_gifts_show_as_爱心人士_and_no_real_name_of_theirs(client, gifts, tmp_path):
    issue = publish_issue(gifts, 1, "2023-09-30")
    text = pdf_text(download(client, issue, tmp_path))
    assert "爱心人士3,000.00" in text  # an anonymous donor
    assert "爱心人士700.00" in text  # an anonymous unit
    assert "爱心人士1,500.00" in text  # an anonymous line on a unit's staff list
    assert "一位老党员1,000.00" in text  # an alias
    for secret in SECRETS:
        assert secret not in text


@pytest.mark.django_db
def test_only_the_shipped_font_embedded_as_a_subset(client, gifts, tmp_path):
    path = download(client, publish_issue(gifts, 1, "2023-09-30"), tmp_path)
    fonts = pdf_fonts(path)
    assert fonts and all(embedded for _, _, embedded in fonts)
    assert {name.split("+")[0].isalpha() and len(name.split("+")[0]) for name, _, _ in fonts} == {6}
    assert {name.split("+")[1] for name, _, _ in fonts} <= {"Noto-Sans-SC", "Noto-Sans-SC-Bold"}


@pytest.mark.django_db
def test_a_draft_or_unknown_issue_has_no_pdf(client, gifts, renders):
    draft = new_issue(gifts, 1, "2023-09-30")
    assert client.get(reverse("campaigns:honor_roll_pdf", args=[draft.pk])).status_code == 404
    assert client.get(reverse("campaigns:honor_roll_pdf", args=[9999])).status_code == 404
    assert renders == [] and not HonorRollPdf.objects.exists()


@pytest.mark.django_db
def test_rendered_once_then_served_as_stored_until_an_erratum(
    client, gifts, tmp_path, renders, django_assert_num_queries
):
    issue = publish_issue(gifts, 1, "2023-09-30")
    first = download(client, issue, tmp_path, "first.pdf").read_bytes()
    # The issue (without its content), its errata, the stored file: no render, no content loaded.
    with django_assert_num_queries(3):
        second = download(client, issue, tmp_path, "second.pdf").read_bytes()
    assert renders == [1] and second == first

    services.publish_honor_roll_erratum(issue, "第二条更正：金额无误。", None)
    third = download(client, issue, tmp_path, "third.pdf")
    assert renders == [1, 1]
    assert "第二条更正：金额无误。" in pdf_text(third)
    download(client, issue, tmp_path, "fourth.pdf")
    assert renders == [1, 1]
    assert HonorRollPdf.objects.filter(issue=issue).count() == 2


@pytest.mark.django_db
def test_a_lost_file_is_rendered_again(client, gifts, tmp_path, renders):
    issue = publish_issue(gifts, 1, "2023-09-30")
    download(client, issue, tmp_path)
    stored = HonorRollPdf.objects.get()
    stored.pdf.storage.delete(stored.pdf.name)
    assert "孙一2,000.00" in pdf_text(download(client, issue, tmp_path, "again.pdf"))
    assert renders == [1, 1] and HonorRollPdf.objects.count() == 1


@pytest.mark.django_db
def test_the_issue_page_links_the_pdf(client, gifts):
    issue = publish_issue(gifts, 1, "2023-09-30")
    body = client.get(reverse("campaigns:honor_roll", args=[issue.pk])).content.decode()
    assert f'<a href="/honor-rolls/{issue.pk}/pdf/">下载 PDF</a>' in body


@pytest.fixture
def long_issue(campaign):
    """300 named people with distinct amounts, units with long and short names, staff lists."""
    personal = factories.sector("个人")
    for i in range(300):
        person = factories.person(f"捐赠人{i:03d}")
        factories.donation(
            person, campaign, f"{5000 - i * 10}.00", sector=personal, received_on=d("2023-09-10")
        )
    long_name = "衡阳市城市建设投资有限公司第二工程项目管理部安全生产监督管理办公室"
    for name in ("衡阳市教育局", long_name, "衡阳市第一中学"):
        unit = factories.unit(name, sector_name="教育系统")
        gift = factories.donation(unit, campaign, "20000.00", received_on=d("2023-09-11"))
        for j in range(25):
            staff = factories.person(f"{name[-2:]}职工{j:02d}", employer=unit)
            RemittanceLine.objects.create(remittance=gift, donor=staff, amount=Decimal(f"{1000 + j}.00"))
    return publish_issue(campaign, 1, "2023-09-30")


def grid_pairs(line):
    """[(name, amount)] of a line of names, or None for any other line."""
    tokens = line.split()
    if len(tokens) < 2 or len(tokens) % 2 or not all(AMOUNT.match(t) for t in tokens[1::2]):
        return None
    return list(zip(tokens[::2], tokens[1::2], strict=True))


@pytest.mark.django_db
def test_names_read_down_each_column_and_every_page_is_as_planned(client, long_issue, tmp_path):
    content = long_issue.content
    pages = pdf_pages(download(client, long_issue, tmp_path))

    read = []
    for page in pages_of_names(pages, content):
        lines = [line.strip() for line in page.splitlines() if line.strip()][1:]  # after the running head
        # Each page's part of a list (the lines between two labels) reads down its first column,
        # then the next.
        for block in runs_of_names(lines):
            columns = max(len(row) for row in block)
            read += [row[c] for c in range(columns) for row in block if c < len(row)]
    expected = [(name, yuan(amount)) for name, amount in entries(content)]
    assert read == expected
    # The cover; 个人's heading, label and 51 rows of four names (204), then 96 more on page 3 and
    # 教育系统's three units and 55 of its 75 staff; the last 20 of them on page 4.
    assert len(pages) == 4


def pages_of_names(pages, content):
    """The pages after the cover, each checked to open with a sector's heading or to say which list
    it continues: a line pushed over by a height other than planned would open a page of its own."""
    headings = {s["name"] for s in content["sectors"]}
    for number, page in enumerate(pages[1:], start=2):
        first = [line.strip() for line in page.splitlines() if line.strip()][1]  # after the running head
        assert first.split()[0] in headings or first.endswith("（续）"), (number, first)
        yield page


@pytest.mark.django_db
def test_a_name_longer_than_a_line_has_its_amount_on_the_next(client, campaign, tmp_path):
    longest = "衡阳" * 100  # 200 characters, the most a donor's name may have
    for i in range(80):
        name = longest[: 40 + i] if i % 9 == 4 else f"衡阳市第{i}中学"
        factories.donation(factories.unit(name, "教育系统"), campaign, f"{9000 - i}.00")
    issue = publish_issue(campaign, 1, "2023-09-30")
    path = download(client, issue, tmp_path)
    text = pdf_text(path)
    for name, amount in entries(issue.content):
        assert f"{name}{yuan(amount)}" in text
    pages = list(pages_of_names(pdf_pages(path), issue.content))
    assert len(pages) == 2  # 71 short names and 9 long ones (2 to 4 lines each) after the cover


def runs_of_names(lines):
    runs, current = [], []
    for line in lines:
        pairs = grid_pairs(line)
        if pairs:
            current.append(pairs)
        elif current:
            runs.append(current)
            current = []
    return runs + [current] if current else runs


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_first_requests_at_once_render_once(report_sectors, monkeypatch, tmp_path):
    campaign = factories.campaign()
    factories.donation(factories.unit("衡阳市教育局", "教育系统"), campaign, "800.00")
    issue = publish_issue(campaign, 1, "2023-09-30")
    # The worker renders the PDF once the issue is published (charity/artifacts.py); requests
    # render it only when the stored file is missing (worker behind, a restore): two such first
    # requests at once still render it once.
    for stored in HonorRollPdf.objects.filter(issue=issue):
        stored.pdf.delete(save=False)
        stored.delete()
    calls = []
    render = layout.render_issue

    def slow(document, **kwargs):
        calls.append(1)
        time.sleep(0.5)  # long enough for the second request to arrive meanwhile
        return render(document, **kwargs)

    monkeypatch.setattr(layout, "render_issue", slow)
    start, bodies = threading.Barrier(2), []

    def fetch():
        start.wait()
        try:
            response = Client().get(reverse("campaigns:honor_roll_pdf", args=[issue.pk]))
            bodies.append((response.status_code, b"".join(response.streaming_content)))
        finally:
            connection.close()

    threads = [threading.Thread(target=fetch) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert calls == [1]
    assert [status for status, _ in bodies] == [200, 200] and bodies[0][1] == bodies[1][1]


@pytest.mark.django_db
def test_an_issue_with_no_new_gifts_is_one_page_saying_so(client, gifts, tmp_path):
    publish_issue(gifts, 1, "2023-09-30")
    empty = publish_issue(gifts, 2, "2023-10-31")
    path = download(client, empty, tmp_path)
    text = pdf_text(path)
    assert len(pdf_pages(path)) == 1
    assert "本期捐款0万元（0.00元），0笔" in text and "累计捐款1.285万元（12,850.00元），8笔" in text
    assert "国资系统—5,000.00" in text and "合计0.0012,850.00" in text
