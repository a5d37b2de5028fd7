"""Units, people and branches to and from Excel in the admin (donations/resources.py).

Through the admin pages as staff use them: export, upload, preview, confirm.
"""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from charity.models import AuditEntry
from charity.spreadsheets import FORMULA_PREFIXES
from donations.models import Branch, BranchLiaison, Donor
from tests import factories
from tests.conftest import staff_with_role
from tests.spreadsheet_admin import (
    CSV,
    as_records,
    confirm,
    export,
    import_file,
    page_problems,
    upload,
    workbook_rows,
    xlsx_file,
)

pytestmark = pytest.mark.django_db

DONORS = "donations/donor"
BRANCHES = "donations/branch"
HEADER = ["类型", "名称", "统一社会信用代码", "所属版块", "所属分会", "电话"]
FORMULAS = ["=1+1", "+cmd", "-1+1", "@SUM(A1)"]


@pytest.fixture
def ledger():
    own = factories.branch("市住建局慈善分会", "住建系统")
    other = factories.branch("公安局慈善分会", "公安系统")
    unit = factories.unit(
        "衡阳建工集团", "住建系统", branch=own, credit_code=factories.credit_code(), phone="8860089"
    )
    factories.person("张三", employer=unit, phone="13800138000")
    factories.unit("衡阳市公安局", "公安系统", branch=other)
    return {"own": own, "other": other, "unit": unit}


def bad_code():
    code = factories.credit_code()
    return code[:17] + ("0" if code[17] != "0" else "1")


def test_donors_export_and_import_back_unchanged(client, admin_user, ledger):
    client.force_login(admin_user)
    response = export(client, DONORS)
    assert response["Content-Disposition"].startswith("attachment; filename*=utf-8''")
    rows = workbook_rows(response)
    assert rows[0][:6] == ["编号", "类型", "名称", "统一社会信用代码", "所属版块", "所属分会"]
    records = {r["名称"]: r for r in as_records(rows)}
    assert records["衡阳建工集团"]["所属分会"] == "住建系统 › 市住建局慈善分会"
    assert records["张三"]["所在单位"] == "衡阳建工集团" and records["张三"]["类型"] == "个人"
    assert records["张三"]["电话"] == "13800138000"
    before = list(Donor.objects.order_by("pk").values())

    done = import_file(client, DONORS, xlsx_file(rows))

    assert done.status_code == 302
    assert list(Donor.objects.order_by("pk").values()) == before
    messages = [str(m) for m in done.wsgi_request._messages]
    assert messages == ["导入完成：新增 0 条，更新 0 条，3 条与原有记录相同未改动。"]


def test_an_edited_export_updates_and_adds_with_one_audit_entry(client, clerk, ledger):
    client.force_login(clerk)
    rows = workbook_rows(export(client, DONORS))
    phone = rows[0].index("电话")
    for row in rows[1:]:
        if row[2] == "衡阳建工集团":
            row[phone] = "0734-8860000"
    rows.append([None, "单位", "衡阳市第一中学", factories.credit_code(), "住建系统", "市住建局慈善分会"])
    entries = AuditEntry.objects.count()

    import_file(client, DONORS, xlsx_file(rows, "单位名单.xlsx"))

    assert Donor.objects.get(name="衡阳建工集团").phone == "0734-8860000"
    school = Donor.objects.get(name="衡阳市第一中学")
    assert school.branch == ledger["own"] and school.kind == Donor.Kind.UNIT
    # One entry for the import, none per row.
    assert AuditEntry.objects.count() == entries + 1
    entry = AuditEntry.objects.latest("pk")
    assert entry.action == "donations.donor.imported" and entry.actor == clerk
    assert entry.data["file_name"] == "单位名单.xlsx"
    assert (entry.data["new_rows"], entry.data["updated_rows"], entry.data["unchanged_rows"]) == (1, 1, 2)


