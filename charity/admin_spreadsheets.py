"""The admin's Excel import and export of a back-office table (django-import-export's screens).

Upload → preview (every row checked, nothing written) → confirm (all rows written in one
transaction, or none). The file formats, columns and messages are charity/resources.py's.
"""

from django.contrib import messages
from django.contrib.auth import get_permission_codename
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.loader import select_template
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST
from import_export.admin import ImportExportMixin
from import_export.forms import ExportForm
from import_export.results import RowResult

from .money import count
from .resources import FORMATS

# The library builds the whole file in memory, in the web request, a row at a time: past this many
# rows the list is to be narrowed first. Donors are hundreds of thousands; the other tables small.
EXPORT_MAX_ROWS = 20000
# The uploads this session previewed. The library posts the waiting file's name back with the
# confirmation; only a name this session was given may be confirmed, so nobody confirms a file
# someone else uploaded (a beneficiary list, a clerk's donation file in the same folder).
SESSION_KEY = "spreadsheet_imports"
REMEMBERED = 20
NOT_YOURS = "这个待导入的文件不是您在本次登录中上传并预览的，或已经导入过；没有写入任何数据，请重新上传。"


class SpreadsheetImportExportMixin(ImportExportMixin):
    """Mixed into a ModelAdmin (before admin.ModelAdmin) whose `resource_classes` names one
    SpreadsheetResource."""

    formats = FORMATS
    # Every column, always: a file that leaves some out does not import back the same.
    export_form_class = ExportForm
    import_template_name = "admin/charity/spreadsheet_import.html"
    # The audit trail records the import as one entry (charity/resources.py), not LogEntry rows.
    skip_admin_log = True

    def init_change_list_template(self):
        # The library puts its buttons on "admin/change_list.html"; a model's own list template
        # (the project list's calendar link) is found first, as the admin itself would.
        if not getattr(self, "change_list_template", None):
            opts = self.model._meta
            self.change_list_template = select_template(
                [
                    f"admin/{opts.app_label}/{opts.model_name}/change_list.html",
                    f"admin/{opts.app_label}/change_list.html",
                    "admin/change_list.html",
                ]
            ).template.name
        super().init_change_list_template()

    def write_to_tmp_storage(self, import_file, input_format):
        if input_format.is_binary():
            return super().write_to_tmp_storage(import_file, input_format)
        # A CSV is kept as UTF-8 text. Excel in Chinese saves "CSV" in GB 18030 (GBK) unless told
        # "CSV UTF-8", so both are read.
        data = b"".join(import_file.chunks())
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("gb18030", errors="replace")
        storage = self.get_tmp_storage_class()(
            encoding="utf-8", read_mode="r", **self.get_tmp_storage_class_kwargs()
        )
        storage.save(text)
        return storage

    def import_confined(self, request):
        """True when `request.user` may read only part of the table (a branch liaison): a file
        may name any record, so such an account imports nothing. Overridden where it applies."""
        return False

    def has_import_permission(self, request):
        opts = self.opts
        user = request.user
        return (
            user.has_perm(f"{opts.app_label}.{get_permission_codename('add', opts)}")
            and user.has_perm(f"{opts.app_label}.{get_permission_codename('change', opts)}")
            and not self.import_confined(request)
        )

    def has_export_permission(self, request):
        # What the list shows, its filters and the account's scope included (get_export_queryset).
        return self.has_view_permission(request)

    def get_confirm_form_initial(self, request, import_form):
        initial = super().get_confirm_form_initial(request, import_form)
        name = initial.get("import_file_name")
        if name:
            names = request.session.get(SESSION_KEY, [])
            request.session[SESSION_KEY] = [*names[-(REMEMBERED - 1) :], name]
        return initial

    @method_decorator(require_POST)  # as the library's: a GET is 405 whoever asks
    def process_import(self, request, **kwargs):
        if not self.has_import_permission(request):
            raise PermissionDenied
        name = request.POST.get("import_file_name", "")
        names = request.session.get(SESSION_KEY, [])
        if name not in names:
            messages.error(request, NOT_YOURS)
            return redirect(f"admin:{self.opts.app_label}_{self.opts.model_name}_import")
        # Confirmed once: a second post of the same page finds nothing to confirm.
        request.session[SESSION_KEY] = [n for n in names if n != name]
        return super().process_import(request, **kwargs)

    def get_import_context_data(self, **kwargs):
        return {**super().get_import_context_data(**kwargs), "model_name": self.opts.verbose_name}

    def process_result(self, result, request):
        if not (result.has_errors() or result.has_validation_errors()):
            return super().process_result(result, request)
        # The file changed between preview and confirmation (or the table did): nothing was
        # written; show why on the upload page.
        form_class = self.get_import_form_class(request)
        form = form_class(self.get_import_formats(), self.get_import_resource_classes(request))
        context = {
            **self.admin_site.each_context(request),
            **self.get_import_context_data(),
            "title": f"导入{self.opts.verbose_name}",
            "form": form,
            "opts": self.opts,
            "result": result,
            "fields_list": [],
        }
        return TemplateResponse(request, [self.import_template_name], context)

    def add_success_message(self, result, request):
        new, updated, unchanged = (
            result.totals[kind]
            for kind in (RowResult.IMPORT_TYPE_NEW, RowResult.IMPORT_TYPE_UPDATE, RowResult.IMPORT_TYPE_SKIP)
        )
        done = f"导入完成：新增 {new} 条，更新 {updated} 条，{unchanged} 条与原有记录相同未改动。"
        messages.success(request, done)

    def get_export_filename(self, request, queryset, file_format):
        return f"{self.opts.verbose_name}-{timezone.localtime():%Y%m%d-%H%M}.{file_format.get_extension()}"

    def _do_file_export(self, file_format, request, queryset, export_form=None):
        rows = queryset.count()
        if rows > EXPORT_MAX_ROWS:
            messages.error(
                request,
                f"所选记录共 {count(rows)} 条，超过一次导出的上限 {count(EXPORT_MAX_ROWS)} 条："
                "请先用右侧的筛选或搜索缩小范围，再导出。",
            )
            return redirect(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist")
        response = super()._do_file_export(file_format, request, queryset, export_form=export_form)
        # The library quotes the Chinese name as it is; browsers read it only RFC 6266-encoded.
        filename = self.get_export_filename(request, queryset, file_format)
        response["Content-Disposition"] = content_disposition_header(True, filename)
        return response
