"""Regenerate the hostile-file corpus: `.venv/bin/python tests/donations/import_corpus/make_corpus.py`.

Each file is small on disk and breaks the importer in one way a real upload could. The tests in
tests/donations/test_import_hostile.py expect each one to be refused with a clear Chinese message
and nothing written. The files are committed; this script documents how they were made.
"""

import io
import struct
import zipfile
import zlib
from pathlib import Path

import openpyxl

HERE = Path(__file__).resolve().parent
HEADER = ["捐赠日期", "捐赠人", "捐赠人类型", "版块", "金额"]
ROW = ["2023-09-01", "衡阳市教育局", "单位", "教育系统", 1000]


def workbook(rows=(ROW,), header=HEADER):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "捐赠"
    if header:
        sheet.append(header)
    for row in rows:
        sheet.append(list(row))
    return book, sheet


def save(book, name):
    book.save(HERE / name)


MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"


def minimal_workbook_parts(sheet_xml):
    """The four parts a reader needs, with the sheet XML supplied by the caller."""
    return {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="xml" ContentType="application/xml"/></Types>'
        ),
        "xl/workbook.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{RELS}">'
            '<sheets><sheet name="捐赠" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PACKAGE_RELS}">'
            f'<Relationship Id="rId1" Type="{RELS}/worksheet" '
            'Target="worksheets/sheet1.xml"/></Relationships>'
        ),
        "xl/worksheets/sheet1.xml": sheet_xml,
    }


def main():
    (HERE / "not_a_spreadsheet.xlsx").write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n")
    (HERE / "legacy_xls_renamed.xlsx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    with zipfile.ZipFile(HERE / "zip_not_workbook.xlsx", "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("readme.txt", "这是一个普通的 zip 压缩包")

    book = openpyxl.Workbook()
    book.active.title = "空表"
    save(book, "empty_sheet.xlsx")

    save(workbook(rows=())[0], "only_headers.xlsx")
    (HERE / "workbook_named_csv.csv").write_bytes((HERE / "only_headers.xlsx").read_bytes())

    book, sheet = workbook(rows=[ROW, ["2023-09-02", "衡阳市卫健委", "单位", "卫健系统", 500]])
    sheet.merge_cells("D2:D3")
    save(book, "merged_cells.xlsx")

    book, sheet = workbook(rows=[ROW, ["2023-09-02", "衡阳市卫健委", "单位", "卫健系统", "=E2*2"]])
    save(book, "formulas.xlsx")

    book, sheet = workbook()
    sheet.sheet_state = "hidden"
    visible = book.create_sheet("看得见的表")
    visible.append(HEADER)
    visible.append(ROW)
    book.active = 1
    save(book, "hidden_first_sheet.xlsx")

    book, sheet = workbook(rows=[ROW, ["2023-09-02", "衡阳市卫健委", "单位", "卫健系统", 500]])
    sheet.row_dimensions[3].hidden = True
    save(book, "hidden_rows.xlsx")

    # 50 MB of one repeated byte deflates about 1,000 times: the ratio check refuses it unread.
    bomb = b"<row>" + b" " * (50 * 1024 * 1024) + b"</row>"
    parts = minimal_workbook_parts("")
    with zipfile.ZipFile(HERE / "zip_bomb.xlsx", "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, text in parts.items():
            if name != "xl/worksheets/sheet1.xml":
                archive.writestr(name, text)
        archive.writestr("xl/worksheets/sheet1.xml", bomb)

    write_lying_bomb(HERE / "zip_bomb_lying_sizes.xlsx")

    (HERE / "gbk_garbage.csv").write_bytes(b"\xff\xfe\xfd\xfc\x80\x81,\xff\n")


def write_lying_bomb(path):
    """A member whose headers declare 1 KB (ratio and size checks pass) but inflates to 20 MB."""
    real = b" " * (20 * 1024 * 1024)
    declared = real[:1024]
    parts = minimal_workbook_parts("")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            if name != "xl/worksheets/sheet1.xml":
                archive.writestr(name, text)
        archive.writestr("xl/worksheets/sheet1.xml", real)
    data = bytearray(buffer.getvalue())
    name = b"xl/worksheets/sheet1.xml"
    crc = zlib.crc32(declared)
    # Local file header: CRC at +14, uncompressed size at +22.
    local = data.index(name) - 30  # the name follows the 30-byte local header
    struct.pack_into("<I", data, local + 14, crc)
    struct.pack_into("<I", data, local + 22, len(declared))
    # Central directory entry: CRC at +16, uncompressed size at +24, name at +46.
    central = data.rindex(name) - 46  # and the 46-byte central directory entry
    struct.pack_into("<I", data, central + 16, crc)
    struct.pack_into("<I", data, central + 24, len(declared))
    path.write_bytes(bytes(data))


if __name__ == "__main__":
    main()
