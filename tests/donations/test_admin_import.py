import hashlib
import io
from decimal import Decimal

import openpyxl
import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from donations.importing import COLUMNS
from donations.models import Donation, Donor, ImportBatch, RemittanceLine
from tests import factories

pytestmark = pytest.mark.django_db

IMPORT_URL = reverse("admin:donations_donation_import")


def row(date="2023-09-01", name="", kind="单位", sector="", amount="", employer="", receipt="", of=""):
    values = dict.fromkeys(COLUMNS, "")
    values.update(
        {"捐赠日期": date, "捐赠人": name, "捐赠人类型": kind, "所在单位": employer, "版块": sector}
        | {"金额": amount, "票据号": receipt, "汇款票据号": of}
    )
    return [values[column] for column in COLUMNS]


GOOD_ROWS = [
    row(name="衡阳市教育局", sector="教育系统", amount="350.00", receipt="R-1"),  # 50.00 not itemised
    row(name="王小明", kind="个人", employer="衡阳市教育局", amount="200.00", of="R-1"),
    row(name="李红", kind="个人", employer="衡阳市教育局", amount="100.00", of="R-1"),
    row(name="已有单位", sector="国资系统", amount="50.00"),
]


def xlsx(rows, name="2023一日捐.xlsx"):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(list(COLUMNS))
    for values in rows:
        sheet.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def upload(client, campaign, file, **options):
    return client.post(IMPORT_URL, {"campaign": campaign.pk, "file": file, **options})


def preview_url(response):
    assert response.status_code == 302, response.content.decode()[:3000]
    return response["Location"]


def confirm_url(preview):
    return preview.rstrip("/") + "/confirm/"


@pytest.fixture(autouse=True)
def upload_folder(tmp_path, settings):
    """Where uploads wait between preview and confirm (donations.pending_imports)."""
    settings.IMPORT_PENDING_DIR = tmp_path
    return tmp_path


@pytest.fixture
def existing_unit(db):
    return factories.unit("已有单位")


def test_upload_preview_confirm_creates_the_batch(client, clerk, campaign, existing_unit, upload_folder):
    client.force_login(clerk)
    file = xlsx(GOOD_ROWS)
    content = file.read()
    file.seek(0)

    preview = preview_url(upload(client, campaign, file))
    response = client.get(preview)
    plan = response.context["plan"]
    assert (plan["row_count"], plan["donation_count"], plan["line_count"]) == (4, 2, 2)
    assert (plan["new_donor_count"], plan["matched_donor_count"]) == (3, 1)
    assert plan["errors"] == []
    body = response.content.decode()
    assert "400.00 元" in body and "确认导入" in body
    assert plan["remainders"] == [["R-1", "350.00", "300.00", "50.00"]]
    assert "明细合计与汇款金额不一致的汇款（1 笔）" in body
    assert not Donation.objects.exists()  # the preview writes nothing

    # The import runs as a background job (here at once: tests/conftest.py); the confirmation
    # leads to its page, which links to the batch and its donations.
    response = client.post(confirm_url(preview))
    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:charity_backgroundjob_changelist"))
    assert (batch.file_name, batch.sha256, batch.created_by) == (
        "2023一日捐.xlsx",
        hashlib.sha256(content).hexdigest(),
        clerk,
    )
    assert (batch.row_count, batch.total_amount, batch.status) == (
        4,
        Decimal("400.00"),
        ImportBatch.Status.IMPORTED,
    )
    assert set(Donation.objects.values_list("batch", flat=True)) == {batch.pk}
    assert set(RemittanceLine.objects.values_list("batch", flat=True)) == {batch.pk}
    assert Donation.objects.total() == Decimal("400.00")
    page = client.get(response["Location"]).content.decode()
    assert "完成" in page and "捐赠 2 笔，明细 2 条，合计 400.00 元" in page
    assert reverse("admin:donations_importbatch_change", args=[batch.pk]) in page
    assert f"?batch__id__exact={batch.pk}" in page
    # The preview is gone once used, and so are the kept file and check result.
    assert client.get(preview).status_code == 302
    assert list(upload_folder.iterdir()) == []


def test_bad_file_lists_errors_with_row_and_column_and_writes_nothing(client, clerk, campaign):
    client.force_login(clerk)
    rows = [
        row(name="衡阳市教育局", sector="教育系统", amount="三百"),
        row(name="某人", kind="法人", amount="1.00"),
    ]
    response = client.get(preview_url(upload(client, campaign, xlsx(rows))))
    errors = list(response.context["errors"])
    assert [(r, c) for r, c, _ in errors if c in ("金额", "捐赠人类型")] == [(2, "金额"), (3, "捐赠人类型")]
    body = response.content.decode()
    assert "无法识别的金额“三百”" in body
    assert "确认导入" not in body
    assert not ImportBatch.objects.exists() and not Donation.objects.exists() and not Donor.objects.exists()


