import csv
import datetime
import io
import zipfile
from decimal import Decimal

import openpyxl
import pytest
import python_calamine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from charity.spreadsheets import escape_cell
from donations.exporting import EXPORT_COLUMNS
from donations.importing import COLUMNS, import_file
from donations.models import Donation, RemittanceLine
from tests import factories

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:donations_donation_changelist"


def export_url(file_format):
    return reverse("admin:donations_donation_export", args=[file_format])


def download(client, file_format, **params):
    response = client.get(export_url(file_format), params)
    assert response.status_code == 200, response
    return response, b"".join(response.streaming_content)


def read_xlsx(data, index=0):
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[index]
    return list(sheet.iter_rows(values_only=True)), sheet


def total_row(amount, note):
    return ["合计", *[""] * 6, amount, *[""] * 6, note, "", ""]


def read_csv(data):
    assert data.startswith(b"\xef\xbb\xbf")  # the BOM that makes Excel read UTF-8
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


CAMPAIGN = "2023年慈善一日捐"  # the campaign fixture's
EXPECTED_ROWS = [
    ["2023-09-03", "张三", "个人", "", "", "个人", "", "88.88", "", "微信", "总会账户", "", "慈善光明行"]
    + ["是", '\'=HYPERLINK("http://evil.example")', "", CAMPAIGN],
    ["2023-09-02", "尚未分配的单位", "单位", "", "", "未分配", "", "5000.00", "", "现金", "总会账户"]
    + ["HY2023-0002", "", "否", "", "", CAMPAIGN],
]


def test_csv_has_the_template_headers_one_row_per_donation_and_the_lines_in_a_file_of_their_own(
    client, admin_user, campaign_data
):
    client.force_login(admin_user)
    response, data = download(client, "csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"] and ".csv" in response["Content-Disposition"]
    rows = read_csv(data)
    assert rows[0] == [*COLUMNS, "活动"]
    assert rows[1:3] == EXPECTED_ROWS
    code = campaign_data["code"]
    assert rows[3:] == [
        [
            "2023-09-01",
            "衡阳市教育局",
            "单位",
            code,
            "",
            "市直工委慈善分会",
            "市直工委慈善分会第一支部",
            "1234.50",
        ]
        + ["3", "银行转账", "总会账户", "HY2023-0001", "", "否", "含 3 人明细", "", CAMPAIGN],
        total_row("6323.38", "捐赠 3 笔"),
    ]
    response, data = download(client, "lines-csv")
    assert "attachment" in response["Content-Disposition"] and ".csv" in response["Content-Disposition"]
    assert read_csv(data) == [
        [*COLUMNS, "活动"],
        ["2023-09-01", "王小明", "个人", "", "衡阳市教育局", "", "", "200.00", "", "", "", "", "", "否", ""]
        + ["HY2023-0001", CAMPAIGN],
        ["2023-09-01", "李红", "个人", "", "衡阳市教育局", "", "", "100.00", "", "", "", "", "", "是", ""]
        + ["HY2023-0001", CAMPAIGN],
        total_row("300.00", "明细 2 条"),
    ]


def test_xlsx_has_the_same_headers_and_cells(client, admin_user, campaign_data):
    client.force_login(admin_user)
    response, data = download(client, "xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows, sheet = read_xlsx(data)
    assert rows[0] == (*COLUMNS, "活动") == EXPORT_COLUMNS
    assert all(sheet.cell(row=1, column=i).font.b for i in range(1, len(EXPORT_COLUMNS) + 1))
    assert len(rows) == 1 + 3 + 1
    assert rows[4][0] == "合计" and rows[4][7] == 6323.38 and rows[4][14] == "捐赠 3 笔"
    first = rows[1]
    assert first[0] == datetime.datetime(2023, 9, 3)  # a real date, shown as ISO
    assert sheet["A2"].number_format == "yyyy-mm-dd"
    assert Decimal(str(first[7])) == Decimal("88.88")
    assert sheet["H2"].number_format == "0.00"
    assert first[1:7] == ("张三", "个人", None, None, "个人", None)
    assert first[9:] == (
        "微信",
        "总会账户",
        None,
        "慈善光明行",
        "是",
        '\'=HYPERLINK("http://evil.example")',
        None,
        CAMPAIGN,
    )
    assert rows[3][3] == campaign_data["code"]
    lines, lines_sheet = read_xlsx(data, 1)
    assert lines_sheet.title == "汇款明细" and lines[0] == EXPORT_COLUMNS
    assert lines[1] == (
        *(datetime.datetime(2023, 9, 1), "王小明", "个人", None, "衡阳市教育局", None, None, 200),
        *(None, None, None, None, None, "否", None, "HY2023-0001", CAMPAIGN),
    )  # a line: the person's own columns, pointing to its remittance
    assert lines_sheet["H2"].number_format == "0.00" and lines_sheet["A2"].number_format == "yyyy-mm-dd"
    assert lines[3][0] == "合计" and lines[3][7] == 300 and lines[3][14] == "明细 2 条"


@pytest.mark.parametrize("text", ["=1+1", "+86", "-2", "@SUM(A1)", "\tx", "\rx"])
def test_formula_leading_text_is_escaped(text):
    assert escape_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["衡阳市教育局", "", "a=b", None, 12, Decimal("-1.00")])
