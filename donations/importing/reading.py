"""Reading an uploaded file into a table of raw cells, refusing hostile files on the way.

Every check here runs before the expensive step it protects: the size before reading, the zip's
declared sizes and compression ratio before inflating anything, the sheet's row count before
python-calamine builds the grid. Each refusal is one Chinese sentence saying what was found and
what is allowed.
"""

import csv
import hashlib
import io
import os
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass
from functools import cached_property
from itertools import zip_longest
from pathlib import Path

import python_calamine
from django.conf import settings

from .columns import STAFF_SHEET
from .errors import FileRejected, SheetRow
from .parsing import cell_text, is_blank

ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, and also a password-protected .xlsx
# A real workbook's XML deflates 5-20 times; a zip bomb's run of zeros about 1,000 times.
MAX_COMPRESSION_RATIO = 100
RATIO_CHECK_FROM_BYTES = 1024 * 1024  # tiny members (styles, rels) may compress better than that
CHUNK = 1024 * 1024
MAX_LISTED = 10

_SHEET_ELEMENT = re.compile(rb"<(?:\w+:)?sheet\b[^>]*>")
_ATTRIBUTE = re.compile(rb'([\w:]+)="([^"]*)"')
_RELATIONSHIP = re.compile(rb"<(?:\w+:)?Relationship\b[^>]*>")
_CELL_REF = re.compile(rb'<(?:\w+:)?c\b[^>]*?\br="([A-Z]+\d+)"')
# A formula cell is <f>…</f> or <f t="shared" …/>, optionally namespaced (<x:f>). Each prefix is
# found with bytes.find and then checked: four finds over the bench file's 17.6 MB sheet took
# 0.06 s; a regular expression doing the same took 0.12 s.
_FORMULA_PREFIXES = (b"<f", b":f")
_FORMULA_ENDS = (b">", b" ", b"/")
_HIDDEN = b'hidden="'
_HIDDEN_VALUES = (b'1"', b'true"')
# A sheet may start with a title ("2023年慈善一日捐捐款名单", often merged and centred) and a
# line like "填报单位：…": rows with at most one filled cell, skipped up to this many.
MAX_TITLE_ROWS = 5


def no_other_sheets():
    return []


@dataclass
class Table:
    """The first sheet's non-blank rows, with the row numbers a person sees in Excel."""

    sheet_name: str
    header: list
    rows: list
    row_numbers: list
    header_number: int = 1  # the header's row in the sheet, after any title rows
    # () -> [(sheet name, header texts)] of the workbook's other visible sheets; read only when
    # the first sheet's header does not fit, to say which sheet does.
    other_sheets: object = no_other_sheets

    def without(self, indexes):
        """The same table less the data rows at `indexes` (positions in self.rows)."""
        drop = set(indexes)
        keep = [i for i in range(len(self.rows)) if i not in drop]
        return Table(
            self.sheet_name,
            self.header,
            [self.rows[i] for i in keep],
            [self.row_numbers[i] for i in keep],
            self.header_number,
            self.other_sheets,
        )

    @cached_property
    def columns(self):
        """The rows transposed in one C-level pass; short CSV rows are padded with None."""
        return list(zip_longest(*self.rows))


def max_bytes():
    return settings.IMPORT_MAX_BYTES


def max_rows():
    return settings.IMPORT_MAX_ROWS


def max_unzipped_bytes():
    # A 60,000-row sheet is about 8 MB zipped and 60 MB of XML; ten times the upload limit keeps
    # every honest workbook and refuses a bomb before it is inflated.
    return settings.IMPORT_MAX_UNZIPPED_BYTES


def megabytes(n):
    """Sizes as people say them: 30 MB, 1.5 MB, 800 KB."""
    if n >= 1024 * 1024:
        return f"{n / 1024 / 1024:.1f}".removesuffix(".0") + " MB"
    return f"{max(n, 1024) // 1024} KB"


def load_bytes(source):
    """The file's bytes, refusing anything over IMPORT_MAX_BYTES without reading all of it."""
    limit = max_bytes()
    over = f"超过上限 {megabytes(limit)}，请拆分成几个文件分别导入"
    if isinstance(source, str | Path):
        size = os.path.getsize(source)
        if size > limit:
            raise FileRejected(f"文件大小 {megabytes(size)}，{over}")
        return Path(source).read_bytes()
    size = getattr(source, "size", None)
    if size is not None and size > limit:
        raise FileRejected(f"文件大小 {megabytes(size)}，{over}")
    if hasattr(source, "seek"):
        source.seek(0)
    data = source.read(limit + 1)
    if len(data) > limit:
        raise FileRejected(f"文件大小{over}")
    return data