def test_a_refused_preview_shows_only_the_errors_and_what_to_do(client, clerk, campaign):
    """Counts and a total that leave out the bad rows would read as what the file holds."""
    client.force_login(clerk)
    rows = [row(name=f"单位{n}", sector="教育系统", amount="100") for n in range(3)]
    rows.append(row(name="坏单位", sector="教育系统", amount="三百"))
    body = client.get(preview_url(upload(client, campaign, xlsx(rows)))).content.decode()
    assert "这份文件不能导入，没有写入任何数据。请按下面列出的每一处问题修改文件" in body
    assert "无法识别的金额“三百”" in body
    for hidden in ("新增捐赠", "合计金额", "300.00", "import-counts", "确认导入"):
        assert hidden not in body


def test_staff_of_a_unit_in_the_file_need_the_separate_gifts_checkbox(client, clerk, campaign):
    client.force_login(clerk)
    rows = [
        row(name="衡阳市教育局", sector="教育系统", amount="300.00"),
        row(name="王小明", kind="个人", employer="衡阳市教育局", amount="200.00"),
    ]
    content = xlsx(rows).read()
    refused = client.get(preview_url(upload(client, campaign, SimpleUploadedFile("a.xlsx", content))))
    [(number, column, message)] = refused.context["plan"]["errors"]
    assert (number, column) == (3, "汇款票据号")
    assert message.endswith("若确是员工另行捐赠，请勾选“员工另行捐赠”")
    allowed = client.get(
        preview_url(
            upload(client, campaign, SimpleUploadedFile("a.xlsx", content), separate_staff_gifts="on")
        )
    )
    assert allowed.context["plan"]["errors"] == [] and allowed.context["plan"]["total_amount"] == "500.00"
    assert "员工另行捐赠；" in allowed.content.decode()
    client.post(confirm_url(allowed.request["PATH_INFO"]))
    assert Donation.objects.total() == Decimal("500.00")


def test_errors_are_paged_a_hundred_at_a_time(client, clerk, campaign):
    client.force_login(clerk)
    rows = [row(name=f"单位{i}", sector="教育系统", amount="错") for i in range(250)]
    preview = preview_url(upload(client, campaign, xlsx(rows)))

    first = client.get(preview)
    assert first.context["errors"].paginator.count == 250
    assert [error[0] for error in first.context["errors"]] == list(range(2, 102))
    assert "?page=2" in first.content.decode()
    last = client.get(preview, {"page": 3})
    assert [error[0] for error in last.context["errors"]] == list(range(202, 252))


def test_errors_found_at_confirmation_are_shown_and_nothing_is_written(
    client, clerk, campaign, existing_unit
):
    client.force_login(clerk)
    preview = preview_url(upload(client, campaign, xlsx(GOOD_ROWS)))
    # Between preview and confirm someone enters a donation with the file's receipt number.
    factories.donation(existing_unit, campaign, "1.00", receipt_no="R-1")

    response = client.post(confirm_url(preview), follow=True)

    body = response.content.decode()
    assert "导入失败，没有写入任何数据" in body
    assert "R-1" in body
    assert "确认导入" not in body
    assert not ImportBatch.objects.exists()
    assert Donation.objects.count() == 1


def test_cancel_discards_the_upload(client, clerk, campaign, upload_folder):
    client.force_login(clerk)
    preview = preview_url(upload(client, campaign, xlsx(GOOD_ROWS)))
    assert len(list(upload_folder.iterdir())) == 2  # the file and the check result
    response = client.post(confirm_url(preview), {"cancel": "1"})
    assert response["Location"] == reverse("admin:donations_donation_changelist")
    assert client.get(preview)["Location"] == IMPORT_URL
    assert not Donation.objects.exists()
    assert list(upload_folder.iterdir()) == []


def test_same_file_again_needs_the_force_checkbox(client, clerk, campaign, existing_unit):
    client.force_login(clerk)
    content = xlsx([row(name="已有单位", sector="国资系统", amount="50.00")]).read()

    def same_file():
        return SimpleUploadedFile("再次导入.xlsx", content)

    client.post(confirm_url(preview_url(upload(client, campaign, same_file()))))
    assert ImportBatch.objects.count() == 1

    again = client.get(preview_url(upload(client, campaign, same_file())))
    [file_error, row_error] = again.context["plan"]["errors"]
    # The admin names its own checkbox; a clerk there has no command line.
    assert file_error[2].endswith("为避免重复录入已拒绝，如确需再次导入，请勾选“强制导入重复的文件或行”")
    assert row_error[2].endswith("若确是另一笔捐赠，请勾选“强制导入重复的文件或行”")
    body = again.content.decode()
    assert "--force" not in body and "命令行" not in body
    assert "确认导入" not in body

    forced = client.get(preview_url(upload(client, campaign, same_file(), force="on")))
    assert forced.context["plan"]["errors"] == []
    assert "强制导入重复的文件或行；" in forced.content.decode()


