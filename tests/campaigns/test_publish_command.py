"""manage.py publish: the command-line twin of the 「预览并发布」 page, one subcommand per kind."""

import datetime

import pytest
from django.utils import timezone

from campaigns.models import AnnualSummaryRelease, HonorRollIssue, HonorRollListing, RankingEdition
from charity.models import AuditEntry
from relief.models import Disclosure
from tests import factories
from tests.campaigns.conftest import SECRETS, d, new_edition, new_issue, publish_issue
from tests.publishing import publish_command as publish
from tests.relief import helpers

pytestmark = pytest.mark.django_db


# --- honor-roll ------------------------------------------------------------------------------------


def test_the_weekly_honor_roll_creates_and_publishes_the_next_issue(gifts):
    publish_issue(gifts, 1, "2023-09-08")
    code, text = publish("honor-roll", "--campaign", "2023", "--cut-off", "2023-09-30")
    assert code == 0, text
    issue = HonorRollIssue.objects.get(number=2)
    assert issue.is_published and issue.cut_off == d("2023-09-30") and issue.published_by is None
    assert "新建草稿：2023年慈善一日捐光荣榜（第二期）" in text
    assert "本期合计：7,150.00 元" in text and "累计合计：12,850.00 元" in text
    assert "与上一份（2023年慈善一日捐光荣榜（第一期））相比" in text
    assert "提示：无" in text and "已发布：2023年慈善一日捐光荣榜（第二期）" in text
    for secret in SECRETS:
        assert secret not in text
    # Who published: the command and the system account that ran it.
    entry = AuditEntry.objects.get(action="campaigns.honor_roll.published", object_id=str(issue.pk))
    assert entry.actor is None and entry.actor_label.startswith("命令行 publish（")


def test_the_campaign_can_be_given_by_its_number_and_the_user_by_name(gifts, publisher):
    code, text = publish(
        "honor-roll", "--campaign", str(gifts.pk), "--cut-off", "2023-09-30", "--user", "publisher"
    )
    assert code == 0, text
    issue = HonorRollIssue.objects.get()
    assert issue.number == 1 and issue.published_by == publisher
    assert AuditEntry.objects.get(action="campaigns.honor_roll.published").actor == publisher


def test_a_draft_staff_made_for_the_next_issue_is_used(gifts):
    draft = new_issue(gifts, 1, "2023-09-10")
    code, text = publish("honor-roll", "--campaign", "2023", "--cut-off", "2023-09-30")
    assert code == 0, text
    assert "使用已有草稿" in text
    draft.refresh_from_db()
    assert draft.is_published and draft.cut_off == d("2023-09-30") and HonorRollIssue.objects.count() == 1


def test_a_dry_run_prints_the_preview_and_changes_nothing(gifts):
    code, text = publish("honor-roll", "--campaign", "2023", "--cut-off", "2023-09-30", "--dry-run")
    assert code == 0, text
    assert "本期合计：12,850.00 元" in text and "孙一" in text
    assert "试运行（--dry-run）：没有做任何更改" in text
    assert not HonorRollIssue.objects.exists() and not HonorRollListing.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="campaigns.honor_roll").exists()


def test_warnings_refuse_with_exit_code_1_unless_allowed(gifts):
    # The tester's case: a cut-off long after the campaign ended.
    code, text = publish("honor-roll", "--campaign", "2023", "--cut-off", "2025-06-30")
    assert code == 1
    assert "截止日期 2025-06-30 晚于活动结束日期 2023-12-31" in text
    assert "有 1 条提示，未发布" in text
    assert not HonorRollIssue.objects.exists()  # not even the draft stays
    code, text = publish("honor-roll", "--campaign", "2023", "--cut-off", "2025-06-30", "--allow-warnings")
    assert code == 0, text
    assert HonorRollIssue.objects.get().is_published


def test_gifts_under_review_are_a_warning_of_the_command_too(gifts):
    pending = {"status": "pending", "received_on": d("2023-09-15")}
    factories.donation(factories.person("待审甲"), gifts, "500.00", **pending)
    code, text = publish("honor-roll", "--campaign", "2023", "--cut-off", "2023-09-30")
    assert code == 1 and "1 笔、500.00 元捐款仍在审核中" in text
    assert not HonorRollIssue.objects.exists()