def test_bad_rows_are_refused_by_row_and_column_and_nothing_is_written(client, admin_user, ledger):
    client.force_login(admin_user)
    rows = [
        HEADER,
        ["单位", "好的新单位", "", "住建系统", "", ""],
        ["单位", "未知版块单位", "", "不存在的系统", "", ""],
        ["单位", "未知分会单位", "", "住建系统", "不存在的分会", ""],
        ["单位", "代码错误单位", bad_code(), "住建系统", "", ""],
        ["单位", "衡阳建工集团", "", "住建系统", "", ""],  # already on file
        ["单位", "重复单位", "", "", "", ""],
        ["单位", "重复单位", "", "", "", ""],  # twice in the file
        ["法人", "类型错误单位", "", "", "", ""],
    ]
    count = Donor.objects.count()

    preview = upload(client, DONORS, xlsx_file(rows))

    assert preview.context.get("confirm_form") is None  # nothing to confirm
    problems = {(row, column): message for row, column, message in page_problems(preview)}
    assert problems[(3, "所属版块")] == "版块“不存在的系统”不存在，请先在后台添加，或核对名称"
    assert problems[(4, "所属分会")].startswith("分会“不存在的分会”不存在")
    assert problems[(5, "统一社会信用代码")].startswith("统一社会信用代码校验位错误")
    assert problems[(6, "名称")].startswith("已有同名的单位“衡阳建工集团”")
    assert problems[(8, "名称")].startswith("已有同名的单位“重复单位”")
    assert problems[(9, "类型")] == "“法人”不是有效的类型，可填：单位、个人"
    assert not any(row in (2, 7) for row, _column in problems)
    page = preview.content.decode()
    assert "没有写入任何数据" in page and "<th>行</th><th>列</th><th>问题</th>" in page
    assert Donor.objects.count() == count


def test_a_branch_named_alone_must_be_unambiguous(client, admin_user, ledger):
    factories.branch("市住建局慈善分会", "国资系统")  # the same name in another sector
    client.force_login(admin_user)
    rows = [HEADER, ["单位", "新单位", "", "住建系统", "市住建局慈善分会", ""]]
    problems = page_problems(upload(client, DONORS, xlsx_file(rows)))
    assert problems == [(2, "所属分会", "分会“市住建局慈善分会”在多个版块中都有，请写成“版块 › 分会”")]
    rows[1][4] = "住建系统 › 市住建局慈善分会"
    import_file(client, DONORS, xlsx_file(rows))
    assert Donor.objects.get(name="新单位").branch == ledger["own"]


def test_a_row_refused_at_confirmation_rolls_back_the_whole_file(client, admin_user, ledger):
    client.force_login(admin_user)
    rows = [HEADER, ["单位", "第一单位", "", "", "", ""], ["单位", "第二单位", "", "", "", ""]]
    preview = upload(client, DONORS, xlsx_file(rows))
    factories.unit("第二单位")  # entered by hand between the preview and the confirmation
    count, entries = Donor.objects.count(), AuditEntry.objects.count()

    response = confirm(client, DONORS, preview)

    assert response.status_code == 200
    assert Donor.objects.count() == count and not Donor.objects.filter(name="第一单位").exists()
    assert AuditEntry.objects.count() == entries  # no entry for an import that wrote nothing
    assert [(row, column) for row, column, _message in page_problems(response)] == [(3, "名称")]


def test_only_the_session_that_previewed_a_file_may_confirm_it(client, admin_user, ledger):
    """The confirmation names the waiting file; another account posting that name (or the same
    page posted twice) writes nothing."""
    client.force_login(admin_user)
    rows = [HEADER, ["单位", "别人上传的单位", "", "", "", ""]]
    preview = upload(client, DONORS, xlsx_file(rows))
    intruder = Client()
    intruder.force_login(type(admin_user).objects.create_superuser("intruder", "i@example.org", "x"))
    refused = confirm(intruder, DONORS, preview)
    assert refused.status_code == 302 and refused["Location"].endswith("/admin/donations/donor/import/")
    assert not Donor.objects.filter(name="别人上传的单位").exists()

    assert confirm(client, DONORS, preview).status_code == 302
    assert Donor.objects.filter(name="别人上传的单位").count() == 1
    count = Donor.objects.count()
    again = confirm(client, DONORS, preview)
    assert again.status_code == 302 and again["Location"].endswith("/import/")
    assert Donor.objects.count() == count