def test_other_values_are_left_alone(value):
    assert escape_cell(value) == value


def test_export_respects_filters_and_search(client, admin_user, campaign, campaign_data):
    other = factories.campaign(name="2022年慈善一日捐", year=2022)
    factories.donation(factories.unit("去年的单位"), other, "1.00", received_on=datetime.date(2022, 9, 1))
    client.force_login(admin_user)

    _, data = download(client, "csv", campaign__id__exact=campaign.pk, channel__exact="cash")
    assert [row[1] for row in read_csv(data)[1:-1]] == ["尚未分配的单位"]

    _, data = download(client, "xlsx", q="教育局")
    assert [row[1] for row in read_xlsx(data)[0][1:-1]] == ["衡阳市教育局"]
    assert [row[1] for row in read_xlsx(data, 1)[0][1:-1]] == ["王小明", "李红"]

    _, data = download(client, "csv")
    assert "去年的单位" in data.decode("utf-8-sig")


def test_changelist_export_links_carry_the_filters(client, admin_user, campaign):
    client.force_login(admin_user)
    body = client.get(reverse(CHANGELIST), {"campaign__id__exact": campaign.pk, "q": "局", "p": "1"})
    html = body.content.decode()
    assert f'{export_url("xlsx")}?campaign__id__exact={campaign.pk}&amp;q=%E5%B1%80"' in html
    assert "导出 CSV" in html and "导入捐赠" in html and "下载导入模板" in html


def _add_remittances(campaign, n, start):
    for i in range(start, start + n):
        unit = factories.unit(f"单位{i}", branch=factories.branch(f"分会{i}"))
        remittance = factories.donation(
            unit, campaign, "10.00", receipt_no=f"Q{i}", project=factories.project(f"项目{i}")
        )
        for j in range(2):
            person = factories.person(f"职工{i}-{j}", employer=unit)
            RemittanceLine.objects.create(remittance=remittance, donor=person, amount=Decimal("1.00"))


@pytest.mark.parametrize("file_format", ["xlsx", "csv"])
def test_export_query_count_does_not_grow_with_rows(
    client, admin_user, campaign, file_format, django_capture_on_commit_callbacks
):
    client.force_login(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        _add_remittances(campaign, 2, 0)
    download(client, file_format)  # the first request after a change updates the campaign's rollup
    with CaptureQueriesContext(connection) as few:
        download(client, file_format)
    with django_capture_on_commit_callbacks(execute=True):
        _add_remittances(campaign, 25, 2)
    download(client, file_format)
    with CaptureQueriesContext(connection) as many:
        _, data = download(client, file_format)
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]
    rows = read_csv(data) if file_format == "csv" else read_xlsx(data)[0]
    assert len(rows) == 1 + 27 + 1  # the header, the remittances, the total
    if file_format == "xlsx":
        assert len(read_xlsx(data, 1)[0]) == 1 + 27 * 2 + 1


def test_export_needs_view_permission(client, outsider, django_user_model, campaign_data):
    client.force_login(outsider)
    assert client.get(export_url("csv")).status_code == 302  # not staff: to the login page
    staff = django_user_model.objects.create_user("nobody", password="pw-nobody-1", is_staff=True)
    client.force_login(staff)
    assert client.get(export_url("csv")).status_code == 403


def test_lines_of_a_remittance_without_receipt_number_are_left_out_with_a_warning(
    client, admin_user, campaign
):
    remittance = factories.donation(campaign_=campaign, amount="10.00")  # no 票据号
    RemittanceLine.objects.create(
        remittance=remittance, donor=factories.person("赵六"), amount=Decimal("5.00")
    )
    client.force_login(admin_user)
    _, data = download(client, "csv")
    assert len(read_csv(data)) == 3  # the header, the remittance and the total
    _, data = download(client, "lines-csv")
    assert read_csv(data)[1:] == [total_row("0.00", "明细 0 条")]  # not the line
    page = client.get(reverse(CHANGELIST)).content.decode()
    assert "有 1 条汇款明细所属的汇款没有票据号，未能导出" in page


def test_unknown_format_is_not_found(client, admin_user):
    client.force_login(admin_user)
    assert client.get(export_url("pdf")).status_code == 404