def sha256_of(data):
    return hashlib.sha256(data).hexdigest()


def read_table(data, file_name):
    """Dispatch on the file name's extension, after checking the content is what it claims."""
    suffix = Path(file_name).suffix.lower()
    if not data:
        raise FileRejected("文件是空的（0 字节）")
    kind = sniff(data)
    if suffix == ".xlsx":
        if kind != "zip":
            raise FileRejected(f"文件名是 .xlsx，但内容{describe(kind)}；请在 Excel 中另存为 .xlsx 后再导入")
        return read_xlsx(data)
    if suffix == ".csv":
        if kind != "text":
            raise FileRejected(f"文件名是 .csv，但内容{describe(kind)}；请上传 UTF-8 或 GBK 编码的 CSV 文件")
        return read_csv(data)
    if suffix == ".xls":
        if kind != "ole":
            raise FileRejected(f"文件名是 .xls，但内容{describe(kind)}；请在 Excel 中另存为 .xlsx 后再导入")
        return read_xls(data)
    raise FileRejected(f"不支持的文件类型“{suffix or '无扩展名'}”，请上传 .xlsx、.xls 或 .csv 文件")


def sniff(data):
    head = data[:4096]
    if head.startswith(ZIP_MAGIC):
        return "zip"
    if head.startswith(OLE_MAGIC):
        return "ole"
    if head.startswith(b"%PDF"):
        return "pdf"
    if b"\x00" in head:
        return "binary"
    return "text"


def describe(kind):
    return {
        "zip": "是 zip 压缩包（Excel 工作簿的格式）",
        "ole": "是旧版 Excel（.xls）或设置了密码的工作簿",
        "pdf": "是 PDF 文档，不是电子表格",
        "binary": "是二进制数据，不是电子表格",
        "text": "是纯文本，不是 Excel 工作簿",
    }[kind]


# --- xlsx -----------------------------------------------------------------------------------


def read_xlsx(data):
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise FileRejected("文件已损坏，无法作为 Excel 工作簿（.xlsx）打开") from None
    with archive:
        check_zip_sizes(archive)
        sheet_path, sheet_name, state = first_sheet(archive)
        if state in ("hidden", "veryHidden"):
            raise FileRejected(
                f"第一个工作表“{sheet_name}”是隐藏的；导入只读取第一个工作表，"
                "请取消隐藏，或把要导入的工作表移到最前面"
            )
        scan_sheet_xml(data, archive, sheet_path, sheet_name)
        staff = sheet_named(archive, STAFF_SHEET) if sheet_name != STAFF_SHEET else None
        if staff is not None:
            scan_sheet_xml(data, archive, staff, STAFF_SHEET)
        verify_members(data, archive, skip={sheet_path, staff})
    return read_first_sheet(data, sheet_name, staff_sheet=staff is not None)


def read_xls(data):
    """An Excel 97-2003 workbook, which python-calamine reads like an .xlsx.

    An .xls is not a zip, so the checks above do not apply; its size is bounded by the upload
    limit and the format's own 65,536 rows. Excel always stores a formula's value in it.
    """
    try:
        workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        first = workbook.sheets_metadata[0]
    except python_calamine.CalamineError:
        message = "文件无法作为旧版 Excel（.xls）打开；如设置了密码请取消，或另存为 .xlsx 后再导入"
        raise FileRejected(message) from None
    except IndexError:
        raise FileRejected("工作簿中没有工作表") from None
    if first.visible != python_calamine.SheetVisibleEnum.Visible:
        raise FileRejected(
            f"第一个工作表“{first.name}”是隐藏的；导入只读取第一个工作表，"
            "请取消隐藏，或把要导入的工作表移到最前面"
        )
    return read_first_sheet(data, first.name)


def read_first_sheet(data, sheet_name, staff_sheet=False):
    """The first sheet's table, followed by the rows of the 汇款明细 sheet when `staff_sheet`."""
    try:
        workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheet = workbook.get_sheet_by_index(0)
        merged = sheet.merged_cell_ranges or []
        grid = sheet.to_python(skip_empty_area=False)
    except python_calamine.CalamineError as exc:
        raise FileRejected(f"无法读取 Excel 工作簿：{exc}") from None
    if not grid:
        raise FileRejected(f"第一个工作表“{sheet_name}”是空的")
    table = table_from_grid(sheet_name, grid, other_sheets=lambda: other_sheet_headers(data))
    check_merged_cells(merged, table)
    if staff_sheet:
        table = with_staff_sheet(table, workbook)
    return table


