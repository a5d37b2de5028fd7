"""Publishing an honor-roll issue: what it lists, how it groups and totals, in which order."""

from decimal import Decimal

import pytest

from campaigns import services
from campaigns.models import HonorRollIssue, HonorRollListing
from charity.models import AuditEntry
from charity.snapshots import SnapshotError, fingerprint
from tests import factories
from tests.campaigns.conftest import d, new_issue, publish_issue

pytestmark = pytest.mark.django_db


def sector(content, name):
    return next(s for s in content["sectors"] if s["name"] == name)


def test_issue_groups_by_sector_in_report_order_with_unassigned_last(gifts):
    content = publish_issue(gifts, 1, "2023-09-30").content
    assert [s["name"] for s in content["sectors"]] == ["个人", "国资系统", "教育系统", "未分配版块"]
    assert content["title"] == "2023年慈善一日捐光荣榜（第一期）"
    assert content["total"] == "12850.00" and content["donations"] == 8


def test_totals_reconcile_units_people_and_others(gifts):
    content = publish_issue(gifts, 1, "2023-09-30").content
    personal = sector(content, "个人")
    # At or above 1000 元 by name (or 爱心人士 / alias); the rest as one line, still counted.
    assert personal["people"] == [
        {"name": "爱心人士", "amount": "3000.00"},
        {"name": "孙一", "amount": "2000.00"},
        {"name": "一位老党员", "amount": "1000.00"},
    ]
    assert personal["others"] == {"count": 2, "amount": "850.00"}
    for s in content["sectors"]:
        parts = (
            [u["amount"] for u in s["units"]] + [p["amount"] for p in s["people"]] + [s["others"]["amount"]]
        )
        assert sum(map(Decimal, parts)) == Decimal(s["total"])
    assert sum(Decimal(s["total"]) for s in content["sectors"]) == Decimal(content["total"])
    assert sum(Decimal(s["total"]) for s in content["running_by_sector"]) == Decimal(content["running_total"])


def test_staff_lines_are_named_beside_their_unit_and_not_added_again(gifts):
    content = publish_issue(gifts, 1, "2023-09-30").content
    state = sector(content, "国资系统")
    assert state["units"] == [{"name": "衡阳市国资委", "amount": "5000.00", "donations": 1}]
    assert state["staff"] == [
        {"name": "爱心人士", "unit": "衡阳市国资委", "amount": "1500.00"},
        {"name": "刘明", "unit": "衡阳市国资委", "amount": "1200.00"},
    ]
    assert state["total"] == "5000.00"
    # A named person on an anonymous unit's list: the unit stays unnamed.
    assert sector(content, "教育系统")["staff"] == [{"name": "陈红", "unit": "爱心人士", "amount": "1000.00"}]


def test_threshold_is_per_campaign(gifts):
    gifts.honor_roll_threshold = Decimal("2500.00")
    gifts.save()
    content = publish_issue(gifts, 1, "2023-09-30").content
    assert [p["name"] for p in sector(content, "个人")["people"]] == ["爱心人士"]
    assert sector(content, "个人")["others"] == {"count": 4, "amount": "3850.00"}
    assert sector(content, "国资系统")["staff"] == []
    assert content["threshold"] == "2500.00"


def test_each_issue_lists_what_came_since_and_running_totals_add_up(gifts):
    first = publish_issue(gifts, 1, "2023-09-08")
    assert first.content["total"] == "5700.00"
    second = publish_issue(gifts, 2, "2023-09-30")
    assert second.content["total"] == "7150.00"
    assert second.content["previous_cut_off"] == "2023-09-08"
    assert second.content["running_total"] == "12850.00"
    assert second.content["running_donations"] == 8
    assert HonorRollListing.objects.filter(issue=first).count() == 2
    assert HonorRollListing.objects.filter(issue=second).count() == 6
    running = {s["name"]: s["total"] for s in second.content["running_by_sector"]}
    assert running == {"个人": "6850.00", "国资系统": "5000.00", "教育系统": "700.00", "未分配版块": "300.00"}


def test_late_entry_appears_in_the_next_issue_once(gifts):
    publish_issue(gifts, 1, "2023-09-30")
    # Received in September, entered after issue 1 was published.
    late = factories.donation(factories.person("晚到者"), gifts, "1800.00", received_on=d("2023-09-15"))
    second = publish_issue(gifts, 2, "2023-10-31")
    names = [p["name"] for s in second.content["sectors"] for p in s["people"]]
    assert names == ["晚到者"] and second.content["total"] == "1800.00"
    assert late.honor_roll_listing.issue == second
    third = publish_issue(gifts, 3, "2023-11-30")
    assert third.content["total"] == "0.00" and third.content["sectors"] == []
    assert third.content["running_total"] == "14650.00"


def test_gifts_after_the_cut_off_wait_for_a_later_issue(gifts):
    after = factories.donation(factories.person("十月人"), gifts, "1000.00", received_on=d("2023-10-02"))
    publish_issue(gifts, 1, "2023-09-30")
    assert not HonorRollListing.objects.filter(donation=after).exists()


def test_issues_are_published_in_order(gifts):
    second = new_issue(gifts, 2, "2023-10-31")
    with pytest.raises(SnapshotError, match="下一期应为第1期"):
        services.publish_honor_roll(second, None)
    publish_issue(gifts, 1, "2023-10-31")
    earlier = new_issue(gifts, 3, "2023-09-30")
    HonorRollIssue.objects.filter(pk=second.pk).update(cut_off=d("2023-09-30"))
    second.refresh_from_db()
    with pytest.raises(SnapshotError, match="早于上一期"):
        services.publish_honor_roll(second, None)
    assert not HonorRollListing.objects.filter(issue__in=[second, earlier]).exists()


def test_a_future_cut_off_is_refused(campaign):
    issue = new_issue(campaign, 1, "2999-01-01")
    with pytest.raises(SnapshotError, match="截止日期还没到"):
        services.publish_honor_roll(issue, None)


def test_publishing_twice_is_refused_and_writes_one_audit_entry(gifts, publisher):
    issue = new_issue(gifts, 1, "2023-09-30")
    before = AuditEntry.objects.count()
    published = services.publish_honor_roll(issue, publisher)
    entries = AuditEntry.objects.order_by("-id")
    assert AuditEntry.objects.count() == before + 1
    entry = entries.first()
    assert entry.action == "campaigns.honor_roll.published" and entry.actor == publisher
    assert entry.data["sha256"] == published.content_sha256 == fingerprint(published.content)
    assert published.published_by == publisher
    with pytest.raises(SnapshotError, match="不能再次发布"):
        services.publish_honor_roll(issue, publisher)


def test_a_published_issue_refuses_edits_and_deletion(gifts):
    issue = publish_issue(gifts, 1, "2023-09-30")
    issue.cut_off = d("2023-10-31")
    with pytest.raises(SnapshotError, match="不能修改"):
        issue.save()
    issue.refresh_from_db()
    issue.note = "内部备注可以改"
    issue.save()
    with pytest.raises(SnapshotError, match="不能删除"):
        issue.delete()
