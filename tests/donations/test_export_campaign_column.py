"""The export's 活动 column: an export of several campaigns says which row is whose, and the
import refuses rows of a campaign other than the one chosen."""

import csv
import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from donations.importing import COLUMNS, ImportFailed, check_file, import_file
from donations.models import Donation, RemittanceLine
from tests import factories
from tests.donations.import_helpers import counts, csv_file, messages, person_row, unit_row, xlsx

pytestmark = pytest.mark.django_db

THIS_YEAR = "2023年慈善一日捐"
LAST_YEAR = "2022年慈善一日捐"
REFUSED = f"该行属于活动“{LAST_YEAR}”，不是本次导入的活动“{THIS_YEAR}”；请按活动筛选后分别导出、导入"


@pytest.fixture
def two_campaigns(campaign):
    """This year's campaign: a unit's remittance with one staff line; last year's: two gifts."""
    last_year = factories.campaign(name=LAST_YEAR, year=2022)
    unit = factories.unit("衡阳市教育局", sector_name="教育系统")
    remittance = factories.donation(
        unit, campaign, "300.00", received_on=datetime.date(2023, 9, 5), receipt_no="HY2023-0001"
    )
    RemittanceLine.objects.create(
        remittance=remittance, donor=factories.person("王小明", employer=unit), amount=Decimal("100.00")
    )
    factories.donation(
        unit, last_year, "200.00", received_on=datetime.date(2022, 9, 2), receipt_no="HY2022-7"
    )
    factories.donation(
        factories.person("张三"), last_year, "50.00", received_on=datetime.date(2022, 9, 1), note="去年"
    )
    return campaign, last_year


def export(client, admin_user, file_format, **filters):
    client.force_login(admin_user)
    response = client.get(reverse("admin:donations_donation_export", args=[file_format]), filters)
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def rows_of(data, file_format, sheet=0):
    """The header and data rows of a sheet, less its total row (the last)."""
    if file_format == "csv":
        return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))[:-1]
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[sheet]
    rows = [["" if value is None else value for value in row] for row in sheet.iter_rows(values_only=True)]
    assert rows[-1][0] == "合计"
    return rows[:-1]


@pytest.mark.parametrize("file_format", ["xlsx", "csv"])
def test_an_unfiltered_export_names_each_rows_campaign_in_the_last_column(
    client, admin_user, two_campaigns, file_format
):
    rows = rows_of(export(client, admin_user, file_format), file_format)

    assert rows[0] == [*COLUMNS, "活动"]
    # Newest first, as the admin lists them; the staff line on the sheet (or file) of lines.
    assert [(row[1], row[-1]) for row in rows[1:]] == [
        ("衡阳市教育局", THIS_YEAR),
        ("衡阳市教育局", LAST_YEAR),
        ("张三", LAST_YEAR),
    ]
    if file_format == "xlsx":
        lines = rows_of(export(client, admin_user, file_format), file_format, sheet=1)
    else:
        lines = rows_of(export(client, admin_user, "lines-csv"), "csv")
    assert [(row[1], row[-2], row[-1]) for row in lines[1:]] == [("王小明", "HY2023-0001", THIS_YEAR)]


@pytest.mark.parametrize("file_format", ["xlsx", "csv"])
def test_an_export_filtered_by_campaign_imports_back_into_it(client, admin_user, two_campaigns, file_format):
    _this_year, last_year = two_campaigns
    data = export(client, admin_user, file_format, campaign__id__exact=last_year.pk)
    assert {row[-1] for row in rows_of(data, file_format)[1:]} == {LAST_YEAR}
    before = sorted(Donation.objects.filter(campaign=last_year).values_list("donor__name", "amount", "note"))
    Donation.objects.filter(campaign=last_year).delete()

    batch = import_file(
        io.BytesIO(data), file_name=f"去年.{file_format}", campaign=last_year, user=admin_user
    )

    assert batch.donation_count == 2 and batch.total_amount == Decimal("250.00")
    after = sorted(Donation.objects.filter(campaign=last_year).values_list("donor__name", "amount", "note"))
    assert after == before


@pytest.mark.parametrize("file_format", ["xlsx", "csv"])
def test_an_unfiltered_export_imported_into_one_campaign_is_refused_naming_the_rows(
    client, admin_user, two_campaigns, file_format
):
    this_year, _last_year = two_campaigns
    data = export(client, admin_user, file_format)
    Donation.objects.all().delete()  # so that only the campaigns stand in the way, not the receipts
    before = counts()

    with pytest.raises(ImportFailed) as failure:
        # Dates outside the campaign allowed, the one box a clerk might tick to get it through.
        import_file(
            io.BytesIO(data),
            file_name=f"全部.{file_format}",
            campaign=this_year,
            user=admin_user,
            allow_outside_dates=True,
            outside_dates_reason="补录去年的数据",
        )

    # Rows 3 and 4 are last year's; row 2 (this year's remittance) and its line, on the
    # 汇款明细 sheet of the workbook, are fine.
    assert messages(failure.value.errors) == [
        f"第 3 行，“活动”列：{REFUSED}",
        f"第 4 行，“活动”列：{REFUSED}",
    ]
    assert counts() == before  # nothing written


def test_the_campaign_column_may_be_blank_or_name_the_chosen_campaign(campaign):
    header = [*COLUMNS, "活动"]
    rows = [
        unit_row("衡阳市教育局", 活动=THIS_YEAR),
        unit_row("衡阳市财政局", 活动=""),
        person_row("王小明", 活动=f"  {THIS_YEAR} "),  # spaces around it, as a hand-edited file may have
        person_row("李红", 活动="２０２３年慈善一日捐"),  # full-width digits fold like every other column
    ]
    for file in (xlsx(rows, header=header), csv_file(rows, header=header)):
        plan = check_file(file, campaign=campaign)
        assert plan.errors == [] and plan.donation_count == 4


def test_a_campaign_that_does_not_exist_is_refused_too(campaign):
    header = ["捐赠日期", "捐赠人", "捐赠人类型", "版块", "金额", "活动"]
    rows = [unit_row("衡阳市教育局"), unit_row("衡阳市财政局", 活动="2023年抗洪救灾")]
    plan = check_file(xlsx(rows, header=header), campaign=campaign)
    assert messages(plan.errors) == [
        f"第 3 行，“活动”列：该行属于活动“2023年抗洪救灾”，不是本次导入的活动“{THIS_YEAR}”；"
        "请按活动筛选后分别导出、导入"
    ]


def test_the_template_has_no_campaign_column_and_says_why(client, clerk):
    """The campaign is chosen when importing; a column to fill in would only invite typos."""
    client.force_login(clerk)
    workbook = openpyxl.load_workbook(
        io.BytesIO(client.get(reverse("admin:donations_donation_import_template")).content)
    )
    assert [cell.value for cell in workbook["捐赠"][1]] == list(COLUMNS)
    assert "活动" not in COLUMNS
    notes = [
        row[1] for row in workbook["填写说明"].iter_rows(values_only=True) if row and row[0] in ("", None)
    ]
    assert any("活动在导入时选择" in (note or "") for note in notes)