def with_staff_sheet(table, workbook):
    """`table` with the data rows of the 汇款明细 sheet after its own (the export's second sheet).

    The sheet must have the first sheet's columns; each of its rows is a staff line, numbered
    as a row of that sheet (SheetRow), so an error says where to look.
    """
    try:
        sheet = workbook.get_sheet_by_name(STAFF_SHEET)
        merged = sheet.merged_cell_ranges or []
        grid = sheet.to_python(skip_empty_area=False)
    except python_calamine.CalamineError as exc:
        raise FileRejected(f"无法读取工作表“{STAFF_SHEET}”：{exc}") from None
    if not grid or not any(filled_cells(row) for row in grid[1:]):
        return table  # a header and nothing else: no lines
    header = [cell_text(cell).strip() for cell in grid[0]]
    if trimmed(header) != trimmed(table.header):
        raise FileRejected(
            f"工作表“{STAFF_SHEET}”的表头与第一个工作表“{table.sheet_name}”不同；"
            f"“{STAFF_SHEET}”是导出文件的员工明细，列须与第一个工作表相同"
        )
    if merged:
        start, end = merged[0]
        raise FileRejected(
            f"工作表“{STAFF_SHEET}”含有合并单元格（{cell_range(start, end)}）；请取消合并，每行每列只填一个值"
        )
    width = len(table.header)
    rows, numbers = list(table.rows), list(table.row_numbers)
    for index, row in enumerate(grid[1:], start=2):
        if filled_cells(row):
            rows.append(row + [""] * (width - len(row)) if len(row) < width else row)
            numbers.append(SheetRow(index, STAFF_SHEET))
    check_row_limit(len(rows))
    return Table(table.sheet_name, table.header, rows, numbers, table.header_number, table.other_sheets)


def trimmed(header):
    while header and not header[-1]:
        header = header[:-1]
    return header


def check_merged_cells(merged, table):
    """A merged title above the header is fine; below it one value would stand for several cells."""
    merged = [(start, end) for start, end in merged if end[0] + 1 >= table.header_number]
    if merged:
        ranges = "、".join(cell_range(start, end) for start, end in merged[:MAX_LISTED])
        more = "等" if len(merged) > MAX_LISTED else ""
        raise FileRejected(
            f"工作表“{table.sheet_name}”含有合并单元格（{ranges}{more}）；请取消合并，每行每列只填一个值"
        )


def other_sheet_headers(data):
    """[(name, header texts)] of the visible sheets after the first, from their first rows only."""
    workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    found = []
    for index, meta in enumerate(workbook.sheets_metadata):
        if index == 0 or meta.visible != python_calamine.SheetVisibleEnum.Visible:
            continue
        try:
            sheet = workbook.get_sheet_by_index(index)
            grid = sheet.to_python(skip_empty_area=False, nrows=MAX_TITLE_ROWS + 1)
        except python_calamine.CalamineError:
            continue
        if grid:
            found.append((meta.name, [cell_text(cell) for cell in grid[header_index(grid)]]))
    return found


def check_zip_sizes(archive):
    infos = archive.infolist()
    if any(info.flag_bits & 0x1 for info in infos):
        raise FileRejected("工作簿设置了密码（已加密），请取消密码后再导入")
    total = sum(info.file_size for info in infos)
    if total > max_unzipped_bytes():
        raise FileRejected(
            f"工作簿解压后有 {megabytes(total)}，超过上限 {megabytes(max_unzipped_bytes())}；"
            "文件可能是恶意构造的“压缩炸弹”，或数据过多，请拆分后导入"
        )
    for info in infos:
        if info.file_size > RATIO_CHECK_FROM_BYTES:
            ratio = info.file_size / max(info.compress_size, 1)
            if ratio > MAX_COMPRESSION_RATIO:
                raise FileRejected(
                    f"工作簿中的 {info.filename} 压缩比异常（{ratio:.0f}:1，正常不超过 "
                    f"{MAX_COMPRESSION_RATIO}:1）；文件可能是恶意构造的“压缩炸弹”，已拒绝"
                )


