"""The annual summary's background job: rendering a year's PDF when its data has changed.

Rendering takes one to two seconds for a year (bench/README.md, "PDFs"), more on a busy machine; a download
whose data has not changed is served from the stored file at once and needs no job.
"""

from django.http import Http404
from django.urls import reverse
from django.utils.html import format_html
from django_tasks import task

from charity import jobs
from charity.pdf import pdf_response

from . import services
from .annual_summary.figures import display_code
from .models import AnnualSummaryDocument


@task()
def render_annual_summary(job_id):
    jobs.run(job_id, run_render)


def run_render(job, report):
    try:
        document = services.summary_document(job.params["year"], progress=report)
    except services.SummaryError as error:
        raise jobs.JobFailed(error.message) from error
    return {"document": document.pk}


def document_of(job):
    document = AnnualSummaryDocument.objects.filter(pk=job.result.get("document")).first()
    if document is None or not document.pdf or not document.pdf.storage.exists(document.pdf.name):
        return None
    return document


def summary(job):
    document = document_of(job)
    if document is None:
        return "生成的文件已不存在，请重新下载。"
    return format_html(
        '已生成 {}（{} 页，核验码 {}）：<a href="{}" id="job-download">下载 PDF</a>',
        document.filename,
        document.pages,
        display_code(document.code),
        jobs.result_url(job),
    )


def open_document(job):
    document = document_of(job)
    if document is None:
        raise Http404("生成的文件已不存在")
    return pdf_response(document, as_attachment=True)


def note(job):
    download = reverse("admin:campaigns_annual_summary_download", args=[job.params["year"]])
    return format_html('可以<a href="{}">重新下载</a>，数据没有变化时直接得到已生成的文件。', download)


jobs.register(
    "annual_summary",
    "生成年度总结",
    task=render_annual_summary,
    summary=summary,
    open_result=open_document,
    note=note,
)
