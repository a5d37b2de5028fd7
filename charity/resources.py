"""Back-office tables to and from Excel with django-import-export: the shared parts.

The library reads the file, shows the preview and writes the rows; what is ours is said here:

- Files go out through charity/spreadsheets.py like every other download (SafeXLSX, SafeCSV): the
  library's own formula escape only strips a leading "=", and leaves "+cmd", "-1+1" and "@SUM"
  for a spreadsheet to run. Its apostrophe is taken off again on the way in, so an exported file
  imports back unchanged.
- Columns are named by the model's Chinese verbose_name, and every problem is reported as
  (spreadsheet row, column, Chinese message); the header is row 1, as in Excel.
- All or nothing: the rows are written in one transaction, rolled back on any error or refused row
  (rollback_on_validation_errors is forced on), with one audit entry for the import and none per
  row.
- Each row is checked by the model's own full_clean(), the same rules its admin form applies
  (a resource may say a database constraint in words, check_instance()).

The donation importer is not built on this (docs/dev/import-engines.md): on the same 5,000 rows a
Donation ModelResource took 697 s against 1.8 s for donations/importing (bench/import_engines.py).
"""

import datetime
import decimal

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from import_export import fields, resources, widgets
from import_export.formats import base_formats
from import_export.results import Result

from . import audit
from .spreadsheets import FORMULA_PREFIXES, Sheet, csv_document, xlsx_document

ID_COLUMN = "编号"
WHOLE_ROW = "（整行）"


# Formats -------------------------------------------------------------------------------------------


def unescape_cell(value):
    """Undo the export's formula escape ('=SUM… → =SUM…), nothing else that starts with '."""
    if isinstance(value, str) and value.startswith("'") and value[1:2] and value[1] in FORMULA_PREFIXES:
        return value[1:]
    return value


def _unescaped(dataset):
    for index, row in enumerate(dataset):
        dataset[index] = [unescape_cell(cell) for cell in row]
    return dataset


class SafeXLSX(base_formats.XLSX):
    """Excel, written by the project's formula-safe writer."""

    def create_dataset(self, in_stream):
        dataset = super().create_dataset(in_stream)
        # A row of empty cells (Excel keeps formatted rows) is no record.
        blank = [i for i, row in enumerate(dataset) if all(cell in (None, "") for cell in row)]
        for index in reversed(blank):
            del dataset[index]
        return _unescaped(dataset)

    def export_data(self, dataset, **kwargs):
        rows = [list(dataset.headers), *(list(row) for row in dataset)]
        return xlsx_document([Sheet(dataset.title or "Sheet1", rows)])


class SafeCSV(base_formats.CSV):
    """CSV (UTF-8 with the BOM Excel needs), written by the project's formula-safe writer."""

    def create_dataset(self, in_stream, **kwargs):
        return _unescaped(super().create_dataset(in_stream, **kwargs))

    def export_data(self, dataset, **kwargs):
        return csv_document([list(dataset.headers), *(list(row) for row in dataset)])


FORMATS = [SafeXLSX, SafeCSV]


# Widgets -------------------------------------------------------------------------------------------
# Exports render typed values (Decimal, date, int), whatever the format: the spreadsheet writers
# turn them into numbers and dates in a workbook and into text in a CSV.


def cell_text(value):
    """What a person sees in a cell: a telephone typed as 13800138000 is '13800138000'."""
    if value is None:
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime.datetime):
        return value.isoformat(sep=" ")
    return str(value).strip()


class TextWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        return cell_text(value)

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class ChoiceWidget(widgets.Widget):
    """A choice by its Chinese label (单位), the stored value (unit) accepted too."""

    def __init__(self, choices, label):
        self.by_label = {str(text): value for value, text in choices}
        self.labels = {value: str(text) for value, text in choices}
        self.label = label
        super().__init__()

    def clean(self, value, row=None, **kwargs):
        text = cell_text(value)
        if not text:
            return None
        if text in self.by_label:
            return self.by_label[text]
        if text in self.labels:
            return text
        raise ValueError(f"“{text}”不是有效的{self.label}，可填：{'、'.join(self.by_label)}")

    def render(self, value, obj=None, **kwargs):
        return self.labels.get(value, value or "")


class YesNoWidget(widgets.Widget):
    YES = {"是", "1", "true", "True", "TRUE", "Y", "y"}
    NO = {"否", "0", "false", "False", "FALSE", "N", "n", ""}

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, bool):
            return value
        text = cell_text(value)
        if text in self.YES:
            return True
        if text in self.NO:
            return False
        raise ValueError(f"“{text}”应填“是”或“否”")

    def render(self, value, obj=None, **kwargs):
        return "是" if value else "否"


