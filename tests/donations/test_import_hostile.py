"""The hostile-file corpus: every file is refused with a clear message and nothing is written."""

from pathlib import Path

import pytest

from donations.importing import ImportFailed, check_file, import_file
from tests.donations.import_helpers import counts, person_row, unit_row, xlsx

pytestmark = pytest.mark.django_db

CORPUS = Path(__file__).resolve().parent / "import_corpus"

CASES = [
    ("not_a_spreadsheet.xlsx", "文件名是 .xlsx，但内容是 PDF 文档，不是电子表格"),
    ("legacy_xls_renamed.xlsx", "文件名是 .xlsx，但内容是旧版 Excel（.xls）或设置了密码的工作簿"),
    ("zip_not_workbook.xlsx", "zip 文件不是有效的 Excel 工作簿（缺少 xl/workbook.xml）"),
    ("empty_sheet.xlsx", "第一个工作表“空表”是空的"),
    ("only_headers.xlsx", "工作表“捐赠”只有表头，没有数据行"),
    ("merged_cells.xlsx", "工作表“捐赠”含有合并单元格（D2:D3）；请取消合并"),
    ("formulas.xlsx", "工作表“捐赠”含有公式（如 E3 单元格）；请复制后“选择性粘贴为数值”"),
    ("hidden_first_sheet.xlsx", "第一个工作表“捐赠”是隐藏的"),
    ("hidden_rows.xlsx", "工作表“捐赠”有隐藏的行或列"),
    ("zip_bomb.xlsx", "压缩比异常"),
    ("zip_bomb_lying_sizes.xlsx", "文件已损坏或被篡改（xl/worksheets/sheet1.xml 的实际内容与声明不符）"),
    ("workbook_named_csv.csv", "文件名是 .csv，但内容是 zip 压缩包（Excel 工作簿的格式）"),
    ("gbk_garbage.csv", "无法识别 CSV 文件的编码；请另存为 UTF-8 或 GBK 编码的 CSV"),
]


def refused(source, file_name, campaign):
    """Run both entry points; return the one file-level message after checking nothing was written."""
    before = counts()
    plan = check_file(source, file_name=file_name, campaign=campaign)
    assert not plan.ok
    with pytest.raises(ImportFailed) as failure:
        import_file(source, file_name=file_name, campaign=campaign)
    assert counts() == before
    assert [str(e) for e in failure.value.errors] == [str(e) for e in plan.errors]
    assert len(plan.errors) == 1 and plan.errors[0].row is None
    return plan.errors[0].message


@pytest.mark.parametrize(("file_name", "expected"), CASES)
def test_corpus_file_is_refused_with_a_clear_message(campaign, file_name, expected):
    assert expected in refused(CORPUS / file_name, file_name, campaign)


def test_corpus_files_are_small_on_disk():
    assert all(path.stat().st_size < 100_000 for path in CORPUS.iterdir())


def test_uploaded_file_object_is_read_like_a_path(campaign):
    with open(CORPUS / "formulas.xlsx", "rb") as upload:
        assert "含有公式" in refused(upload, "formulas.xlsx", campaign)


def test_empty_file(campaign, tmp_path):
    path = tmp_path / "空.xlsx"
    path.write_bytes(b"")
    assert refused(path, path.name, campaign) == "文件是空的（0 字节）"


def test_unsupported_extension_names_the_accepted_ones(campaign, tmp_path):
    path = tmp_path / "捐赠.pdf"
    path.write_bytes(b"%PDF-1.4")
    assert refused(path, path.name, campaign) == "不支持的文件类型“.pdf”，请上传 .xlsx、.xls 或 .csv 文件"


def test_old_xls_extension_asks_to_save_as_xlsx(campaign, tmp_path):
    path = tmp_path / "捐赠.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100))
    assert "另存为 .xlsx" in refused(path, path.name, campaign)


def test_file_over_the_size_limit_states_the_limit(campaign, settings, tmp_path):
    settings.IMPORT_MAX_BYTES = 1024
    upload = xlsx([unit_row()])
    assert refused(upload, "大文件.xlsx", campaign) == "文件大小超过上限 1 KB，请拆分成几个文件分别导入"
    path = tmp_path / "大文件.xlsx"
    path.write_bytes(b"x" * 3 * 1024 * 1024)
    settings.IMPORT_MAX_BYTES = 2 * 1024 * 1024
    assert refused(path, path.name, campaign) == "文件大小 3 MB，超过上限 2 MB，请拆分成几个文件分别导入"


def test_rows_over_the_row_limit_state_the_limit(campaign, settings):
    settings.IMPORT_MAX_ROWS = 3
    rows = [person_row(f"捐赠人{n}") for n in range(4)]
    message = refused(xlsx(rows), "多行.xlsx", campaign)
    assert message == "文件有 4 行数据，超过上限 3 行；请拆分成几个文件分别导入"


def test_csv_rows_over_the_row_limit(campaign, settings):
    from tests.donations.import_helpers import csv_file

    settings.IMPORT_MAX_ROWS = 2
    rows = [person_row(f"捐赠人{n}") for n in range(3)]
    assert (
        refused(csv_file(rows), "多行.csv", campaign)
        == "文件有 3 行数据，超过上限 2 行；请拆分成几个文件分别导入"
    )


def test_unzipped_size_over_the_limit(campaign, settings):
    settings.IMPORT_MAX_UNZIPPED_BYTES = 2000
    message = refused(xlsx([unit_row()]), "捐赠.xlsx", campaign)
    assert "超过上限" in message and "压缩炸弹" in message


def test_xlsx_named_file_with_csv_content(campaign, tmp_path):
    path = tmp_path / "捐赠.xlsx"
    path.write_text("捐赠日期,捐赠人\n2023-09-01,王小明\n", encoding="utf-8")
    assert "文件名是 .xlsx，但内容是纯文本，不是 Excel 工作簿" in refused(path, path.name, campaign)


def test_header_row_missing(campaign):
    source = xlsx([], header=[])
    import openpyxl

    book = openpyxl.load_workbook(source)
    book.active["A3"] = "孤零零的数据"
    source.seek(0)
    source.truncate()
    book.save(source)
    assert refused(source, "捐赠.xlsx", campaign) == "工作表“捐赠”的第 1 行应为表头（列名），实际为空行"


@pytest.mark.parametrize(
    "xml, is_formula",
    [
        (b'<c r="E3"><f>SUM(A1:A2)</f><v>3</v></c>', True),
        (b'<c r="E3"><f t="shared" ref="E3:E9" si="0"/></c>', True),
        (b'<c r="E3"><x:f>1+1</x:f></c>', True),
        (b'<dataValidation><formula1>"\xe5\x8d\x95\xe4\xbd\x8d"</formula1></dataValidation>', False),
        (b'<c r="A1" t="inlineStr"><is><t>proof of funds</t></is></c>', False),
    ],
)
def test_formula_tags_are_told_apart_from_other_markup(xml, is_formula):
    from donations.importing.reading import _FORMULA_ENDS, _FORMULA_PREFIXES, first_tag

    assert (first_tag(xml, _FORMULA_PREFIXES, _FORMULA_ENDS) >= 0) is is_formula