def test_an_unknown_number_is_refused_not_inserted(client, admin_user, ledger):
    client.force_login(admin_user)
    rows = [["编号", *HEADER], [999999, "单位", "编了号的新单位", "", "", "", ""]]
    problems = page_problems(upload(client, DONORS, xlsx_file(rows)))
    assert problems == [(2, "编号", "编号 999999 的记录不存在或不在您的权限范围内；新增的记录请留空编号")]


def test_formula_payloads_are_escaped_in_every_cell_and_import_back_unchanged(client, admin_user):
    for payload in FORMULAS:
        factories.unit(payload, note=payload, contact_person=payload)
    client.force_login(admin_user)
    response = export(client, DONORS)
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    cells = [cell for row in book.worksheets[0].iter_rows() for cell in row if cell.value is not None]
    assert all(cell.data_type != "f" for cell in cells)
    texts = [cell.value for cell in cells if isinstance(cell.value, str)]
    assert not [text for text in texts if text.startswith(FORMULA_PREFIXES)]
    escaped = [text for text in texts if text[:1] == "'" and text[1:].startswith(FORMULA_PREFIXES)]
    assert len(escaped) == 3 * len(FORMULAS)  # name, contact and note of each

    csv_text = export(client, DONORS, CSV).content.decode("utf-8-sig")
    csv_cells = [cell for line in csv_text.splitlines() for cell in line.split(",")]
    assert not [cell for cell in csv_cells if cell.startswith(FORMULA_PREFIXES)]

    names = sorted(Donor.objects.values_list("name", flat=True))  # as stored: @SUM（A1）
    Donor.objects.all().delete()
    rows = workbook_rows(response)
    for row in rows[1:]:
        row[0] = None  # as new records
    import_file(client, DONORS, xlsx_file(rows))
    assert sorted(Donor.objects.values_list("name", flat=True)) == names
    assert set(Donor.objects.values_list("note", flat=True)) == set(FORMULAS)


def test_branches_export_and_import_back(client, admin_user, ledger):
    below = factories.branch("施工企业", "住建系统", parent=ledger["own"])
    client.force_login(admin_user)
    rows = workbook_rows(export(client, BRANCHES))
    assert rows[0] == ["编号", "名称", "版块", "上级分会", "启用"]
    assert [below.pk, "施工企业", "住建系统", "住建系统 › 市住建局慈善分会", "是"] in rows
    rows.append([None, "桥梁企业", "住建系统", "住建系统 › 市住建局慈善分会", "是"])
    rows.append([None, "错版块分会", "公安系统", "住建系统 › 市住建局慈善分会", "是"])

    problems = page_problems(upload(client, BRANCHES, xlsx_file(rows)))
    assert problems == [(len(rows), "上级分会", "上级分会必须属于同一版块")]

    import_file(client, BRANCHES, xlsx_file(rows[:-1]))
    assert Branch.objects.get(name="桥梁企业").parent == ledger["own"]


@pytest.fixture
def liaison(ledger):
    user = staff_with_role("liaison", "分会联络员")
    BranchLiaison.objects.create(user=user, branch=ledger["own"])
    return user


def test_a_liaison_exports_its_branches_donors_only_and_never_imports(client, liaison, ledger):
    client.force_login(liaison)
    names = {r["名称"] for r in as_records(workbook_rows(export(client, DONORS)))}
    assert names == {"衡阳建工集团"}
    branches = {r["名称"] for r in as_records(workbook_rows(export(client, BRANCHES)))}
    assert branches == {"市住建局慈善分会"}

    page = client.get(reverse("admin:donations_donor_changelist")).content.decode()
    assert reverse("admin:donations_donor_export") in page
    assert reverse("admin:donations_donor_import") not in page
    rows = [HEADER, ["单位", "联络员的单位", "", "住建系统", "市住建局慈善分会", ""]]
    assert upload(client, DONORS, xlsx_file(rows)).status_code == 403
    assert client.get(reverse("admin:donations_donor_import")).status_code == 403
    processed = client.post(
        reverse("admin:donations_donor_process_import"),
        {"import_file_name": "x", "original_file_name": "x.xlsx", "format": "0", "resource": "0"},
    )
    assert processed.status_code == 403
    assert not Donor.objects.filter(name="联络员的单位").exists()


