"""The donation admin's import, export and template views (mixed into DonationAdmin).

The admin import calls the same engine as `manage.py import_donations`: django-import-export's
row-by-row Resource import was measured at ~440 rows/s, minutes for a campaign file. From
django-import-export we use its temporary storage (see pending_imports) and its look.
"""

import io

from django.conf import settings
from django.contrib import messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.http import content_disposition_header

from campaigns.core import Campaign
from charity import jobs
from charity.money import wan, yuan

from . import exporting, pending_imports, services
from .forms import DonationImportForm
from .importing import COLUMNS, check_file
from .importing.options import ADMIN
from .scoping import liaison_branch_ids

ERRORS_PER_PAGE = 100
EXPORTS = {
    "xlsx": exporting.xlsx_response,
    "csv": exporting.csv_response,
    # A CSV has one sheet: the staff lines are a second file (docs/staff/import.md, 导出).
    "lines-csv": exporting.lines_csv_response,
}
EXPORT_NAMES = {
    "xlsx": ("捐赠导出", "xlsx"),
    "csv": ("捐赠导出", "csv"),
    "lines-csv": ("汇款明细导出", "csv"),
}


def plan_data(plan):
    """What the preview shows of an ImportPlan, as JSON-ready data."""
    return {
        "sha256": plan.sha256,
        "row_count": plan.row_count,
        "donation_count": plan.donation_count,
        "line_count": plan.line_count,
        "new_donor_count": plan.new_donor_count,
        "matched_donor_count": plan.matched_donor_count,
        "total_amount": str(plan.total_amount),
        "remainders": [
            [receipt, str(amount), str(lines), str(rest)] for receipt, amount, lines, rest in plan.remainders
        ],
        "errors": [[error.shown_row, error.column, error.message] for error in plan.errors],
    }


class DonationImportExportMixin:
    def get_urls(self):
        def route(pattern, view, name):
            return path(pattern, self.admin_site.admin_view(view), name=f"donations_donation_{name}")

        urls = [
            route("import/", self.import_view, "import"),
            # Before the token pattern, which "template" would also match.
            route("import/template/", self.import_template_view, "import_template"),
            route("import/<slug:token>/", self.import_preview_view, "import_preview"),
            route("import/<slug:token>/confirm/", self.import_confirm_view, "import_confirm"),
            route("export/<slug:file_format>/", self.export_view, "export"),
        ]
        return urls + super().get_urls()

    def has_import_permission(self, request):
        # Its own permission: a branch liaison adds gifts by hand but does not import files. A
        # file may name any branch, so a confined account never imports, whatever it was granted.
        return request.user.has_perm("donations.import_donation") and liaison_branch_ids(request.user) is None

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            "has_import_permission": self.has_import_permission(request),
            **(extra_context or {}),
        }
        return super().changelist_view(request, extra_context)

    # Import -----------------------------------------------------------------------------------

    def import_view(self, request):
        self._require(self.has_import_permission(request))
        form = DonationImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload, options = form.cleaned_data["file"], form.cleaned_data
            data = b"".join(upload.chunks())
            choices = {
                "campaign": options["campaign"],
                "allow_outside_dates": options["allow_outside_dates"],
                "force": options["force"],
                "separate_staff_gifts": options["separate_staff_gifts"],
                "outside_dates_reason": options["outside_dates_reason"],
            }
            pending = pending_imports.stash(data=data, file_name=upload.name, **choices)
            plan = check_file(io.BytesIO(data), file_name=upload.name, interface=ADMIN, **choices)
            pending.save_plan(plan_data(plan))
            pending_imports.remember(request, pending)
            return redirect("admin:donations_donation_import_preview", token=pending.token)
        return self._render(request, "import.html", "导入捐赠", form=form, columns=COLUMNS)

    def import_preview_view(self, request, token):
        self._require(self.has_import_permission(request))
        pending = pending_imports.load(request, token)
        plan = pending.read_plan() if pending else None
        if plan is None:
            return self._expired(request)
        total = plan["total_amount"]
        return self._render(
            request,
            "import_preview.html",
            "导入预览",
            pending=pending,
            plan=plan,
            campaign=Campaign.objects.get(pk=pending.campaign_id),
            total_yuan=yuan(total),
            total_wan=wan(total),
            errors=Paginator(plan["errors"], ERRORS_PER_PAGE).get_page(request.GET.get("page")),
            can_confirm=not plan["errors"],
        )

    def import_confirm_view(self, request, token):
        self._require(self.has_import_permission(request))
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        pending = pending_imports.load(request, token)
        if pending is None:
            return self._expired(request)
        if "cancel" in request.POST:
            pending_imports.discard(request, pending)
            messages.info(request, "已取消导入，没有写入任何数据。")
            return redirect("admin:donations_donation_changelist")
        # The import itself runs in the task worker: a campaign file holds a web worker too long.
        job = services.enqueue_import(pending, request.user)
        pending_imports.forget(request, pending)  # the job owns the upload's files now
        return redirect(jobs.page_url(job))

    def import_template_view(self, request):
        self._require(self.has_view_permission(request))
        buffer = io.BytesIO()
        exporting.write_template(buffer)
        response = HttpResponse(buffer.getvalue(), content_type=exporting.XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = content_disposition_header(True, "捐赠导入模板.xlsx")
        return response

    # Export -----------------------------------------------------------------------------------

    def export_view(self, request, file_format):
        self._require(self.has_view_permission(request))
        if file_format not in EXPORTS:
            raise Http404("不支持的导出格式")
        try:
            # The changelist's own queryset: the same filters, search and date drill-down.
            changelist = self.get_changelist_instance(request)
            queryset = changelist.queryset
        except IncorrectLookupParameters:
            messages.error(request, "筛选条件无效，未导出。")
            return redirect("admin:donations_donation_changelist")
        prefix, extension = EXPORT_NAMES[file_format]
        filename = f"{prefix}-{timezone.localtime():%Y%m%d-%H%M}.{extension}"
        rows = exporting.row_count(queryset, file_format)
        if rows > settings.EXPORT_IMMEDIATE_MAX_ROWS:
            job = services.enqueue_export(
                request.user,
                file_format=file_format,
                query=request.GET.urlencode(),
                selection=changelist.selection(),  # the worker selects the rows again from it
                rows=rows,
                file_name=filename,
            )
            return redirect(jobs.page_url(job))
        left_out = exporting.lines_without_receipt(queryset)
        if left_out:
            # Shown on the next page the clerk opens; the download itself cannot carry a message.
            messages.warning(
                request, f"有 {left_out} 条汇款明细所属的汇款没有票据号，未能导出；请先补录票据号。"
            )
        return EXPORTS[file_format](queryset, filename)

    # Helpers ----------------------------------------------------------------------------------

    def _require(self, allowed):
        if not allowed:
            raise PermissionDenied

    def _expired(self, request):
        messages.error(request, "该导入已完成、已取消或已过期，请重新上传文件。")
        return redirect("admin:donations_donation_import")

    def _render(self, request, template, title, **context):
        return TemplateResponse(
            request,
            f"admin/donations/donation/{template}",
            {**self.admin_site.each_context(request), "opts": self.opts, "title": title, **context},
        )