def read_member(archive, name):
    """A small XML part, read whole; its declared size has passed check_zip_sizes."""
    try:
        return archive.read(name)
    except KeyError:
        raise FileRejected(f"zip 文件不是有效的 Excel 工作簿（缺少 {name}）") from None
    except (zipfile.BadZipFile, OSError, EOFError):
        raise FileRejected(f"文件已损坏（{name} 无法解压）") from None


def sheet_named(archive, name):
    """The path of the sheet called `name`, or None; a hidden one is refused, as its rows would
    be imported without anyone seeing them."""
    workbook = read_member(archive, "xl/workbook.xml")
    for element in _SHEET_ELEMENT.findall(workbook):
        attrs = dict(_ATTRIBUTE.findall(element))
        if attrs.get(b"name", b"").decode("utf-8", "replace") != name:
            continue
        if attrs.get(b"state", b"visible") != b"visible":
            raise FileRejected(
                f"工作表“{name}”是隐藏的；它的每一行都会作为员工明细导入，请取消隐藏并检查后再导入"
            )
        return sheet_target(archive, next((v for k, v in attrs.items() if k.endswith(b":id")), None))
    return None


def sheet_target(archive, rel_id):
    rels = read_member(archive, "xl/_rels/workbook.xml.rels")
    for element in _RELATIONSHIP.findall(rels):
        rel = dict(_ATTRIBUTE.findall(element))
        if rel.get(b"Id") == rel_id:
            target = rel.get(b"Target", b"").decode()
            return target.lstrip("/") if target.startswith("/") else "xl/" + target
    return None


def first_sheet(archive):
    """(path of the first sheet's XML, its name, its state) from workbook.xml and its rels."""
    workbook = read_member(archive, "xl/workbook.xml")
    match = _SHEET_ELEMENT.search(workbook)
    if not match:
        raise FileRejected("工作簿中没有工作表")
    attrs = dict(_ATTRIBUTE.findall(match.group(0)))
    name = attrs.get(b"name", b"").decode("utf-8", "replace")
    state = attrs.get(b"state", b"visible").decode()
    path = sheet_target(archive, next((v for k, v in attrs.items() if k.endswith(b":id")), None))
    if path is None:
        raise FileRejected("工作簿结构不完整：找不到第一个工作表的数据")
    return path, name, state


def scan_sheet_xml(data, archive, path, sheet_name):
    """Stream the first sheet's XML once: count rows, find formulas and hidden rows or columns.

    python-calamine returns a formula's cached value, which is missing when the file was made by a
    program rather than Excel, so a formula is refused rather than read as an empty cell.
    """
    try:
        info = archive.getinfo(path)
    except KeyError:
        raise FileRejected(f"zip 文件不是有效的 Excel 工作簿（缺少 {path}）") from None
    rows = 0
    tail = b""
    for chunk in inflate(data, info):
        window = tail + chunk
        rows += window.count(b"<row") - tail.count(b"<row")
        at = first_tag(window, _FORMULA_PREFIXES, _FORMULA_ENDS)
        if at >= 0:
            cells = _CELL_REF.findall(window, 0, at)
            where = f"（如 {cells[-1].decode()} 单元格）" if cells else ""
            raise FileRejected(f"工作表“{sheet_name}”含有公式{where}；请复制后“选择性粘贴为数值”，再导入")
        if first_tag(window, (_HIDDEN,), _HIDDEN_VALUES) >= 0:
            raise FileRejected(
                f"工作表“{sheet_name}”有隐藏的行或列；隐藏的内容也会被导入，请取消隐藏并检查后再导入"
            )
        tail = window[-64:]
    check_row_limit(rows - 1)


def first_tag(window, prefixes, ends):
    """Where the first of `prefixes` directly followed by one of `ends` starts, or -1."""
    found = -1
    for prefix in prefixes:
        at = window.find(prefix)
        while at >= 0:
            rest = at + len(prefix)
            if any(window.startswith(end, rest) for end in ends):
                found = at if found < 0 else min(found, at)
                break
            at = window.find(prefix, rest)
    return found


def verify_members(data, archive, skip):
    """Inflate every other part: python-calamine will read them, so they must be what they claim.

    `skip`: the sheets scan_sheet_xml has inflated and checked already."""
    for info in archive.infolist():
        if info.filename not in skip and not info.is_dir():
            for _chunk in inflate(data, info):
                pass


