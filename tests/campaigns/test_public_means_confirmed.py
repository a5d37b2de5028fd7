"""Public means confirmed (#19): every public surface counts confirmed gifts only, read through
`Donation.objects.public()` / `RemittanceLine.objects.public()`; a page may say in one line what
is still being checked (另有 N 笔、X 元正在核对), never in its totals.

Each surface is asked with a campaign holding a confirmed gift and gifts still under review: a
unit's pending remittance with a staff line, and a person's pending gift.
"""

import json
from decimal import Decimal

import pytest
from django.urls import reverse

from campaigns import selectors, services
from campaigns.annual_summary.figures import annual_summary, data_fingerprint
from campaigns.dashboard import dashboard
from campaigns.honor_rolls.sharing import csv_rows, sector_share_lines
from campaigns.rankings.content import Kind, candidates
from campaigns.selectors import campaign_figures, sector_figures
from campaigns.views.home import home_card
from campaigns.views.public import campaign_card
from donations.models import Donation, RemittanceLine
from donations.review import confirm_donations
from tests import factories
from tests.campaigns.conftest import d, new_edition, publish_issue

from .pdf_text import pdf_text

pytestmark = pytest.mark.django_db

PENDING_NAMES = ("待核单位", "待核职工", "待核个人")
HONEST_LINE = "另有 2 笔、800.00 元正在核对"


@pytest.fixture
def ledger(campaign):
    """Confirmed: 确认单位 1000 元 (10 people) with staff line 确认职工, 孙确认 60 元.
    Under review: 待核单位 500 元 (5 people) with staff line 待核职工, 待核个人 300 元."""
    confirmed_unit = factories.unit("确认单位", sector_name="国资系统")
    remittance = factories.donation(
        confirmed_unit, campaign, "1000.00", head_count=10, received_on=d("2023-09-05")
    )
    RemittanceLine.objects.create(
        remittance=remittance,
        donor=factories.person("确认职工", employer=confirmed_unit),
        amount=Decimal("1000.00"),
    )
    factories.donation(factories.person("孙确认"), campaign, "60.00", received_on=d("2023-09-05"))
    pending_unit = factories.unit("待核单位", sector_name="国资系统")
    pending = factories.donation(
        pending_unit, campaign, "500.00", head_count=5, received_on=d("2023-09-06"), status="pending"
    )
    RemittanceLine.objects.create(
        remittance=pending,
        donor=factories.person("待核职工", employer=pending_unit),
        amount=Decimal("1000.00"),
    )
    factories.donation(
        factories.person("待核个人"),
        campaign,
        "300.00",
        receipt_no="HY2023-900",
        received_on=d("2023-09-06"),
        status="pending",
    )
    return campaign


def pending_gift_ids():
    return list(Donation.objects.filter(status="pending").values_list("pk", flat=True))


def no_pending_name(text):
    return not any(name in text for name in PENDING_NAMES)


def test_one_queryset_method_defines_what_the_public_counts(ledger):
    assert Donation.objects.public().total() == Decimal("1060.00")
    assert Donation.objects.for_campaign(ledger).under_review() == {
        "donations": 2,
        "total": Decimal("800.00"),
    }
    assert [row["public_name"] for row in RemittanceLine.objects.for_public_display()] == ["确认职工"]
    names = [row["public_name"] for row in Donation.objects.for_public_display()]
    assert sorted(names) == ["孙确认", "确认单位"]


def test_home_page_counts_confirmed_gifts_and_says_what_is_being_checked(client, ledger):
    body = client.get(reverse("home")).content.decode()
    assert "1,060.00 元" in body and "0.106 万元" not in body
    assert HONEST_LINE in body
    assert "<strong>11</strong> 人参与" in body  # 10 on the confirmed remittance, 1 person


