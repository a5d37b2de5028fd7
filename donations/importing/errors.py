"""What an import says when something is wrong: one RowError per problem, all of them at once."""

from dataclasses import dataclass

from charity.errors import UserError


@dataclass(frozen=True)
class RowError:
    """One problem in a file.

    `row` is the spreadsheet row number as the user sees it (the header is row 1) and `column`
    the header name; both are None for a problem with the file as a whole.
    """

    row: int | None
    column: str | None
    message: str

    @property
    def shown_row(self):
        """The row as the error tables show it: 5, or 汇款明细 5 on the export's second sheet."""
        if isinstance(self.row, SheetRow):
            return f"{self.row.sheet} {int(self.row)}"
        return self.row

    def __str__(self):
        if self.row is None and self.column is None:
            return self.message
        if self.row is None:
            return f"“{self.column}”列：{self.message}"
        sheet = f"工作表“{self.row.sheet}”" if isinstance(self.row, SheetRow) else ""
        if self.column is None:
            return f"{sheet}第 {self.row} 行：{self.message}"
        return f"{sheet}第 {self.row} 行，“{self.column}”列：{self.message}"


class SheetRow(int):
    """A row number on a sheet other than the first (the export's 汇款明细): it sorts and
    counts as its number, and an error names the sheet as well."""

    def __new__(cls, number, sheet):
        row = super().__new__(cls, number)
        row.sheet = sheet
        return row

    def __reduce__(self):  # a pickled plan (pending imports) keeps the sheet
        return (SheetRow, (int(self), self.sheet))


class ImportFailed(Exception):
    """Raised by import_file when anything is wrong; nothing has been written."""

    def __init__(self, errors, file_name=""):
        self.errors = list(errors)
        self.file_name = file_name
        super().__init__(str(self))

    def __str__(self):
        return f"文件 {self.file_name}：共 {len(self.errors)} 处错误"


class FileRejected(UserError):
    """Internal: a file-level problem that makes reading further pointless."""


class CellError(ValueError):
    """Internal: raised by a cell parser with the Chinese message for that cell."""
