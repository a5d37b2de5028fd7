"""The statutory calendar: duties, deadlines, what was published, what is late."""

import datetime

import pytest
from django.utils import timezone

from relief import calendar
from relief.models import Disclosure, StatutoryFiling
from tests import factories
from tests.relief import helpers

pytestmark = pytest.mark.django_db
D = datetime.date


def find(duties, what, subject=None):
    return [d for d in duties if d.what == what and (subject is None or d.subject == subject)]


def publish_on(disclosure, day):
    from relief import services

    services.publish_disclosure(disclosure)
    when = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))
    Disclosure.objects.filter(pk=disclosure.pk).update(published_at=when)


def test_add_months_clamps_to_the_month_end():
    assert calendar.add_months(D(2023, 11, 30), 3) == D(2024, 2, 29)
    assert calendar.add_months(D(2023, 1, 31), 1) == D(2023, 2, 28)
    assert calendar.add_months(D(2023, 5, 1), -3) == D(2023, 2, 1)


def test_annual_reports_are_due_on_31_may_of_the_next_year():
    factories.campaign(year=2023)
    StatutoryFiling.objects.create(kind="annual_work", year=2023, published_on=D(2024, 5, 30))
    StatutoryFiling.objects.create(kind="annual_financial", year=2023, published_on=D(2024, 6, 3))
    duties = calendar.duties(today=D(2025, 6, 1))
    work = find(duties, "年度工作报告")
    assert [(d.subject, d.due, d.status) for d in work] == [
        ("2024年度", D(2025, 5, 31), "overdue"),
        ("2023年度", D(2024, 5, 31), "done"),
    ]
    assert find(duties, "年度财务会计报告", "2023年度")[0].status == "done_late"
    assert find(duties, "年度工作报告", "2024年度")[0].overdue


def test_campaign_results_within_three_months_of_the_end():
    campaign = factories.campaign(year=2023)  # ends 2023-12-31
    duty = find(calendar.duties(today=D(2024, 3, 31)), "公开募捐活动结果")[0]
    assert (duty.due, duty.status, duty.days_left) == (D(2024, 3, 31), "due", 0)
    assert find(calendar.duties(today=D(2024, 4, 1)), "公开募捐活动结果")[0].overdue
    StatutoryFiling.objects.create(kind="campaign_result", campaign=campaign, published_on=D(2024, 3, 20))
    assert find(calendar.duties(today=D(2024, 4, 1)), "公开募捐活动结果")[0].status == "done"


def test_a_long_project_reports_every_three_months_and_at_its_end():
    project = factories.project(start_date=D(2023, 1, 1), end_date=D(2023, 12, 31))
    helpers.disbursement(project, paid_on=D(2023, 2, 1))
    publish_on(helpers.disclosure(project, kind="progress"), D(2023, 3, 20))
    publish_on(helpers.disclosure(project, kind="final", title="结项报告"), D(2024, 3, 1))
    duties = calendar.duties(today=D(2024, 4, 15))
    progress = find(duties, "项目进展报告（每三个月）")
    assert sorted((d.due, d.status) for d in progress) == [
        (D(2023, 4, 1), "done"),
        (D(2023, 7, 1), "overdue"),
        (D(2023, 10, 1), "overdue"),
    ]
    final = find(duties, "项目结项报告")[0]
    assert (final.due, final.done_on, final.status) == (D(2024, 3, 31), D(2024, 3, 1), "done")
    leftover = find(duties, "剩余资金处理情况")[0]
    assert (leftover.due, leftover.status) == (D(2024, 3, 31), "overdue")
    assert duties[0].overdue  # overdue ones first


def test_a_late_report_meets_its_quarter_late_and_the_next_needs_its_own():
    project = factories.project(start_date=D(2023, 1, 1), end_date=D(2023, 12, 31))
    helpers.disbursement(project, paid_on=D(2023, 2, 1))
    publish_on(helpers.disclosure(project, kind="progress"), D(2023, 4, 10))
    progress = find(calendar.duties(today=D(2023, 7, 2)), "项目进展报告（每三个月）")
    assert sorted((d.due, d.done_on, d.status) for d in progress) == [
        (D(2023, 4, 1), D(2023, 4, 10), "done_late"),
        (D(2023, 7, 1), None, "overdue"),
        (D(2023, 10, 1), None, "due"),
    ]


def test_a_short_project_needs_no_progress_reports():
    factories.project(start_date=D(2023, 1, 10), end_date=D(2023, 2, 28))
    duties = calendar.duties(today=D(2023, 3, 1))
    assert find(duties, "项目进展报告（每三个月）") == []
    assert find(duties, "项目结项报告")[0].status == "due"


def test_a_running_project_without_end_shows_the_next_report():
    factories.project(start_date=D(2023, 1, 1), end_date=None)
    progress = find(calendar.duties(today=D(2023, 8, 15)), "项目进展报告（每三个月）")
    assert [d.due for d in progress if d.status == "due"] == [D(2023, 10, 1)]
    assert [d.due for d in progress if d.overdue] == [D(2023, 4, 1), D(2023, 7, 1)]


def test_the_admin_dashboard_flags_overdue_duties(client, admin_user):
    factories.campaign(year=2023)
    client.force_login(admin_user)
    page = client.get("/admin/relief/reliefproject/calendar/").content.decode()
    assert "<title>法定信息公开日历" in page
    assert "已逾期，标为红色" in page
    assert 'class="overdue' in page and "⚠ 已逾期" in page


def test_the_dashboard_is_for_staff_only(client, outsider):
    client.force_login(outsider)
    assert client.get("/admin/relief/reliefproject/calendar/").status_code == 302
