"""The donations' background jobs: an admin import once previewed, and a large export.

Each task takes its job's id and runs through charity.jobs.run in the task worker; the job's
page shows the progress and, at the end, what is registered here: the batch imported (or the
file's errors, listed as the preview lists them), or the exported file, for its requester only.
"""

import io

from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html
from django_tasks import task

from campaigns.core import Campaign
from charity import jobs
from charity.models import BackgroundJob
from charity.money import count, yuan

from . import exporting, listing, pending_imports
from .importing import ImportFailed, import_file
from .importing.options import ADMIN
from .models import ImportBatch

# Import -----------------------------------------------------------------------------------------


@task()
def import_donations(job_id):
    jobs.run(job_id, run_import)


def run_import(job, report):
    """The same all-or-nothing import_file as the command, on the upload the preview checked."""
    pending = pending_imports.PendingImport(**job.params["pending"])
    try:
        report("读取文件")
        data = pending.read_file()
        batch = import_file(
            io.BytesIO(data),
            file_name=pending.file_name,
            campaign=Campaign.objects.get(pk=pending.campaign_id),
            user=job.requested_by,
            allow_outside_dates=pending.allow_outside_dates,
            force=pending.force,
            separate_staff_gifts=pending.separate_staff_gifts,
            outside_dates_reason=pending.outside_dates_reason,
            interface=ADMIN,
            progress=report,
        )
    except FileNotFoundError as missing:
        raise jobs.JobFailed(
            "上传的文件已不在服务器上（超过一天未处理的上传会被清除），没有写入任何数据。"
        ) from missing
    except ImportFailed as failure:
        # Something changed since the preview (say, a receipt number entered meanwhile).
        raise jobs.JobFailed(
            f"导入失败，没有写入任何数据：共 {len(failure.errors)} 处错误，见下方列表。",
            rows=[(error.shown_row, error.column, error.message) for error in failure.errors],
        ) from failure
    finally:
        pending_imports.remove_files(pending)
    return {"batch": batch.pk}


def batch_donations_url(batch_pk):
    return f"{reverse('admin:donations_donation_changelist')}?batch__id__exact={batch_pk}"


def import_summary(job):
    batch = ImportBatch.objects.filter(pk=job.result.get("batch")).first()
    if batch is None:
        return "导入的批次已不存在。"
    return format_html(
        '已导入批次 <a href="{}">{}</a>：捐赠 {} 笔，明细 {} 条，合计 {} 元。'
        '<a href="{}">查看本批次的捐赠</a>',
        reverse("admin:donations_importbatch_change", args=[batch.pk]),
        batch.file_name,
        batch.donation_count,
        batch.line_count,
        yuan(batch.total_amount),
        batch_donations_url(batch.pk),
    )


def open_imported_batch(job):
    return redirect(batch_donations_url(job.result["batch"]))


def import_note(job):
    upload_again = reverse("admin:donations_donation_import")
    if job.status == BackgroundJob.Status.FAILED:
        return format_html('修改文件后<a href="{}">重新上传</a>。', upload_again)
    # Interrupted: the import commits its batch and rows in one transaction, so either all of
    # them are there or none; a batch from this file made since the job started says which.
    batch = ImportBatch.objects.filter(
        sha256=job.params.get("sha256"), created_by=job.requested_by, created_at__gte=job.started_at
    ).first()
    if batch is not None:
        return format_html(
            '中断前导入已经完成：批次 <a href="{}">{}</a>。',
            reverse("admin:donations_importbatch_change", args=[batch.pk]),
            batch.file_name,
        )
    return format_html(
        "导入在一个事务中写入，全部写入或全部不写入：这次没有写入任何数据。"
        '请<a href="{}">重新上传</a>文件导入。',
        upload_again,
    )


jobs.register(
    "import",
    "导入捐赠",
    task=import_donations,
    summary=import_summary,
    open_result=open_imported_batch,
    note=import_note,
)


# Export -----------------------------------------------------------------------------------------

WRITERS = {"xlsx": exporting.write_xlsx, "csv": exporting.write_csv, "lines-csv": exporting.write_lines_csv}
CSV_TYPE = "text/csv; charset=utf-8"
CONTENT_TYPES = {"xlsx": exporting.XLSX_CONTENT_TYPE, "csv": CSV_TYPE, "lines-csv": CSV_TYPE}


@task()
def export_donations(job_id):
    jobs.run(job_id, run_export)


def run_export(job, report):
    """The donation list's export with the filters it had, into a private file for the requester."""
    file_format = job.params["format"]
    if "selection" not in job.params:  # queued by a release that kept only the query string
        raise jobs.JobFailed("这个导出任务是升级前提交的，没有导出任何数据；请回到捐赠列表重新导出。")
    report("统计行数")
    queryset = listing.donation_list(job.requested_by, **job.params["selection"])
    total = exporting.row_count(queryset, file_format)
    left_out = exporting.lines_without_receipt(queryset)
    report("写入文件", done=0, total=total)
    with jobs.create_file(job, "." + file_format) as out:
        WRITERS[file_format](queryset, out, progress=report, total=total)
    return {"rows": total, "left_out": left_out}


def export_path(job):
    return jobs.file_path(job, "." + job.params["format"])


def export_summary(job):
    if not export_path(job).exists():
        return "导出的文件已过期删除（保留一天），请重新导出。"
    text = format_html(
        '已导出 {} 行：<a href="{}" id="job-download">下载 {}</a>（文件保留一天，只有提交人能下载）。',
        count(job.result["rows"]),
        jobs.result_url(job),
        job.params["file_name"],
    )
    if job.result.get("left_out"):
        text += format_html(
            "<br>有 {} 条汇款明细所属的汇款没有票据号，未能导出；请先补录票据号。", job.result["left_out"]
        )
    return text


def open_export(job):
    path = export_path(job)
    if not path.exists():
        raise Http404("导出的文件已过期删除")
    file_format = job.params["format"]
    return FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=job.params["file_name"],
        content_type=CONTENT_TYPES[file_format],
    )


def export_note(job):
    return format_html(
        '请回到<a href="{}">捐赠列表</a>重新导出。', reverse("admin:donations_donation_changelist")
    )


jobs.register(
    "export",
    "导出捐赠",
    task=export_donations,
    summary=export_summary,
    open_result=open_export,
    note=export_note,
)