def test_dates_outside_the_campaign_need_the_checkbox(client, clerk, campaign, existing_unit):
    client.force_login(clerk)
    rows = [row(date="2022-01-05", name="已有单位", sector="国资系统", amount="5.00")]
    refused = client.get(preview_url(upload(client, campaign, xlsx(rows))))
    assert [error[1] for error in refused.context["plan"]["errors"]] == ["捐赠日期"]
    # The checkbox alone is not enough: whoever lets the date through says why.
    no_reason = client.get(preview_url(upload(client, campaign, xlsx(rows), allow_outside_dates="on")))
    assert [list(error[1:]) for error in no_reason.context["plan"]["errors"]] == [
        [
            "捐赠日期",
            "已选择允许活动日期以外的捐赠日期，但没有写明原因；请在“活动期外日期的原因”中写明为什么计入本活动",
        ]
    ]
    allowed = client.get(
        preview_url(
            upload(
                client, campaign, xlsx(rows), allow_outside_dates="on", outside_dates_reason="补录往年数据"
            )
        )
    )
    assert allowed.context["plan"]["errors"] == []
    assert "允许活动日期以外的捐赠日期（原因：补录往年数据）" in allowed.content.decode()


def test_form_refuses_other_file_types(client, clerk, campaign):
    client.force_login(clerk)
    response = upload(client, campaign, SimpleUploadedFile("捐赠.pdf", b"%PDF-1.4"))
    assert response.status_code == 200
    assert "只能导入 .xlsx、.xls 或 .csv 文件" in response.content.decode()


def test_import_page_shows_campaign_select_and_checkboxes(client, clerk, campaign):
    client.force_login(clerk)
    body = client.get(IMPORT_URL).content.decode()
    assert campaign.name in body
    assert 'name="allow_outside_dates"' in body and 'name="force"' in body
    assert 'name="separate_staff_gifts"' in body


def test_staff_without_the_import_permission_cannot_import(client, clerk, campaign):
    # As a branch liaison: adds gifts by hand, imports no files.
    clerk.groups.get().permissions.remove(Permission.objects.get(codename="import_donation"))
    client.force_login(clerk)
    assert client.get(IMPORT_URL).status_code == 403
    assert upload(client, campaign, xlsx(GOOD_ROWS)).status_code == 403
    changelist = client.get(reverse("admin:donations_donation_changelist")).content.decode()
    assert "导入捐赠" not in changelist and "导出 Excel" in changelist


def test_outsider_is_sent_to_the_login_page(client, outsider, campaign):
    client.force_login(outsider)
    response = upload(client, campaign, xlsx(GOOD_ROWS))
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert client.get(IMPORT_URL).status_code == 302


def test_a_preview_token_belongs_to_its_session(client, clerk, admin_user, campaign):
    client.force_login(clerk)
    preview = preview_url(upload(client, campaign, xlsx(GOOD_ROWS)))
    client.force_login(admin_user)  # a new session
    assert client.get(preview)["Location"] == IMPORT_URL
    assert client.post(confirm_url(preview))["Location"] == IMPORT_URL
    assert not Donation.objects.exists()


def test_csv_upload_previews_like_xlsx(client, clerk, campaign, existing_unit):
    client.force_login(clerk)
    text = "\ufeff" + ",".join(COLUMNS) + "\r\n" + "\r\n".join(",".join(values) for values in GOOD_ROWS)
    file = SimpleUploadedFile("名单.csv", text.encode())
    plan = client.get(preview_url(upload(client, campaign, file))).context["plan"]
    assert (plan["donation_count"], plan["line_count"], plan["total_amount"], plan["errors"]) == (
        2,
        2,
        "400.00",
        [],
    )


def test_an_old_xls_workbook_previews_and_imports(client, clerk, campaign):
    from tests.donations.staff_files import old_xls_workbook

    client.force_login(clerk)
    xls = old_xls_workbook()
    preview = preview_url(upload(client, campaign, SimpleUploadedFile(xls.name, xls.getvalue())))
    plan = client.get(preview).context["plan"]
    assert (plan["errors"], plan["donation_count"], plan["line_count"], plan["total_amount"]) == (
        [],
        1,
        3,
        "600.00",
    )
    client.post(confirm_url(preview))
    assert ImportBatch.objects.get().file_name == "旧版.xls" and Donation.objects.total() == Decimal("600.00")