def test_campaign_page_counts_confirmed_gifts_and_says_what_is_being_checked(
    client, ledger, django_capture_on_commit_callbacks
):
    response = client.get(reverse("campaigns:campaign", args=[ledger.pk]))
    body = response.content.decode()
    figures = response.context["figures"]
    assert (figures.total, figures.donations, figures.units, figures.head_count) == (
        Decimal("1060.00"),
        2,
        1,
        11,
    )
    assert "1,060.00 元 · 2 笔" in body and HONEST_LINE in body
    assert no_pending_name(body)
    # Without gifts under review, no line at all.
    with django_capture_on_commit_callbacks(execute=True):
        Donation.objects.filter(status="pending").delete()
    assert "正在核对" not in client.get(reverse("campaigns:campaign", args=[ledger.pk])).content.decode()


def test_sector_page_lists_confirmed_units_only(client, ledger):
    sector = factories.sector("国资系统")
    body = client.get(reverse("campaigns:sector", args=[ledger.pk, sector.pk])).content.decode()
    assert "确认单位" in body and no_pending_name(body)
    page = sector_figures(ledger, sector)
    assert [u["name"] for u in page.units] == ["确认单位"]
    # No branch in this sector, so no branch rows (campaigns/selectors.py); its total counts the
    # confirmed gift only.
    assert page.rows == [] and campaign_figures(ledger).row(sector.pk).total == Decimal("1000.00")


def test_honor_roll_lists_confirmed_gifts_and_staff_lines_only(client, ledger):
    issue = publish_issue(ledger, 1, "2023-09-30")
    content = json.dumps(issue.content, ensure_ascii=False)
    assert issue.content["total"] == "1060.00" and issue.content["donations"] == 2
    assert "确认单位" in content and "确认职工" in content and no_pending_name(content)
    assert no_pending_name(client.get(reverse("campaigns:honor_roll", args=[issue.pk])).content.decode())


def test_a_gift_confirmed_later_is_listed_by_the_next_issue(ledger):
    first = publish_issue(ledger, 1, "2023-09-30")
    confirm_donations(pending_gift_ids(), None)
    second = publish_issue(ledger, 2, "2023-10-31")
    content = json.dumps(second.content, ensure_ascii=False)
    assert second.content["total"] == "800.00" and "待核单位" in content and "待核职工" in content
    others = [sector["others"] for sector in second.content["sectors"] if sector["others"]["count"]]
    assert others == [{"count": 1, "amount": "300.00"}]  # 待核个人's 300 元 is under the threshold
    assert Decimal(second.content["running_total"]) == Decimal(first.content["total"]) + Decimal("800.00")


def test_ranking_candidates_are_confirmed_donors_only(ledger):
    units = new_edition().categories.get(kind=Kind.UNITS)
    assert [values["public_name"] for _, values in candidates(units, 2023)] == ["确认单位"]
    edition = services.publish_ranking(new_edition(number=10), None)
    assert no_pending_name(json.dumps(edition.content, ensure_ascii=False))


def test_look_up_answers_a_gift_under_review_as_received_not_counted(client, settings, ledger):
    settings.LOOKUP_ANSWER_SECONDS = 0.01
    data = {"receipt_no": "HY2023-900", "name": "待核个人", "amount": "", "unit": ""}
    body = client.post(reverse("campaigns:lookup"), data).content.decode().split("查询结果")[1]
    assert "已收到，正在核对" in body and "300.00" in body
    assert "已计入" not in body
    staff = {"receipt_no": "", "name": "待核职工", "amount": "1000", "unit": "待核单位"}
    body = client.post(reverse("campaigns:lookup"), staff).content.decode().split("查询结果")[1]
    assert "已收到，正在核对" in body and "已计入" not in body


def test_share_cards_show_confirmed_figures(ledger):
    for card in (campaign_card(ledger.pk), home_card(None)):
        assert card.lines[:3] == ["已募集 0.106 万元", "即 1,060.00 元", "1 家单位、11 人参与"]


