"""Driving the admin's Excel import and export (charity/admin_spreadsheets.py) as staff do."""

import io

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile

XLSX = "0"  # the first of charity.resources.FORMATS
CSV = "1"


def export(client, model_path, file_format=XLSX, query=""):
    """The response of 导出 on /admin/<app>/<model>/ (the list's filters in `query`)."""
    return client.post(f"/admin/{model_path}/export/{query}", {"format": file_format, "resource": "0"})


def workbook_rows(response):
    """The exported workbook's first sheet, header first, as the cells' values."""
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    return [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]


def as_records(rows):
    header, *body = rows
    return [dict(zip(header, row, strict=True)) for row in body]


def xlsx_file(rows, name="表格.xlsx"):
    """An upload of `rows` (header first) as staff would save it from Excel."""
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def upload(client, model_path, upload_file, file_format=XLSX):
    """The preview page after uploading `upload_file`."""
    return client.post(
        f"/admin/{model_path}/import/", {"import_file": upload_file, "format": file_format, "resource": "0"}
    )


def confirm(client, model_path, preview):
    """Confirm a preview that offered the confirmation."""
    form = preview.context["confirm_form"]
    return client.post(f"/admin/{model_path}/process_import/", {**form.initial, "confirm": "确认导入"})


def import_file(client, model_path, upload_file):
    """Upload, preview, confirm: the final response (a redirect to the list when it worked)."""
    preview = upload(client, model_path, upload_file)
    assert preview.status_code == 200
    assert preview.context.get("confirm_form") is not None, page_problems(preview)
    return confirm(client, model_path, preview)


def page_problems(response):
    result = response.context.get("result") if response.context else None
    return result.problems if result is not None else []
