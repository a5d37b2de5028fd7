"""check_publications: every published document recomputed from the ledger; drift by any path."""

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse

from campaigns import services
from campaigns.models import HonorRollListing
from charity.publications import all_drifts
from donations.models import Donation
from tests import factories
from tests.campaigns.conftest import d, new_edition, publish_issue

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(gifts):
    """Issue 1 (cut-off 2023-09-30) of the `gifts` campaign and ranking edition 9 of 2023."""
    issue = publish_issue(gifts, 1, "2023-09-30")
    edition = services.publish_ranking(new_edition(), None)
    return issue, edition


def check():
    """(exit code, output) of check_publications."""
    from io import StringIO

    out = StringIO()
    try:
        call_command("check_publications", stdout=out)
    except CommandError as error:
        assert error.returncode == 1
        return 1, out.getvalue() + str(error)
    return 0, out.getvalue()


def gift_of(name):
    return Donation.objects.get(donor__name=name)


def raw_amount(donation, amount):
    with connection.cursor() as cursor:
        cursor.execute("UPDATE donations_donation SET amount = %s WHERE id = %s", [amount, donation.pk])


def test_published_documents_that_match_the_ledger_pass(published):
    assert check() == (0, "全部 2 份已公布文件与账目一致\n")


def test_a_raw_sql_update_of_a_listed_gift_is_found_in_the_issue_and_the_ranking(published):
    issue, edition = published
    raw_amount(gift_of("孙一"), "2500.00")
    code, output = check()
    assert code == 1
    assert f"2023年慈善一日捐光荣榜（第一期）（{settings.SITE_URL}/honor-rolls/{issue.pk}/）\n" in output
    assert "  合计：公布 12,850.00 元 → 现在 13,350.00 元" in output
    assert "  个人合计：公布 6,850.00 元 → 现在 7,350.00 元" in output
    assert "  个人·个人「孙一」：公布 2,000.00 元 → 现在 2,500.00 元" in output
    assert str(edition) in output and reverse("campaigns:ranking", args=[edition.pk]) in output
    assert "爱心人士榜「孙一」：公布 2,000.00 元 → 现在 2,500.00 元" in output
    assert "2 份已公布文件与现在的账目不一致（共核对 2 份）" in output


def test_a_deleted_gift_is_found(published):
    issue, _ = published
    # Gifts below the threshold are counted in 其他爱心人士: deleting one changes the count too.
    gift = gift_of("钱二")
    Donation.objects.filter(pk=gift.pk).delete()  # no service, no model delete(): its listing cascades
    code, output = check()
    assert code == 1
    assert "  笔数：公布 8 → 现在 7" in output
    assert "  个人·其他爱心人士人数：公布 2 → 现在 1" in output
    assert "  个人·其他爱心人士金额：公布 850.00 元 → 现在 800.00 元" in output
    assert "  爱心人士榜「钱二」：公布 50.00 元 → 现在 —" in output


def test_a_listed_gift_put_back_under_review_by_an_update_is_found(published):
    Donation.objects.filter(pk=gift_of("孙一").pk).update(status=Donation.Status.PENDING)
    code, output = check()
    assert code == 1
    # The issue's rule (content.freeze) names only confirmed donors; the ranking counts only them.
    assert "  个人·个人「孙一」：公布 2,000.00 元 → 现在 —" in output
    assert "  版块榜合计：公布 12,550.00 元 → 现在 10,550.00 元" in output


def test_a_late_entry_before_the_cut_off_is_no_drift_of_the_issue_it_missed(published):
    issue, edition = published
    late = factories.donation(
        factories.person("晚到的周七"), issue.campaign, "60.00", received_on=d("2023-09-20")
    )
    _, drifted = all_drifts()
    # The ranking counts the year's gifts, so it drifts; the issue does not: the next one lists it.
    assert [found.document for found in drifted] == [edition]
    second = publish_issue(issue.campaign, 2, "2023-10-31")
    assert HonorRollListing.objects.get(donation=late).issue == second
    _, drifted = all_drifts()
    assert [found.document for found in drifted] == [edition]


def test_a_second_issue_is_recomputed_over_its_own_listings(published):
    issue, _ = published
    later = factories.donation(
        factories.person("周七"), issue.campaign, "1200.00", received_on=d("2023-10-08")
    )
    second = publish_issue(issue.campaign, 2, "2023-10-31")
    raw_amount(later, "1300.00")
    code, output = check()
    assert code == 1
    block = output.split(f"/honor-rolls/{second.pk}/）\n")[1].split("\n\n")[0]
    assert block.splitlines() == [
        "  合计：公布 1,200.00 元 → 现在 1,300.00 元",
        "  累计合计：公布 14,050.00 元 → 现在 14,150.00 元",
        "  个人合计：公布 1,200.00 元 → 现在 1,300.00 元",
        "  个人·个人「周七」：公布 1,200.00 元 → 现在 1,300.00 元",
    ]
    assert f"/honor-rolls/{issue.pk}/" not in output  # the first issue did not list it


def test_the_dashboard_shows_the_same_list(client, leader, published):
    issue, _ = published
    client.force_login(leader)
    page = client.get(reverse("admin_dashboard")).content.decode()
    assert "全部 2 份已公布文件与账目一致" in page
    raw_amount(gift_of("孙一"), "2500.00")
    page = client.get(reverse("admin_dashboard")).content.decode()
    assert "2 份已公布文件与现在的账目不一致（共核对 2 份）" in page
    url = reverse("campaigns:honor_roll", args=[issue.pk])
    assert f'<a href="{url}">2023年慈善一日捐光荣榜（第一期）</a>' in page
    assert "<li>个人·个人「孙一」：公布 2,000.00 元 → 现在 2,500.00 元</li>" in page


def test_a_released_annual_summary_is_checked_against_its_printed_figures(settings, tmp_path, campaign):
    settings.MEDIA_ROOT = tmp_path / "media"
    gift = factories.donation(factories.unit("衡阳市国资委"), campaign, "1234.56", head_count=12)
    services.release_summary(services.summary_document(2023), None)
    assert check() == (0, "全部 1 份已公布文件与账目一致\n")
    raw_amount(gift, "1000.00")
    code, output = check()
    assert code == 1
    assert "2023年度" in output and reverse("campaigns:annual_summary", args=[2023]) in output
    assert "  募集总额：公布 1,234.56 元 → 现在 1,000.00 元" in output


def test_a_published_disclosure_is_checked_against_the_disbursements(db):
    from tests.relief import helpers as relief

    project = factories.project()
    disclosure = relief.published_disclosure(project, people=[relief.beneficiary("王小明")])
    assert check() == (0, "全部 1 份已公布文件与账目一致\n")
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE relief_disbursement SET amount = %s WHERE project_id = %s", ["9000.00", project.pk]
        )
    code, output = check()
    assert code == 1
    assert (
        f"{disclosure}（{settings.SITE_URL}{reverse('relief:disclosure', args=[disclosure.pk])}）" in output
    )
    assert "  支出合计：公布 10,000.00 元 → 现在 9,000.00 元" in output


def test_a_disclosure_frozen_before_a_figure_existed_is_not_drift_for_lacking_it(db):
    from relief.models import Disclosure
    from tests.relief import helpers as relief

    disclosure = relief.published_disclosure(factories.project(), people=[relief.beneficiary("王小明")])
    older = {k: v for k, v in disclosure.content.items() if k not in ("recipients_total", "reconciliation")}
    Disclosure.objects.filter(pk=disclosure.pk).update(content=older)
    assert check() == (0, "全部 1 份已公布文件与账目一致\n")
