"""Relief projects, spending and beneficiaries to and from Excel in the admin (relief/resources.py)."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse

from charity.models import AuditEntry
from relief import crypto
from relief.idnumbers import ID_NUMBER_SHAPE, staff_hint
from relief.models import Beneficiary, Disbursement, ReliefProject
from tests import factories
from tests.conftest import staff_with_role
from tests.relief import helpers
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

PROJECTS = "relief/reliefproject"
SPENDING = "relief/disbursement"
PEOPLE = "relief/beneficiary"
PEOPLE_HEADER = ["姓名", "身份证号码", "所在县市区", "类别", "本人要求不公开姓名"]


def test_projects_export_and_import_back_and_new_ones_are_added(client, relief_officer):
    factories.project(
        "慈善光明行", category=ReliefProject.Category.MEDICAL, start_date=datetime.date(2023, 3, 1)
    )
    client.force_login(relief_officer)
    rows = workbook_rows(export(client, PROJECTS))
    assert rows[0][:6] == ["编号", "名称", "类别", "年度", "结束年度", "预算（元）"]
    record = as_records(rows)[0]
    assert record["类别"] == "医疗救助" and record["预算（元）"] == 1000000
    assert record["开始日期"] == datetime.datetime(2023, 3, 1)  # a real date in the workbook
    rows.append([None, "助学圆梦", "助学", 2024, None, "50000.50", "", "", "实施中", "2024-09-01", None])

    import_file(client, PROJECTS, xlsx_file(rows))

    added = ReliefProject.objects.get(name="助学圆梦")
    assert added.budget == Decimal("50000.50") and added.category == "education"
    assert added.start_date == datetime.date(2024, 9, 1)
    assert ReliefProject.objects.get(name="慈善光明行").start_date == datetime.date(2023, 3, 1)
    assert AuditEntry.objects.filter(action="relief.reliefproject.imported").count() == 1


def test_bad_project_rows_are_refused(client, relief_officer):
    factories.project("慈善光明行")
    client.force_login(relief_officer)
    header = ["名称", "类别", "年度", "预算（元）", "开始日期", "结束日期"]
    rows = [
        header,
        ["新项目", "助学", 2024, "100", "2024-01-01", "2024-12-31"],
        ["慈善光明行", "助学", 2024, "100", "", ""],  # the name is taken
        ["日期颠倒", "助学", 2024, "100", "2024-12-31", "2024-01-01"],
        ["金额不对", "助学", 2024, "12.345", "", ""],
        ["类别不对", "外星救助", "明年", "100", "", ""],
    ]
    problems = {
        (row, column): message
        for row, column, message in page_problems(upload(client, PROJECTS, xlsx_file(rows)))
    }
    assert problems[(3, "名称")] == "具有 名称 的 救助项目 已存在。"
    assert problems[(4, "结束日期")] == "结束日期不能早于开始日期"
    assert problems[(5, "预算（元）")] == "金额“12.345”最多两位小数"
    assert problems[(6, "类别")].startswith("“外星救助”不是有效的类别，可填：医疗救助、")
    assert problems[(6, "年度")] == "“明年”不是整数"
    assert ReliefProject.objects.count() == 1


def test_spending_names_its_project_and_keeps_the_spending_rule(client, relief_officer):
    project = factories.project("慈善光明行", budget=Decimal("1000.00"))
    helpers.disbursement(project, "600.00", voucher_no="ZC-001", purpose='=HYPERLINK("http://x")')
    client.force_login(relief_officer)
    rows = workbook_rows(export(client, SPENDING))
    assert rows[0] == ["编号", "项目", "凭证号", "支出日期", "金额（元）", "受助人数", "用途", "超支说明"]
    assert rows[1][1] == "慈善光明行" and rows[1][4] == 600 and rows[1][6] == '\'=HYPERLINK("http://x")'
    rows.append([None, "不存在的项目", "ZC-002", "2023-06-01", "100", 1, "", ""])
    rows.append([None, "慈善光明行", "ZC-001", "2023-06-01", "100", 1, "", ""])  # voucher taken
    rows.append([None, "慈善光明行", "ZC-003", "2023-06-01", "500", 1, "", ""])  # over the budget
    problems = {(r, c): m for r, c, m in page_problems(upload(client, SPENDING, xlsx_file(rows)))}
    assert problems[(3, "项目")] == "项目“不存在的项目”不存在，请先在后台添加，或核对名称"
    assert problems[(4, "凭证号")] == "具有 凭证号 的 支出 已存在。"
    assert "超支说明" in {c for _r, c in problems}
    assert Disbursement.objects.count() == 1

    rows[-1][7] = "追加手术费用，经理事会批准"
    del rows[2:4]
    import_file(client, SPENDING, xlsx_file(rows))
    assert Disbursement.objects.get(voucher_no="ZC-003").project == project
    assert Disbursement.objects.get(voucher_no="ZC-001").purpose == '=HYPERLINK("http://x")'


def test_identity_numbers_are_never_exported_in_clear(client, relief_officer):
    numbers = [helpers.id_number(seq=n) for n in (11, 12)]
    for number in numbers:
        helpers.beneficiary(id_number=number)
    client.force_login(relief_officer)
    for file_format in ("0", CSV):
        body = export(client, PEOPLE, file_format).content
        assert not any(number.encode() in body for number in numbers)
    rows = workbook_rows(export(client, PEOPLE))
    cells = [str(cell) for row in rows for cell in row if cell is not None]
    assert not [cell for cell in cells if ID_NUMBER_SHAPE.search(cell)]
    assert sorted(r["身份证号码"] for r in as_records(rows)) == sorted(staff_hint(n) for n in numbers)
    csv_text = export(client, PEOPLE, CSV).content.decode("utf-8-sig")
    assert not ID_NUMBER_SHAPE.search(csv_text)


def test_beneficiaries_import_back_unchanged_and_new_numbers_are_checked_and_encrypted(
    client, relief_officer
):
    kept = helpers.beneficiary(name="王小明", id_number=helpers.id_number(seq=21))
    client.force_login(relief_officer)
    rows = workbook_rows(export(client, PEOPLE))
    assert rows[0] == ["编号", *PEOPLE_HEADER]
    new_number = helpers.id_number(seq=22)
    rows.append([None, "李红", new_number.lower(), "石鼓区", "未成年人", "是"])

    import_file(client, PEOPLE, xlsx_file(rows))

    kept.refresh_from_db()
    assert kept.id_number == helpers.id_number(seq=21)  # the masked cell left it as it was
    added = Beneficiary.objects.get(name="李红")
    assert added.id_number == new_number and added.group == "child" and added.name_withheld
    assert added.id_number_digest == crypto.digest(new_number)
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number FROM relief_beneficiary WHERE id = %s", [added.pk])
        (stored,) = cursor.fetchone()
    assert stored.startswith(crypto.PREFIX) and new_number not in stored


def test_bad_identity_numbers_are_refused_without_repeating_them(client, relief_officer):
    on_file = helpers.beneficiary(id_number=helpers.id_number(seq=31))
    client.force_login(relief_officer)
    good = helpers.id_number(seq=32)
    wrong_check = good[:17] + ("0" if good[17] != "0" else "1")
    rows = [
        PEOPLE_HEADER,
        ["甲", good, "珠晖区", "一般", "否"],
        ["乙", wrong_check, "珠晖区", "一般", "否"],
        ["丙", good, "珠晖区", "一般", "否"],  # twice in the file
        ["丁", on_file.id_number, "珠晖区", "一般", "否"],  # already registered
        ["戊", staff_hint(good), "珠晖区", "一般", "否"],  # masked, for a new person
        ["己", "12345", "火星区", "一般", "否"],
    ]
    preview = upload(client, PEOPLE, xlsx_file(rows))
    problems = {(r, c): m for r, c, m in page_problems(preview)}
    assert problems[(3, "身份证号码")] == "身份证号码校验位不正确，请核对后重新输入"
    assert problems[(4, "身份证号码")] == "该身份证号码已登记为另一位受助人"
    assert problems[(5, "身份证号码")] == "该身份证号码已登记为另一位受助人"
    assert problems[(6, "身份证号码")].startswith("身份证号码被遮盖")
    assert problems[(7, "身份证号码")] == "身份证号码应为 18 位，实际为 5 位"
    assert problems[(7, "所在县市区")].startswith("“火星区”不是有效的所在县市区")
    assert (2, "身份证号码") not in problems
    page = preview.content.decode()
    assert good not in page and wrong_check not in page and on_file.id_number not in page
    assert Beneficiary.objects.count() == 1


def test_a_changed_number_for_a_registered_person_is_stored(client, relief_officer):
    person = helpers.beneficiary(id_number=helpers.id_number(seq=41))
    client.force_login(relief_officer)
    corrected = helpers.id_number(seq=42)
    rows = [["编号", *PEOPLE_HEADER], [person.pk, person.name, corrected, "珠晖区", "一般", "否"]]
    preview = upload(client, PEOPLE, xlsx_file(rows))
    assert corrected not in preview.content.decode()  # the preview shows it masked
    confirm(client, PEOPLE, preview)
    person.refresh_from_db()
    assert person.id_number == corrected


def test_only_staff_with_the_rights_import_and_export_relief_tables(client, relief_officer):
    publisher = staff_with_role("publisher", "发布员")  # views projects, changes none
    client.force_login(publisher)
    assert client.get(reverse("admin:relief_reliefproject_import")).status_code == 403
    assert export(client, PROJECTS).status_code == 200
    assert client.get(reverse("admin:relief_beneficiary_export")).status_code == 403
    client.force_login(relief_officer)
    assert client.get(reverse("admin:relief_beneficiary_import")).status_code == 200


def test_the_project_list_offers_import_and_export_beside_the_calendar(client, relief_officer):
    client.force_login(relief_officer)
    page = client.get(reverse("admin:relief_reliefproject_changelist")).content.decode()
    for name in ("relief_calendar", "relief_reliefproject_import", "relief_reliefproject_export"):
        assert reverse(f"admin:{name}") in page
