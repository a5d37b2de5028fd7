"""Background jobs in the back office: each person's list, a job's progress page and its result.

Only the person who asked for a job, and superusers, may see its page and open its result;
anybody else gets 404, as if it did not exist (an export lists donors by name).
"""

from django.conf import settings
from django.contrib import admin
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.html import format_html
from django_tasks_db import admin as _tasks_db_admin  # noqa: F401  (registered first, to unregister)
from django_tasks_db.models import DBTaskResult

from . import job_upkeep, jobs
from .admin_readonly import ReadOnlyAdminMixin
from .models import BackgroundJob
from .money import count

ERRORS_PER_PAGE = 100
# How often the page of an unfinished job reloads itself (a <meta> refresh: the
# Content-Security-Policy allows no inline script, and the page needs none).
REFRESH_SECONDS = 2
# After this long in the queue the page says why a job may still be waiting.
WAITING_NOTE_SECONDS = 15
# After these a job's kind says what to do next (upload again, export again).
UNSUCCESSFUL = {BackgroundJob.Status.FAILED, BackgroundJob.Status.INTERRUPTED}

# The queue's own rows (arguments, tracebacks) have an English-only admin of their own; the
# jobs are their Chinese face, and what staff need of them.
admin.site.unregister(DBTaskResult)


@admin.register(BackgroundJob)
class BackgroundJobAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["title", "kind", "status_label", "progress", "created_at", "finished_at"]
    list_filter = ["kind", "status"]

    def get_list_display(self, request):
        if request.user.is_superuser:
            return [*self.list_display[:2], "requested_by", *self.list_display[2:]]
        return self.list_display

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("requested_by").visible_to(request.user)

    # Every member of staff may list their own jobs; nobody edits them.
    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    @admin.display(description="状态")
    def status_label(self, job):
        return job.shown_status.label

    @admin.display(description="进度")
    def progress(self, job):
        return progress_text(job)

    def get_urls(self):
        def route(pattern, view, name):
            return path(pattern, self.admin_site.admin_view(view), name=f"charity_backgroundjob_{name}")

        return [
            route("", self.changelist_view, "changelist"),
            # The admin's change link opens the progress page.
            route("<uuid:pk>/", self.progress_view, "change"),
            route("<uuid:pk>/result/", self.result_view, "result"),
        ]

    def progress_view(self, request, pk):
        job = get_object_or_404(self.get_queryset(request), pk=pk)
        status = job.shown_status
        if status == BackgroundJob.Status.INTERRUPTED and job.status == BackgroundJob.Status.RUNNING:
            # Seen to have stopped: the task table says so too (it would say RUNNING for ever).
            job_upkeep.settle_interrupted([job.pk])
        kind = jobs.kind_of(job)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": job.title,
            "job": job,
            "status": status,
            "progress": progress_text(job),
            "refresh": None if job.finished else REFRESH_SECONDS,
            "waiting_note": waiting_note(job),
            "interrupted_note": interrupted_note(job) if status == BackgroundJob.Status.INTERRUPTED else "",
            "summary": kind.summary(job) if status == BackgroundJob.Status.DONE else "",
            "note": kind.note(job) if kind.note and status in UNSUCCESSFUL else "",
            "errors": Paginator(job.error_rows, ERRORS_PER_PAGE).get_page(request.GET.get("page")),
        }
        return TemplateResponse(request, "admin/charity/backgroundjob/progress.html", context)

    def result_view(self, request, pk):
        job = get_object_or_404(self.get_queryset(request), pk=pk, status=BackgroundJob.Status.DONE)
        return jobs.kind_of(job).open_result(job)


def progress_text(job):
    """Where a job is, as "写入数据库：40,000 / 60,000 行" (the stage alone when nothing is counted),
    or where it stopped if it did not finish."""
    status = job.shown_status
    if status == BackgroundJob.Status.DONE:
        return "全部完成"
    text = job.stage or "—"
    if job.total is not None:
        text = f"{text}：{count(job.done)} / {count(job.total)} {job.unit}".strip()
    return f"停在“{text}”" if status in UNSUCCESSFUL and job.stage else text


def waiting_note(job):
    if job.status != BackgroundJob.Status.WAITING:
        return ""
    waited = (timezone.now() - job.created_at).total_seconds()
    if waited < WAITING_NOTE_SECONDS:
        return ""
    return (
        f"已等待 {int(waited)} 秒。前面可能还有任务在进行；如果一直等待，可能是后台任务进程"
        "（python manage.py db_worker）没有运行，请联系管理员。"
    )


def interrupted_note(job):
    last = job.heartbeat_at or job.started_at
    since = f"自 {timezone.localtime(last):%Y-%m-%d %H:%M:%S} 起" if last else ""
    return format_html(
        "后台任务进程{}没有再报告进度（超过 {} 秒），可能已被停止或重启，这个任务没有完成。",
        since,
        int(settings.JOB_STALE_SECONDS),
    )