def test_honor_roll_share_images_and_downloads_hold_confirmed_gifts_only(client, ledger):
    issue = publish_issue(ledger, 1, "2023-09-30")
    pictures = [sector_share_lines(issue.content, sector) for sector in issue.content["sectors"]]
    lines = json.dumps(pictures, ensure_ascii=False)
    assert "确认单位" in lines and no_pending_name(lines)
    assert no_pending_name(
        json.dumps([list(map(str, row)) for row in csv_rows(issue.content)], ensure_ascii=False)
    )
    download = client.get(reverse("campaigns:honor_roll_csv", args=[issue.pk])).content.decode()
    assert "确认职工" in download and no_pending_name(download)
    data = client.get(reverse("campaigns:honor_roll_json", args=[issue.pk])).json()
    assert data["content"]["total"] == "1060.00"
    edition = services.publish_ranking(new_edition(), None)
    download = client.get(reverse("campaigns:ranking_csv", args=[edition.pk])).content.decode()
    assert "确认单位" in download and no_pending_name(download)


def test_annual_summary_counts_confirmed_gifts_only(ledger):
    summary = annual_summary(2023)
    assert (summary.total, summary.donation_count, summary.units, summary.head_count) == (
        Decimal("1060.00"),
        2,
        1,
        11,
    )
    assert [row["public_name"] for row in summary.top_units] == ["确认单位"]
    assert [row["public_name"] for row in summary.top_individuals] == ["孙确认"]
    assert summary.total_row.current == Decimal("1060.00")


def test_annual_summary_pdf_prints_confirmed_figures_only(ledger, tmp_path):
    path = tmp_path / "summary.pdf"
    path.write_bytes(services.render_summary_pdf(annual_summary(2023)).content)
    text = pdf_text(path)
    assert "1,060.00元" in text and "确认单位" in text
    assert no_pending_name(text) and "1,860.00" not in text


def test_annual_summary_changes_when_a_gift_is_confirmed_not_when_entered(ledger):
    before = data_fingerprint(2023)
    factories.donation(factories.person("又一位待核"), ledger, "20.00", status="pending")
    assert data_fingerprint(2023) == before  # not in the document, so the stored PDF still stands
    confirm_donations(pending_gift_ids(), None)
    assert data_fingerprint(2023) != before
    assert annual_summary(2023).total == Decimal("1880.00")


def test_dashboard_public_figures_are_confirmed_and_what_waits_is_apart(client, leader, ledger):
    board = dashboard(ledger.pk)
    assert board.figures.total == Decimal("1060.00")
    assert (board.pending.donations, board.pending.total) == (2, Decimal("800.00"))
    client.force_login(leader)
    page = client.get(reverse("admin_dashboard")).content.decode()
    assert "待审核捐赠 2 笔，合计 800.00 元（未计入上方的公开合计" in page


def test_relief_year_page_counts_confirmed_money(client, ledger):
    response = client.get(reverse("relief:year", args=[2023]))
    assert response.context["raised_total"] == Decimal("1060.00")


def test_confirming_a_gift_shows_it_at_once(client, ledger, django_capture_on_commit_callbacks):
    url = reverse("campaigns:campaign", args=[ledger.pk])
    assert client.get(url).context["figures"].total == Decimal("1060.00")  # computed and cached
    assert selectors.under_review(ledger).donations == 2
    with django_capture_on_commit_callbacks(execute=True):
        confirm_donations(pending_gift_ids(), None)
    response = client.get(url)
    body = response.content.decode()
    ledger.refresh_from_db()  # its figures' stamp moved
    assert response.context["figures"].total == Decimal("1860.00") == campaign_figures(ledger).total
    assert "待核单位" in body and "正在核对" not in body
    assert selectors.under_review(ledger).donations == 0
    assert "1,860.00 元" in client.get(reverse("home")).content.decode()


def test_confirming_an_import_batch_shows_its_gifts_at_once(
    client, admin_user, ledger, django_capture_on_commit_callbacks
):
    from donations.importing import import_file
    from donations.services import finalize_batch
    from tests.donations.import_helpers import unit_row, xlsx

    url = reverse("campaigns:campaign", args=[ledger.pk])
    with django_capture_on_commit_callbacks(execute=True):
        batch = import_file(xlsx([unit_row("导入的单位", "9.00")]), campaign=ledger, user=admin_user)
    response = client.get(url)
    assert response.context["figures"].total == Decimal("1060.00")  # an open batch is under review
    assert "另有 3 笔、809.00 元正在核对" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        finalize_batch(batch, admin_user)
    assert client.get(url).context["figures"].total == Decimal("1069.00")
