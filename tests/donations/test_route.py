"""到账方式: a gift given straight to a beneficiary counts in the money raised, never in the account."""

from decimal import Decimal

import openpyxl
import pytest

from campaigns.selectors import campaign_figures
from donations.exporting import write_template, write_xlsx
from donations.importing import check_file, import_file
from donations.models import Donation
from donations.services import finalize_batch
from tests import factories
from tests.donations.import_helpers import messages, person_row, unit_row, xlsx

pytestmark = pytest.mark.django_db


def test_a_direct_gift_changes_money_raised_not_money_into_the_account(campaign, admin_user, client):
    rows = [
        unit_row("衡阳市教育局", "1000"),
        unit_row("广东省湖南衡阳商会", "1488500", 到账方式="直接捐赠", 版块="民营企业"),
        person_row("王小明", "100", 到账方式="总会账户"),
    ]
    batch = import_file(xlsx(rows), file_name="捐赠.xlsx", campaign=campaign, user=admin_user)
    finalize_batch(batch, admin_user)
    gifts = Donation.objects.public().for_campaign(campaign)
    assert gifts.total() == Decimal("1489600.00")
    assert gifts.into_account().total() == Decimal("1100.00")
    assert gifts.direct().get().donor.name == "广东省湖南衡阳商会"
    figures = campaign_figures(campaign)
    assert (figures.total, figures.direct, figures.into_account) == (
        Decimal("1489600.00"),
        Decimal("1488500.00"),
        Decimal("1100.00"),
    )
    page = client.get(f"/campaigns/{campaign.pk}/").content.decode()
    assert '<p class="muted">募集总额</p>\n  <p class="big amount">148.96<small> 万元</small></p>' in page
    assert "其中直接捐赠（捐赠人直接交给受助人或灾区）148.85 万元" in page
    assert "进入总会账户 0.11 万元" in page


def test_blank_means_the_account_and_a_bad_value_is_named_with_row_and_column(campaign):
    plan = check_file(
        xlsx([person_row(到账方式=""), person_row("李四", 到账方式="转给灾区")]),
        file_name="捐赠.xlsx",
        campaign=campaign,
    )
    assert messages(plan.errors) == [
        "第 3 行，“到账方式”列：到账方式“转给灾区”无效，可选：总会账户、直接捐赠（留空为总会账户）"
    ]


def test_a_staff_line_may_repeat_its_remittances_route_but_not_contradict_it(campaign):
    rows = [
        unit_row("衡阳市教育局", "300", 票据号="R-1", 到账方式="直接捐赠"),
        person_row("张三", "100", 所在单位="衡阳市教育局", 汇款票据号="R-1", 到账方式="直接捐赠"),
        person_row("李四", "100", 所在单位="衡阳市教育局", 汇款票据号="R-1", 到账方式="总会账户"),
    ]
    plan = check_file(xlsx(rows), file_name="捐赠.xlsx", campaign=campaign)
    assert messages(plan.errors) == [
        "第 4 行，“到账方式”列：汇款明细行的到账方式“总会账户”与所属汇款“R-1”的到账方式“直接捐赠”不同；"
        "明细行以汇款为准，请留空或填写相同的到账方式"
    ]


def test_the_export_and_the_template_carry_the_column(campaign, tmp_path):
    factories.donation(factories.unit("衡阳市教育局"), campaign, "500.00", route=Donation.Route.DIRECT)
    path = tmp_path / "export.xlsx"
    with path.open("wb") as out:
        write_xlsx(Donation.objects.all(), out)
    sheet = openpyxl.load_workbook(path).worksheets[0]
    header = [cell.value for cell in sheet[1]]
    assert sheet.cell(row=2, column=header.index("到账方式") + 1).value == "直接捐赠"
    template = tmp_path / "template.xlsx"
    with template.open("wb") as out:
        write_template(out)
    book = openpyxl.load_workbook(template)
    assert "到账方式" in [cell.value for cell in book.worksheets[0][1]]
    rules = {row[0].value: row[1].value for row in book["填写说明"].iter_rows()}
    assert rules["到账方式"].startswith("总会账户 或 直接捐赠；留空为总会账户")


def test_a_direct_gift_is_not_money_a_project_can_spend(campaign):
    project = factories.project("慈善光明行", budget=Decimal("0.00"))
    factories.donation(campaign_=campaign, amount="800.00", project=project, status="confirmed")
    factories.donation(
        campaign_=campaign, amount="500.00", project=project, status="confirmed", route=Donation.Route.DIRECT
    )
    assert type(project).objects.with_money().get(pk=project.pk).directed == Decimal("800.00")