def test_errors_are_chinese_messages_with_exit_code_1(gifts):
    assert publish("honor-roll", "--campaign", "1999", "--cut-off", "2023-09-30") == (
        1,
        "没有 1999 年度的活动，也没有编号为 1999 的活动",
    )
    code, text = publish("honor-roll", "--campaign", "2023", "--cut-off", "2023-02-30")
    assert code == 1 and "不是有效日期" in text
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    code, text = publish("honor-roll", "--campaign", "2023", "--cut-off", tomorrow.isoformat())
    assert code == 1 and text.endswith("截止日期还没到，不能发布")
    code, text = publish("honor-roll", "--campaign", "2023", "--cut-off", "2023-09-30", "--user", "nobody")
    assert (code, text) == (1, "没有名为“nobody”的有效账号")
    assert not HonorRollIssue.objects.exists()


def test_a_user_without_the_permission_is_refused(gifts, leader):
    code, text = publish("honor-roll", "--campaign", "2023", "--cut-off", "2023-09-30", "--user", "leader")
    assert code == 1 and "没有发布权限" in text
    assert not HonorRollIssue.objects.exists()


def test_several_campaigns_of_a_year_ask_for_the_number(gifts):
    factories.campaign(name="2023年第二次慈善一日捐", year=2023)
    code, text = publish("honor-roll", "--campaign", "2023", "--cut-off", "2023-09-30")
    assert code == 1 and "2023年有多个活动" in text and "--campaign <编号>" in text


# --- ranking, disclosure, summary ----------------------------------------------------------------


def test_a_ranking_draft_is_published_after_its_preview(gifts):
    edition = new_edition()
    code, text = publish("ranking", "--edition", str(edition.pk), "--dry-run")
    assert code == 0 and "爱心单位榜：3 条，合计 6,000.00 元" in text
    assert not RankingEdition.objects.get().is_published
    code, text = publish("ranking", "--edition", str(edition.pk))
    assert code == 1 and "以下类别没有上榜条目：爱心企业榜、慈善楷模" in text
    code, text = publish("ranking", "--edition", str(edition.pk), "--allow-warnings")
    assert code == 0, text
    edition.refresh_from_db()
    assert edition.is_published
    code, text = publish("ranking", "--edition", str(edition.pk), "--allow-warnings")
    assert code == 1 and "已发布，不能再次发布" in text
    assert publish("ranking", "--edition", "999") == (1, "没有编号为 999 的排行榜")


def test_a_disclosure_draft_is_published_after_its_preview():
    project = factories.project()
    paid = helpers.disbursement(project, amount="1000.00")
    helpers.share(paid, helpers.beneficiary(name="王小明"), "1000.00")
    draft = helpers.disclosure(
        project, objection_start=datetime.date(2099, 1, 8), objection_end=datetime.date(2099, 1, 14)
    )
    code, text = publish("disclosure", "--id", str(draft.pk), "--dry-run")
    assert code == 0 and "公示名单人数：1" in text and "王*明" in text and "王小明" not in text
    code, text = publish("disclosure", "--id", str(draft.pk))
    assert code == 0, text
    assert Disclosure.objects.get().is_published
    assert publish("disclosure", "--id", "999") == (1, "没有编号为 999 的公示")


def test_the_annual_summary_is_rendered_and_released(gifts, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    code, text = publish("summary", "--year", "2023", "--dry-run")
    assert code == 0 and "募集总额：1.285 万元（12,850.00 元）" in text
    assert not AnnualSummaryRelease.objects.exists()
    code, text = publish("summary", "--year", "2023")
    assert code == 0, text
    release = AnnualSummaryRelease.objects.get()
    assert release.year == 2023 and release.released_by is None
    assert "已发布" in text
    code, text = publish("summary", "--year", "2023")
    assert code == 1 and "2023年度总结已于" in text and "数据没有变化" in text
    code, text = publish("summary", "--year", "1990")
    assert code == 1 and text.endswith("1990年度没有募捐活动，无法生成年度总结")


def test_the_cut_off_defaults_to_today(gifts):
    code, text = publish("honor-roll", "--campaign", "2023", "--dry-run")
    assert code == 0
    assert f"截止日期：{timezone.localdate().isoformat()}" in text
