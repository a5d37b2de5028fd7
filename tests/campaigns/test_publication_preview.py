"""The 「预览并发布」 page of honor-roll issues and ranking editions (charity.admin_publishing):
it shows what publishing would freeze, warns, publishes only on a confirmation of what it showed."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns import services
from campaigns.honor_rolls.preview import preview as honor_roll_preview
from campaigns.models import HonorRollIssue, HonorRollListing, RankingEdition, RankingEntry
from charity.models import AuditEntry
from charity.previews import CHANGED_SINCE_PREVIEW, ChangedSincePreview, publish_as_previewed
from tests import factories
from tests.campaigns.conftest import SECRETS, d, new_edition, new_issue, publish_issue
from tests.conftest import staff_with_role
from tests.publishing import confirm, publish_url, token_of

pytestmark = pytest.mark.django_db


def page_of(client, obj):
    response = client.get(publish_url(obj))
    assert response.status_code == 200
    return response.content.decode()


def warnings_of(page):
    found = re.search(r'<ul class="messagelist preview-warnings">(.*?)</ul>', page, re.S)
    return re.findall(r"<li[^>]*>(.*?)</li>", found.group(1), re.S) if found else []


# --- what the page shows ---------------------------------------------------------------------------


def test_the_preview_shows_counts_totals_and_first_rows_without_publishing(client, gifts, publisher):
    issue = new_issue(gifts, 1, "2023-09-30")
    client.force_login(publisher)
    page = page_of(client, issue)
    assert "本期捐赠笔数" in page and "<td>8</td>" in page
    assert "12,850.00 元" in page  # the issue's total, as services.publish_honor_roll freezes it
    assert "衡阳市国资委" in page and "孙一" in page and "一位老党员" in page
    assert "这是本系列第一份" in page
    for secret in SECRETS:
        assert secret not in page
    # Looking publishes nothing and leaves nothing behind: no listing, no audit entry.
    issue.refresh_from_db()
    assert not issue.is_published and issue.content == {}
    assert not HonorRollListing.objects.exists()
    assert not AuditEntry.objects.filter(action="campaigns.honor_roll.published").exists()


def test_the_preview_is_what_publishing_freezes(client, gifts, publisher):
    issue = new_issue(gifts, 1, "2023-09-30")
    shown = honor_roll_preview(issue)
    published = services.publish_honor_roll(issue, publisher)
    assert shown.content == published.content and shown.fingerprint == published.content_sha256


def test_the_preview_compares_with_the_previous_issue(client, gifts, publisher):
    publish_issue(gifts, 1, "2023-09-08")  # the 国资委 remittance and the anonymous unit's gift
    issue = new_issue(gifts, 2, "2023-09-30")
    client.force_login(publisher)
    page = page_of(client, issue)
    assert "与上一份（2023年慈善一日捐光荣榜（第一期））相比" in page
    assert "本期合计 7,150.00 元，上一期 5,700.00 元（+1,450.00 元）" in page
    assert "名单新增" in page and "孙一" in page
    assert "累计 12,850.00 元，上一期累计 5,700.00 元" in page
    assert "新出现的版块：个人（6,850.00 元）" in page
    # Each issue lists only what is new since the previous cut-off: what the previous issue
    # listed and this one does not is no change, and is not reported as one.
    assert "不再出现" not in page and "本期没有捐款的版块" not in page


def test_a_draft_links_to_its_preview_from_the_form_and_the_list(client, gifts, publisher):
    issue = new_issue(gifts, 1, "2023-09-30")
    client.force_login(publisher)
    change = client.get(reverse("admin:campaigns_honorrollissue_change", args=[issue.pk])).content.decode()
    listing = client.get(reverse("admin:campaigns_honorrollissue_changelist")).content.decode()
    assert publish_url(issue) in change and "预览并发布" in change
    assert publish_url(issue) in listing
    assert "publish_selected" not in listing  # no one-click publishing from the list


# --- warnings ----------------------------------------------------------------------------------------


def test_no_warnings_means_no_tick_to_give(client, gifts, publisher):
    client.force_login(publisher)
    page = page_of(client, new_issue(gifts, 1, "2023-09-30"))
    assert warnings_of(page) == [] and "没有需要注意的提示" in page
    assert 'name="checked"' not in page


def test_a_cut_off_after_the_campaign_ended_is_warned_of(client, gifts, publisher):
    # The tester's 第六期: a cut-off years after the campaign's end (31 December 2023).
    client.force_login(publisher)
    page = page_of(client, new_issue(gifts, 1, "2026-01-10"))
    assert warnings_of(page) == [
        "截止日期 2026-01-10 晚于活动结束日期 2023-12-31（晚 741 天），请核对是否填错"
    ]
    assert 'name="checked"' in page and "我已核对以上提示" in page


def pending(campaign, name, amount, received_on):
    return factories.donation(
        factories.person(name), campaign, amount, status="pending", received_on=d(received_on)
    )


def test_gifts_under_review_before_the_cut_off_are_warned_of(client, gifts, publisher):
    pending(gifts, "待审甲", "500.00", "2023-09-15")
    pending(gifts, "待审乙", "80.00", "2023-10-15")
    client.force_login(publisher)
    page = page_of(client, new_issue(gifts, 1, "2023-09-30"))
    # Only the one received by the cut-off; the later one belongs to a later issue anyway.
    assert warnings_of(page) == [
        "截止日期前收到的 1 笔、500.00 元捐款仍在审核中，本期不会列入（审核确认后列入下一期）"
    ]
    assert "待审甲" not in page


def test_an_empty_issue_is_warned_of(client, gifts, publisher):
    publish_issue(gifts, 1, "2023-09-30")
    client.force_login(publisher)
    page = page_of(client, new_issue(gifts, 2, "2023-10-31"))
    assert warnings_of(page) == ["本期没有新的捐款：发布后将是一期空的光荣榜"]
    assert "名单为空" in page


def test_a_cut_off_still_to_come_is_refused_with_nothing_to_confirm(client, gifts, publisher):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    issue = HonorRollIssue.objects.create(campaign=gifts, number=1, cut_off=tomorrow)
    client.force_login(publisher)
    page = page_of(client, issue)
    assert "不能发布：截止日期还没到，不能发布" in page
    assert 'name="token"' not in page


def test_an_issue_out_of_order_is_refused_with_nothing_to_confirm(client, gifts, publisher):
    client.force_login(publisher)
    page = page_of(client, new_issue(gifts, 2, "2023-09-30"))
    assert "请按顺序发布：下一期应为第1期" in page and 'name="token"' not in page


# --- confirming ----------------------------------------------------------------------------------------


def test_confirming_publishes_what_was_previewed(client, gifts, publisher):
    issue = new_issue(gifts, 1, "2023-09-30")
    client.force_login(publisher)
    page = page_of(client, issue)
    response = client.post(publish_url(issue), {"token": token_of(page)})
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:campaigns_honorrollissue_change", args=[issue.pk])
    issue.refresh_from_db()
    assert issue.is_published and issue.published_by == publisher
    assert issue.content_sha256 in page  # the fingerprint the page showed
    assert AuditEntry.objects.filter(action="campaigns.honor_roll.published", actor=publisher).count() == 1
    follow = client.get(response["Location"]).content.decode()
    assert "已发布：2023年慈善一日捐光荣榜（第一期）" in follow


def test_warnings_must_be_ticked_before_publishing(client, gifts, publisher):
    issue = new_issue(gifts, 1, "2025-01-10")
    client.force_login(publisher)
    response = confirm(client, issue, checked=False)
    assert "有提示时，请先勾选“我已核对以上提示”再发布" in response.content.decode()
    issue.refresh_from_db()
    assert not issue.is_published
    confirm(client, issue, checked=True)
    issue.refresh_from_db()
    assert issue.is_published


def test_a_confirmation_of_a_preview_the_data_has_since_changed_is_refused(client, gifts, publisher):
    issue = new_issue(gifts, 1, "2023-09-30")
    client.force_login(publisher)
    seen = token_of(page_of(client, issue))
    factories.donation(factories.person("后来者"), gifts, "2500.00", received_on=d("2023-09-20"))
    response = client.post(publish_url(issue), {"token": seen, "checked": "on"})
    page = response.content.decode()
    assert response.status_code == 200 and CHANGED_SINCE_PREVIEW in page
    assert "15,350.00 元" in page and "后来者" in page  # the new preview
    issue.refresh_from_db()
    assert not issue.is_published
    client.post(publish_url(issue), {"token": token_of(page)})
    issue.refresh_from_db()
    assert issue.is_published and issue.content["total"] == "15350.00"


def test_a_new_warning_since_the_preview_also_makes_it_stale(client, gifts, publisher):
    issue = new_issue(gifts, 1, "2023-09-30")
    client.force_login(publisher)
    seen = token_of(page_of(client, issue))
    # Not in the content (it is under review), but the clerk has not seen this warning.
    pending(gifts, "待审丙", "600.00", "2023-09-20")
    response = client.post(publish_url(issue), {"token": seen, "checked": "on"})
    assert CHANGED_SINCE_PREVIEW in response.content.decode()
    issue.refresh_from_db()
    assert not issue.is_published


def test_data_changed_while_confirming_undoes_the_publication(gifts, publisher):
    """Between the check of the token and the service's lock the data may still change: what the
    service froze is compared with the preview, and on a difference nothing stays published."""
    issue = new_issue(gifts, 1, "2023-09-30")
    shown = honor_roll_preview(issue)
    factories.donation(factories.person("后来者"), gifts, "2500.00", received_on=d("2023-09-20"))
    with pytest.raises(ChangedSincePreview):
        publish_as_previewed(services.publish_honor_roll, issue, publisher, shown)
    issue.refresh_from_db()
    assert not issue.is_published and not HonorRollListing.objects.exists()
    assert not AuditEntry.objects.filter(action="campaigns.honor_roll.published").exists()


def test_a_refusal_of_the_service_is_shown_as_a_message(client, gifts, publisher):
    issue = new_issue(gifts, 1, "2023-09-30")
    client.force_login(publisher)
    token = token_of(page_of(client, issue))
    services.publish_honor_roll(issue, publisher)  # someone else was quicker
    response = client.post(publish_url(issue), {"token": token}, follow=True)
    assert "已发布，不能再次发布" in response.content.decode()
    assert AuditEntry.objects.filter(action="campaigns.honor_roll.published").count() == 1


# --- who may -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["leader", "clerk", "reviewer"])
def test_roles_without_the_publish_permission_can_neither_preview_nor_publish(client, gifts, role):
    from tests.conftest import ROLES

    issue = new_issue(gifts, 1, "2023-09-30")
    client.force_login(staff_with_role(role, ROLES[role]))
    assert client.get(publish_url(issue)).status_code == 403
    response = client.post(publish_url(issue), {"token": "0" * 64, "checked": "on"})
    assert response.status_code == 403
    issue.refresh_from_db()
    assert not issue.is_published


def test_the_publisher_role_publishes_from_the_page(client, gifts):
    from tests.conftest import ROLES

    issue = new_issue(gifts, 1, "2023-09-30")
    user = staff_with_role("publisher-role", ROLES["publisher"])
    client.force_login(user)
    confirm(client, issue)
    issue.refresh_from_db()
    assert issue.is_published and issue.published_by == user


def test_a_published_issue_sends_the_page_back_to_its_form(client, gifts, publisher):
    issue = publish_issue(gifts, 1, "2023-09-30")
    client.force_login(publisher)
    response = client.get(publish_url(issue), follow=True)
    assert "已发布，不能再次发布" in response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("admin:campaigns_honorrollissue_change", args=[issue.pk])


# --- rankings -----------------------------------------------------------------------------------------


def test_a_ranking_preview_shows_its_lists_and_leaves_the_candidates_alone(client, gifts, publisher):
    edition = new_edition()
    client.force_login(publisher)
    page = page_of(client, edition)
    assert "爱心单位榜" in page and "衡阳市国资委" in page and "5,000.00" in page
    assert "以下类别没有上榜条目：爱心企业榜、慈善楷模" in page
    assert "2023年慈善一日捐尚未结束" not in page  # it ended on 31 December 2023
    for secret in SECRETS:
        assert secret not in page
    assert not RankingEntry.objects.exists()  # the refresh of the preview was rolled back
    confirm(client, edition)
    edition.refresh_from_db()
    assert edition.is_published and edition.published_by == publisher
    assert RankingEntry.objects.exists()


def test_a_ranking_preview_compares_with_the_previous_edition_and_warns_of_gifts_under_review(
    client, gifts, publisher
):
    services.publish_ranking(new_edition(number=8), publisher)
    factories.donation(factories.unit("新单位乙"), gifts, "9000.00", received_on=d("2023-10-01"))
    factories.donation(factories.person("待审丁"), gifts, "300.00", status="pending")
    client.force_login(publisher)
    page = page_of(client, new_edition(number=9))
    assert "与上一份（第八届慈善排行榜（2023年度））相比" in page
    assert "爱心单位榜新增 1 个名称：新单位乙" in page
    assert "2023年度仍有 1 笔、300.00 元捐款在审核中，不计入本届排行榜" in warnings_of(page)
    assert RankingEdition.objects.filter(status="published").count() == 1