class MoneyWidget(widgets.Widget):
    """元, exactly: at most two places, never through a float's rounding."""

    def clean(self, value, row=None, **kwargs):
        text = cell_text(value).replace(",", "").replace("，", "").removesuffix("元")
        if not text:
            return None
        try:
            amount = decimal.Decimal(text)
        except decimal.InvalidOperation:
            raise ValueError(f"“{text}”不是金额，请填写数字，例如 1234.50") from None
        if not amount.is_finite() or amount != amount.quantize(decimal.Decimal("0.01")):
            raise ValueError(f"金额“{text}”最多两位小数")
        return amount.quantize(decimal.Decimal("0.01"))

    def render(self, value, obj=None, **kwargs):
        return value  # a number in the workbook; the CSV writer gives it two places


class CountWidget(widgets.Widget):
    """A whole number (a year, a number of people)."""

    def clean(self, value, row=None, **kwargs):
        text = cell_text(value)
        if not text:
            return None
        try:
            number = decimal.Decimal(text)
        except decimal.InvalidOperation:
            raise ValueError(f"“{text}”不是整数") from None
        if number != number.to_integral_value() or number < 0:
            raise ValueError(f"“{text}”应为不小于 0 的整数")
        return int(number)

    def render(self, value, obj=None, **kwargs):
        return value


class DateWidget(widgets.Widget):
    FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日")

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        text = cell_text(value)
        if not text:
            return None
        for pattern in self.FORMATS:
            try:
                return datetime.datetime.strptime(text, pattern).date()
            except ValueError:
                continue
        raise ValueError(f"“{text}”不是日期，请写成 2024-03-31")

    def render(self, value, obj=None, **kwargs):
        return value  # a real date in the workbook, ISO in CSV


class NamedWidget(widgets.ForeignKeyWidget):
    """A related record by its name, with a Chinese refusal naming what was not found."""

    def __init__(self, model, field="name", label=None, **kwargs):
        self.label = label or model._meta.verbose_name
        super().__init__(model, field, **kwargs)

    def clean(self, value, row=None, **kwargs):
        text = cell_text(value)
        if not text:
            return None
        try:
            return self.get_queryset(text, row, **kwargs).get(**{self.field: text})
        except self.model.DoesNotExist:
            raise ValueError(f"{self.label}“{text}”不存在，请先在后台添加，或核对名称") from None
        except self.model.MultipleObjectsReturned:
            raise ValueError(f"{self.label}“{text}”有多条同名记录，无法确定是哪一条") from None

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(getattr(value, self.field))


# Resources -----------------------------------------------------------------------------------------


def column(model, name, widget=None, **kwargs):
    """A resource field for the model field `name`, headed by its Chinese verbose_name."""
    model_field = model._meta.get_field(name)
    if widget is None:
        widget = _widget_for(model_field)
    default = model_field.default if model_field.has_default() else fields.NOT_PROVIDED
    if default is fields.NOT_PROVIDED and isinstance(model_field, models.CharField | models.TextField):
        default = ""
    return fields.Field(
        attribute=name,
        column_name=kwargs.pop("column_name", str(model_field.verbose_name)),
        widget=widget,
        default=default,
        **kwargs,
    )


def _widget_for(model_field):
    if model_field.choices:
        return ChoiceWidget(model_field.choices, model_field.verbose_name)
    if isinstance(model_field, models.DecimalField):
        return MoneyWidget()
    if isinstance(model_field, models.DateField):
        return DateWidget()
    if isinstance(model_field, models.BooleanField):
        return YesNoWidget()
    if isinstance(model_field, models.IntegerField):
        return CountWidget()
    return TextWidget()


class SpreadsheetResult(Result):
    """Rows numbered as the spreadsheet numbers them (the header is row 1)."""

    def append_error_row(self, number, row, errors):
        super().append_error_row(number + 1, row, errors)

    def append_invalid_row(self, number, row, validation_error):
        super().append_invalid_row(number + 1, row, validation_error)

    @property
    def problems(self):
        """[(row, column, message)] of every refused row, for the preview's error table."""
        found = [
            (row.number, column, message)
            for row in self.invalid_rows
            for column, messages in row.error_dict.items()
            for message in messages
        ]
        for number, errors in self.row_errors():
            for error in errors:
                found.append((number, WHOLE_ROW, _error_text(error.error)))
        found.sort(key=lambda problem: problem[0] or 0)
        return [(None, WHOLE_ROW, _error_text(error.error)) for error in self.base_errors] + found


def _error_text(error):
    # A database error's text is in English and may quote values; staff get a plain sentence.
    if isinstance(error, ValueError | ValidationError):
        return "；".join(getattr(error, "messages", [str(error)]))
    return "这一行无法写入（与已有记录冲突或数据格式不对），请核对后重新上传"