def test_template_has_the_headers_and_the_rules(client, clerk):
    client.force_login(clerk)
    response = client.get(reverse("admin:donations_donation_import_template"))
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["捐赠", "填写说明"]
    rows = list(workbook["捐赠"].iter_rows(values_only=True))
    assert rows == [COLUMNS]
    rules = [row[0] for row in workbook["填写说明"].iter_rows(values_only=True)]
    assert set(COLUMNS) <= set(rules)
    assert "国资系统" in rules and "未分配" in rules


def _lines_of(campaign):
    return sorted(
        RemittanceLine.objects.filter(remittance__campaign=campaign).values_list(
            "donor__name", "donor__employer__name", "amount", "anonymous", "remittance__receipt_no"
        )
    )


def _totals(campaign):
    return [
        (row["sector__name"], row["total"], row["donations"])
        for row in Donation.objects.for_campaign(campaign).totals_by_sector()
    ]


DONATION_FIELDS = [
    "donor__name",
    "donor__kind",
    "donor__credit_code",
    "amount",
    "received_on",
    "sector__name",
    "branch__name",
    "channel",
    "head_count",
    "receipt_no",
    "project__name",
    "anonymous",
    "note",
]


def _donations_of(campaign):
    return sorted(Donation.objects.for_campaign(campaign).values_list(*DONATION_FIELDS), key=str)


def _round_trip(client, admin_user, campaign, file_format):
    """Export the campaign, delete its donations and lines, import the file back into it."""
    client.force_login(admin_user)
    _, data = download(client, file_format, campaign__id__exact=campaign.pk)
    if file_format == "csv":  # the lines are a second file, imported after their remittances
        _, lines = download(client, "lines-csv", campaign__id__exact=campaign.pk)
    RemittanceLine.objects.all().delete()
    Donation.objects.all().delete()
    assert not _donations_of(campaign)
    import_file(io.BytesIO(data), file_name=f"export.{file_format}", campaign=campaign, user=admin_user)
    if file_format == "csv":
        import_file(io.BytesIO(lines), file_name="lines.csv", campaign=campaign, user=admin_user)
    return campaign


@pytest.mark.parametrize("file_format", ["xlsx", "csv"])
def test_export_imports_back_unchanged(client, admin_user, campaign, campaign_data, file_format):
    Donation.objects.filter(note__startswith="=").update(note="定向捐")  # see the test below
    before = (_totals(campaign), _lines_of(campaign), _donations_of(campaign))

    again = _round_trip(client, admin_user, campaign, file_format)

    assert (_totals(again), _lines_of(again), _donations_of(again)) == before
    assert Donation.objects.for_campaign(again).total() == Decimal("6323.38")  # lines count in no total


@pytest.mark.parametrize("file_format", ["xlsx", "csv"])
def test_formula_escaped_cells_import_back_unchanged(
    client, admin_user, campaign, campaign_data, file_format
):
    before = _donations_of(campaign)
    again = _round_trip(client, admin_user, campaign, file_format)
    assert _donations_of(again) == before


# Text that would run as a formula, and text xlsxwriter would copy into the sheet's XML
# unescaped (it takes <r>…</r> for rich text of its own): here a formula cell in disguise.
HOSTILE_TEXTS = [
    "=1+1",
    "+86 0734",
    "-2",
    "@SUM(A1)",
    "\tx",
    "\rx",
    '<r></is></c><c r="Z9"><f>1+1</f><v>2</v></c><c r="Z10" t="inlineStr"><is><r></r>',
    "<r>x</r>",
]


@pytest.fixture
def hostile_notes(campaign):
    for number, text in enumerate(HOSTILE_TEXTS):
        factories.donation(factories.person(f"捐赠人{number}"), campaign, "1.00", note=text)


def test_xlsx_has_no_formula_and_every_hostile_text_as_text(client, admin_user, hostile_notes):
    client.force_login(admin_user)
    _, data = download(client, "xlsx")

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in sheet_xml and b"<f " not in sheet_xml
    assert b'<c r="Z9"' not in sheet_xml
    # Read as Excel and the import read it: openpyxl leaves the "\r" as xlsxwriter's _x000D_.
    rows = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()
    assert all(len(row) == len(EXPORT_COLUMNS) for row in rows)
    notes = {row[1]: row[14] for row in rows[1:]}
    assert [notes[f"捐赠人{number}"] for number in range(len(HOSTILE_TEXTS))] == [
        "'=1+1",
        "'+86 0734",
        "'-2",
        "'@SUM(A1)",
        "'\tx",
        "'\rx",
        HOSTILE_TEXTS[6],
        "<r>x</r>",
    ]


@pytest.mark.parametrize("file_format", ["xlsx", "csv"])
def test_hostile_texts_import_back_as_they_were(client, admin_user, campaign, hostile_notes, file_format):
    # The import strips the whitespace around every cell, so "\tx" and "\rx" come back as "x".
    Donation.objects.filter(note__in=["\tx", "\rx"]).update(note="x")
    before = _donations_of(campaign)
    assert _donations_of(_round_trip(client, admin_user, campaign, file_format)) == before
