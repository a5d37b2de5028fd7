"""Publishing from the admin: the 「预览并发布」 page calls the service, for those allowed to publish."""

import re

import pytest
from django.urls import reverse

from campaigns import services
from campaigns.models import HonorRollErratum, HonorRollIssue, RankingCategory, RankingEdition
from charity.models import AuditEntry
from tests.campaigns.conftest import new_issue
from tests.publishing import confirm, publish_url

pytestmark = pytest.mark.django_db
CHANGELIST = "admin:campaigns_honorrollissue_changelist"


def test_the_page_publishes_in_number_order(client, gifts, publisher):
    first, second = new_issue(gifts, 1, "2023-09-08"), new_issue(gifts, 2, "2023-09-30")
    client.force_login(publisher)
    assert "请按顺序发布" in client.get(publish_url(second)).content.decode()
    for issue in (first, second):
        response = confirm(client, issue)
        assert "已发布" in response.content.decode()
    assert set(HonorRollIssue.objects.values_list("status", flat=True)) == {"published"}
    assert AuditEntry.objects.filter(action="campaigns.honor_roll.published", actor=publisher).count() == 2


def test_staff_without_the_publish_permission_cannot_publish(client, gifts, leader):
    issue = new_issue(gifts, 1, "2023-09-30")
    client.force_login(leader)  # may read honor rolls, not publish them
    page = client.get(reverse(CHANGELIST)).content.decode()
    assert "publish_selected" not in page and publish_url(issue) not in page
    response = client.post(publish_url(issue), {"token": "0" * 64, "checked": "on"})
    assert response.status_code == 403
    issue.refresh_from_db()
    assert not issue.is_published


def test_a_refusal_is_shown_as_a_message(client, gifts, publisher):
    issue = new_issue(gifts, 2, "2023-09-30")
    client.force_login(publisher)
    response = client.get(publish_url(issue))
    assert "请按顺序发布" in response.content.decode()


def test_an_erratum_entered_in_the_admin_is_published_by_the_service(client, gifts, publisher):
    issue = new_issue(gifts, 1, "2023-09-30")
    client.force_login(publisher)
    confirm(client, issue)
    url = reverse("admin:campaigns_honorrollissue_change", args=[issue.pk])
    page = client.get(url).content.decode()
    assert 'name="errata-TOTAL_FORMS"' in page
    response = client.post(
        url,
        {
            "note": "",
            "errata-TOTAL_FORMS": "1",
            "errata-INITIAL_FORMS": "0",
            "errata-MIN_NUM_FORMS": "0",
            "errata-MAX_NUM_FORMS": "1000",
            "errata-0-reason": "孙一的捐款金额录入有误",
            "errata-0-text": "更正：孙一的捐款日期为9月11日。",
            "errata-0-changes_text": "个人·个人「孙一」：2,000.00 元 → 1,900.00 元",
            "errata-0-issue": str(issue.pk),
        },
        follow=True,
    )
    assert response.status_code == 200
    erratum = HonorRollErratum.objects.get()
    assert erratum.issue == issue and erratum.published_by == publisher
    assert erratum.reason == "孙一的捐款金额录入有误"
    change = {"label": "个人·个人「孙一」", "before": "2,000.00 元", "after": "1,900.00 元"}
    assert erratum.changes == [change]
    shown = client.get(url).content.decode()  # published: read-only, as published
    assert "孙一的捐款金额录入有误" in shown and "个人·个人「孙一」：2,000.00 元 → 1,900.00 元" in shown
    assert AuditEntry.objects.filter(action="campaigns.honor_roll.erratum").count() == 1


def test_an_erratum_without_a_reason_is_refused_in_the_admin(client, gifts, publisher):
    issue = services.publish_honor_roll(new_issue(gifts, 1, "2023-09-30"), publisher)
    client.force_login(publisher)
    url = reverse("admin:campaigns_honorrollissue_change", args=[issue.pk])
    form = {
        "note": "",
        "errata-TOTAL_FORMS": "1",
        "errata-INITIAL_FORMS": "0",
        "errata-MIN_NUM_FORMS": "0",
        "errata-MAX_NUM_FORMS": "1000",
        "errata-0-text": "只有说明",
        "errata-0-changes_text": "合计 12,850.00 元",
        "errata-0-issue": str(issue.pk),
    }
    page = client.post(url, form).content.decode()
    assert "这个字段是必填项" in page and "应写成“项目：更正前 → 更正后”" in page
    assert not HonorRollErratum.objects.exists()


def test_a_new_edition_gets_the_usual_categories_and_can_be_published(client, gifts, publisher):
    client.force_login(publisher)
    response = client.post(
        reverse("admin:campaigns_rankingedition_add"),
        {
            "number": "9",
            "year": "2023",
            "title": "",
            "note": "",
            "categories-TOTAL_FORMS": "0",
            "categories-INITIAL_FORMS": "0",
            "categories-MIN_NUM_FORMS": "0",
            "categories-MAX_NUM_FORMS": "1000",
        },
        follow=True,
    )
    assert response.status_code == 200
    edition = RankingEdition.objects.get()
    assert list(edition.categories.values_list("kind", flat=True)) == [
        k for k, _ in RankingCategory.Kind.choices
    ]
    confirm(client, edition)
    edition.refresh_from_db()
    assert edition.is_published and edition.published_by == publisher


def test_excluding_a_candidate_without_a_reason_is_refused_with_a_message(client, gifts, admin_user):
    from campaigns import services
    from campaigns.models import RankingEntry
    from tests.campaigns.conftest import new_edition

    edition = new_edition()
    services.refresh_ranking_candidates(edition, admin_user)
    entry = RankingEntry.objects.filter(category__edition=edition).first()
    client.force_login(admin_user)
    url = reverse("admin:campaigns_rankingentry_change", args=[entry.pk])
    response = client.post(url, {"excluded": "on", "exclusion_reason": "", "honour": "", "citation": ""})
    assert response.status_code == 200 and "不上榜时请填写原因" in response.content.decode()
    entry.refresh_from_db()
    assert not entry.excluded
    response = client.post(
        url, {"excluded": "on", "exclusion_reason": "本人要求", "honour": "", "citation": ""}
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.excluded and entry.exclusion_reason == "本人要求"


def test_review_of_a_published_edition_cannot_be_changed(client, gifts, admin_user):
    from campaigns import services
    from campaigns.models import RankingEntry
    from tests.campaigns.conftest import new_edition

    edition = services.publish_ranking(new_edition(), admin_user)
    entry = RankingEntry.objects.filter(category__edition=edition).first()
    client.force_login(admin_user)
    page = client.get(reverse("admin:campaigns_rankingentry_changelist")).content.decode()
    assert re.search(r'<input type="checkbox" name="form-0-excluded"[^>]* disabled', page)
    response = client.post(
        reverse("admin:campaigns_rankingentry_change", args=[entry.pk]),
        {"excluded": "on", "exclusion_reason": "太晚了", "honour": "", "citation": ""},
    )
    assert response.status_code == 403
    entry.refresh_from_db()
    assert not entry.excluded