class SpreadsheetResource(resources.ModelResource):
    """A ModelResource for staff spreadsheets: Chinese columns and messages, all or nothing,
    one audit entry per import. Subclasses declare their columns with column()."""

    id = fields.Field(attribute="id", column_name=ID_COLUMN, widget=CountWidget())

    class Meta:
        import_id_fields = ["id"]
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
        use_transactions = True

    def get_result_class(self):
        return SpreadsheetResult

    @classmethod
    def audit_action(cls):
        opts = cls._meta.model._meta
        action = f"{opts.app_label}.{opts.model_name}.imported"
        return audit.describe(action, f"从表格导入{opts.verbose_name}")

    # Import ------------------------------------------------------------------------------------

    def import_data(self, dataset, dry_run=False, raise_errors=False, use_transactions=None, **kwargs):
        # All or nothing: a refused row rolls back the rows before it, also when the file
        # changed between the preview and the confirmation.
        kwargs["rollback_on_validation_errors"] = True
        self._seen_ids = {}
        with audit.explicit():
            return super().import_data(dataset, dry_run, raise_errors, use_transactions, **kwargs)

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        dataset.headers = [cell_text(header) for header in dataset.headers]
        # A column the import does not know would be dropped without a word: a clerk who typed
        # "分会" for "所属分会" would think the branches were set.
        known = [field.column_name for field in self.get_import_fields()]
        unknown = [header for header in dataset.headers if header not in known]
        if unknown:
            named = "、".join(unknown) or "（空白列名）"
            raise ValueError(f"表头中有不认识的列：{named}。可以导入的列：{'、'.join(known)}")
        if ID_COLUMN not in dataset.headers:
            # A new list typed by hand has no numbers: every row is a new record.
            dataset.append_col([""] * len(dataset), header=ID_COLUMN)

    def before_import_row(self, row, **kwargs):
        super().before_import_row(row, **kwargs)
        text = cell_text(row.get(ID_COLUMN))
        if not text:
            return
        try:
            pk = int(decimal.Decimal(text))
        except (decimal.InvalidOperation, ValueError):
            raise ValidationError({"id": f"编号“{text}”不是整数；新增的记录请留空编号"}) from None
        first = self._seen_ids.setdefault(pk, kwargs["row_number"] + 1)
        if first != kwargs["row_number"] + 1:
            raise ValidationError({"id": f"编号 {pk} 与第 {first} 行重复"})
        if not self.get_queryset().filter(pk=pk).exists():
            raise ValidationError({"id": f"编号 {pk} 的记录不存在或不在您的权限范围内；新增的记录请留空编号"})
        row[ID_COLUMN] = pk

    # Conditional unique constraints report themselves by their code name ("donor_unique_unit_name");
    # a resource that says the same in words turns them off here and checks in check_instance().
    validate_constraints = True

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        try:
            instance.full_clean(
                exclude=errors.keys(),
                validate_unique=validate_unique,
                validate_constraints=self.validate_constraints,
            )
        except ValidationError as e:
            # A cell that could not be read is reported once, not again by the model's clean()
            # complaining about the value the cell did not give it.
            for name, messages in e.update_error_dict({}).items():
                if name not in errors:
                    errors[name] = messages
        for name, message in self.check_instance(instance).items():
            errors.setdefault(name, [message])
        if errors:
            raise ValidationError(errors)

    def check_instance(self, instance):
        """{field name: Chinese message} of rules full_clean() does not say in words."""
        return {}

    def import_row(self, row, instance_loader, **kwargs):
        row_result = super().import_row(row, instance_loader, **kwargs)
        if row_result.validation_error is not None:
            row_result.validation_error = self._by_column(row_result.validation_error)
        return row_result

    def _by_column(self, error):
        """The row's errors keyed by the spreadsheet's column names instead of model fields."""
        names = {}
        for field in self.get_import_fields():
            if field.attribute:
                names.setdefault(field.attribute, field.column_name)
                names.setdefault(field.attribute.removesuffix("_id"), field.column_name)
        model = self._meta.model
        by_column = {}
        for key, messages in getattr(error, "message_dict", {NON_FIELD_ERRORS: error.messages}).items():
            if key == NON_FIELD_ERRORS:
                name = WHOLE_ROW
            elif key in names:
                name = names[key]
            else:
                try:
                    name = str(model._meta.get_field(key).verbose_name)
                except Exception:
                    name = key
            by_column.setdefault(name, []).extend(messages)
        return ValidationError(by_column)

    def after_import(self, dataset, result, **kwargs):
        super().after_import(dataset, result, **kwargs)
        if kwargs.get("dry_run") or result.has_errors() or result.has_validation_errors():
            return
        totals = result.totals
        audit.record(
            self.audit_action(),
            actor=kwargs.get("user"),
            data={
                "file_name": kwargs.get("file_name") or "",
                "rows": result.total_rows,
                "new_rows": totals["new"],
                "updated_rows": totals["update"],
                "unchanged_rows": totals["skip"],
            },
        )

    # Export ------------------------------------------------------------------------------------

    @classmethod
    def get_display_name(cls):
        return str(cls._meta.model._meta.verbose_name)

    def export(self, queryset=None, **kwargs):
        dataset = super().export(queryset, **kwargs)
        dataset.title = self.get_display_name()  # the workbook's sheet tab
        return dataset


def read_file(data, file_format=SafeXLSX):
    """A file's bytes as the Dataset the admin would import (for tests and the bench)."""
    if file_format is SafeCSV:
        return SafeCSV(encoding="utf-8-sig").create_dataset(data)
    return file_format().create_dataset(data)
