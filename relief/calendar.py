"""The statutory calendar: each disclosure duty the data creates, its deadline, and whether it is met.

From 慈善组织信息公开办法 (民政部, in force 2026-01-01; check the current text before relying on
this summary):

- the annual work report and the financial report of year Y by 31 May of Y+1;
- the results of a public fundraising campaign within three months of its end;
- for a project longer than six months, a report at least every three months, and a final report
  within three months of its end; the handling of money left over within three months of the end;
- corrections as published 更正说明 (relief.models.DisclosureErratum: always published, no deadline).

Reports for projects are the portal's own published disclosures; annual reports and campaign
results are StatutoryFiling rows: a PDF uploaded there is published on the 信息公开 pages
(relief/organisation/) and meets its duty; without a PDF the row records where it was published
(慈善中国).
"""

import calendar as _calendar
import datetime
from dataclasses import dataclass

from django.db.models import Min
from django.utils import timezone

from campaigns.core import Campaign

from .models import Disclosure, ReliefProject, StatutoryFiling

DONE, DONE_LATE, DUE, OVERDUE = "done", "done_late", "due", "overdue"
STATUS_LABELS = {DONE: "已按时公开", DONE_LATE: "已公开（逾期）", DUE: "待公开", OVERDUE: "已逾期"}


def add_months(day, months):
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return datetime.date(year, month, min(day.day, _calendar.monthrange(year, month)[1]))


@dataclass
class Duty:
    what: str
    subject: str
    due: datetime.date
    done_on: datetime.date | None
    today: datetime.date
    how: str = ""

    @property
    def status(self):
        if self.done_on is not None:
            return DONE if self.done_on <= self.due else DONE_LATE
        return OVERDUE if self.today > self.due else DUE

    @property
    def status_label(self):
        return STATUS_LABELS[self.status]

    @property
    def overdue(self):
        return self.status == OVERDUE

    @property
    def days_left(self):
        return (self.due - self.today).days


def duties(today=None):
    """Every duty, overdue first, then those still to do, then those done (newest first)."""
    today = today or timezone.localdate()
    found = [*annual_reports(today), *campaign_results(today), *project_reports(today)]
    order = {OVERDUE: 0, DUE: 1, DONE_LATE: 2, DONE: 2}
    return sorted(
        found,
        key=lambda d: (order[d.status], d.due if order[d.status] < 2 else -d.due.toordinal(), d.subject),
    )


def annual_reports(today):
    first = min(
        [
            y
            for y in (
                Campaign.objects.aggregate(y=Min("year"))["y"],
                ReliefProject.objects.aggregate(y=Min("year"))["y"],
            )
            if y
        ]
        or [today.year]
    )
    filed = {
        (f.kind, f.year): f.published_on
        for f in StatutoryFiling.objects.filter(year__isnull=False).order_by("-published_on")
    }
    for year in range(first, today.year):
        due = datetime.date(year + 1, 5, 31)
        for kind in (StatutoryFiling.Kind.ANNUAL_WORK, StatutoryFiling.Kind.ANNUAL_FINANCIAL):
            yield Duty(
                kind.label,
                f"{year}年度",
                due,
                filed.get((kind.value, year)),
                today,
                "在“法定公开记录”中上传或登记",
            )


def campaign_results(today):
    filed = {
        f.campaign_id: f.published_on
        for f in StatutoryFiling.objects.filter(kind=StatutoryFiling.Kind.CAMPAIGN_RESULT).order_by(
            "-published_on"
        )
    }
    for campaign in Campaign.objects.filter(end_date__lt=today).order_by("end_date"):
        yield Duty(
            "公开募捐活动结果",
            campaign.name,
            add_months(campaign.end_date, 3),
            filed.get(campaign.pk),
            today,
            "在“法定公开记录”中上传或登记",
        )


def project_reports(today):
    published = {}
    for project_id, kind, at in Disclosure.objects.filter(status=Disclosure.Status.PUBLISHED).values_list(
        "project_id", "kind", "published_at"
    ):
        published.setdefault(project_id, []).append((kind, timezone.localdate(at)))
    for project in ReliefProject.objects.exclude(start_date=None).order_by("start_date", "name"):
        done = sorted(published.get(project.pk, []), key=lambda item: item[1])
        yield from _project_duties(project, done, today)


def _project_duties(project, done, today):
    end = project.end_date
    horizon = end or today
    if add_months(project.start_date, 6) < horizon:  # longer than six months
        reports = [d for kind, d in done if kind != Disclosure.Kind.LEFTOVER]
        due = add_months(project.start_date, 3)
        while due < horizon or (end is None and due <= add_months(today, 3)):
            # The first report after the previous deadline meets this one; published after it but
            # before the next deadline, it meets it late (and the next deadline needs its own).
            window_start, next_due = add_months(due, -3), add_months(due, 3)
            met = next((d for d in reports if window_start < d <= next_due), None)
            if met is not None:
                reports.remove(met)
            yield Duty("项目进展报告（每三个月）", project.name, due, met, today, "发布公示")
            due = next_due
    if end is not None:
        for kind, what in (
            (Disclosure.Kind.FINAL, "项目结项报告"),
            (Disclosure.Kind.LEFTOVER, "剩余资金处理情况"),
        ):
            dates = [d for k, d in done if k == kind]
            yield Duty(what, project.name, add_months(end, 3), dates[0] if dates else None, today, "发布公示")