def inflate(data, info):
    """Yield a member's bytes, never more than its declared size, checking its CRC at the end.

    The zip's local header is read here rather than trusted to a library: a member whose data
    inflates past the size its header declares is a bomb built to pass the size check above.
    """
    damaged = f"文件已损坏或被篡改（{info.filename} 的实际内容与声明不符）"
    start = info.header_offset
    if data[start : start + 4] != b"PK\x03\x04":
        raise FileRejected(damaged)
    name_length, extra_length = struct.unpack("<HH", data[start + 26 : start + 30])
    offset = start + 30 + name_length + extra_length
    compressed = memoryview(data)[offset : offset + info.compress_size]
    if info.compress_type == zipfile.ZIP_STORED:
        decompressor = None
    elif info.compress_type == zipfile.ZIP_DEFLATED:
        decompressor = zlib.decompressobj(-zlib.MAX_WBITS)
    else:
        raise FileRejected(f"工作簿使用了不支持的压缩方式（{info.filename}），请在 Excel 中重新保存后再导入")
    produced, crc = 0, 0
    for at in range(0, len(compressed), CHUNK // 8):
        piece = compressed[at : at + CHUNK // 8]
        pending = bytes(piece)
        while pending:
            if decompressor is None:
                out, pending = pending, b""
            else:
                # max_length bounds each step, so a bomb never inflates more than one chunk at once.
                out = decompressor.decompress(pending, CHUNK)
                pending = decompressor.unconsumed_tail
            produced += len(out)
            if produced > info.file_size:
                raise FileRejected(damaged)
            crc = zlib.crc32(out, crc)
            if out:
                yield out
            if decompressor is not None and not out and not pending:
                break
    if decompressor is not None:
        while out := decompressor.flush(CHUNK):
            produced += len(out)
            if produced > info.file_size:
                raise FileRejected(damaged)
            crc = zlib.crc32(out, crc)
            yield out
    if produced != info.file_size or crc != info.CRC:
        raise FileRejected(damaged)


def check_row_limit(data_rows):
    if data_rows > max_rows():
        raise FileRejected(f"文件有 {data_rows} 行数据，超过上限 {max_rows()} 行；请拆分成几个文件分别导入")


def column_letter(index):
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def cell_range(start, end):
    return f"{column_letter(start[1])}{start[0] + 1}:{column_letter(end[1])}{end[0] + 1}"


# --- csv ------------------------------------------------------------------------------------


def decode_text(data):
    """UTF-8 (with or without the BOM Excel writes) or GBK (what Chinese Excel saves by default)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        # GB18030 is the superset of GBK; a file that is neither fails here.
        return data.decode("gb18030")
    except UnicodeDecodeError:
        raise FileRejected("无法识别 CSV 文件的编码；请另存为 UTF-8 或 GBK 编码的 CSV") from None


def read_csv(data):
    text = decode_text(data)
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    try:
        grid = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise FileRejected(f"CSV 文件格式错误：{exc}") from None
    if not grid or not any(cell.strip() for row in grid for cell in row):
        raise FileRejected("CSV 文件没有内容")
    width = max(len(row) for row in grid)
    grid = [row + [""] * (width - len(row)) if len(row) < width else row for row in grid]
    return table_from_grid("CSV", grid)


# --- both -----------------------------------------------------------------------------------


def filled_cells(row):
    return sum(1 for cell in row if not is_blank(cell))


def header_index(grid):
    """The header's index: the first row with two or more filled cells, after title rows.

    When none of the first rows has two, the first row is taken as the header, and the checks
    of the header say what is wrong with it.
    """
    for index, row in enumerate(grid[: MAX_TITLE_ROWS + 1]):
        if filled_cells(row) >= 2:
            return index
    return 0


def table_from_grid(sheet_name, grid, other_sheets=no_other_sheets):
    start = header_index(grid)
    header = [cell_text(cell).strip() for cell in grid[start]]
    rows, numbers = [], []
    for index in range(start + 1, len(grid)):
        row = grid[index]
        for cell in row:
            if cell != "" and cell is not None and not (isinstance(cell, str) and cell.isspace()):
                rows.append(row)
                numbers.append(index + 1)
                break
    if not any(header):
        raise FileRejected(f"工作表“{sheet_name}”的第 1 行应为表头（列名），实际为空行")
    check_row_limit(len(rows))
    if not rows:
        raise FileRejected(f"工作表“{sheet_name}”只有表头，没有数据行")
    return Table(sheet_name, header, rows, numbers, header_number=start + 1, other_sheets=other_sheets)