def test_a_liaison_reads_another_branchs_anonymous_employer_as_the_public_does(client, liaison, ledger):
    anonymous = Donor.Display.ANONYMOUS
    hidden = factories.unit("不愿具名的公司", "公安系统", branch=ledger["other"], display=anonymous)
    factories.person("本分会的职工", employer=hidden, branch=ledger["own"])
    client.force_login(liaison)
    rows = workbook_rows(export(client, DONORS))
    assert {r["名称"]: r["所在单位"] for r in as_records(rows)}["本分会的职工"] == "爱心人士"
    assert "不愿具名的公司" not in {cell for row in rows for cell in row}


def test_import_needs_add_and_change_permission(client, ledger):
    reviewer = staff_with_role("reviewer", "审核员")  # views donors, changes nothing
    client.force_login(reviewer)
    assert client.get(reverse("admin:donations_donor_import")).status_code == 403
    assert export(client, DONORS).status_code == 200
    clerk = staff_with_role("clerk2", "录入员")  # may add and change donors, may not add branches
    client.force_login(clerk)
    assert client.get(reverse("admin:donations_donor_import")).status_code == 200
    assert client.get(reverse("admin:donations_branch_import")).status_code == 403


def test_the_import_pages_are_in_chinese(client, admin_user, ledger):
    client.force_login(admin_user)
    page = client.get(reverse("admin:donations_donor_import")).content.decode()
    assert "导入捐赠人" in page and "任何一行有错都不会写入任何数据" in page and "提交" in page
    preview = upload(client, DONORS, xlsx_file([HEADER, ["单位", "新单位", "", "", "", ""]]))
    text = preview.content.decode()
    assert "确认导入" in text and "预览" in text and "新增" in text
    export_page = client.get(reverse("admin:donations_donor_export")).content.decode()
    assert "导出" in export_page and "格式" in export_page


def test_a_csv_export_imports_back_and_unknown_columns_are_refused(client, admin_user, ledger):
    client.force_login(admin_user)
    text = export(client, DONORS, CSV).content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("编号,类型,名称,统一社会信用代码,所属版块,所属分会")
    edited = text.replace("8860089", "8860000")  # as a clerk edits it
    csv_upload = SimpleUploadedFile("捐赠人.csv", ("\ufeff" + edited).encode())
    preview = upload(client, DONORS, csv_upload, CSV)
    confirm(client, DONORS, preview)
    assert Donor.objects.get(name="衡阳建工集团").phone == "8860000"
    # As Excel in Chinese saves a CSV: GB 18030, no BOM.
    gbk = SimpleUploadedFile("捐赠人.csv", edited.replace("8860000", "8860001").encode("gb18030"))
    confirm(client, DONORS, upload(client, DONORS, gbk, CSV))
    assert Donor.objects.get(name="衡阳建工集团").phone == "8860001"

    rows = [["类型", "名称", "分会"], ["单位", "新单位", "住建系统 › 市住建局慈善分会"]]
    problems = page_problems(upload(client, DONORS, xlsx_file(rows)))
    assert (None, "（整行）") in {(row, column) for row, column, _message in problems}
    assert any(message.startswith("表头中有不认识的列：分会。") for _r, _c, message in problems)
    assert not Donor.objects.filter(name="新单位").exists()


def test_an_export_too_big_for_one_request_asks_to_narrow_the_list(client, admin_user, ledger, monkeypatch):
    monkeypatch.setattr("charity.admin_spreadsheets.EXPORT_MAX_ROWS", 2)
    client.force_login(admin_user)
    response = export(client, DONORS)
    assert response.status_code == 302 and response["Location"] == reverse("admin:donations_donor_changelist")
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == ["所选记录共 3 条，超过一次导出的上限 2 条：请先用右侧的筛选或搜索缩小范围，再导出。"]
    narrowed = export(client, DONORS, query="?kind__exact=unit")
    assert {r["名称"] for r in as_records(workbook_rows(narrowed))} == {"衡阳建工集团", "衡阳市公安局"}
