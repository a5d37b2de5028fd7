"""The relief back office: every list and form opens, in Chinese, for staff with the rights."""

import pytest

from tests import factories
from tests.relief import helpers

pytestmark = pytest.mark.django_db

MODELS = ["reliefproject", "projectphoto", "disbursement", "beneficiary", "disclosure", "statutoryfiling"]


@pytest.mark.parametrize("model", MODELS)
def test_lists_and_add_forms_open(client, admin_user, model):
    project = factories.project()
    helpers.published_disclosure(project, [helpers.beneficiary(name="王小明")])
    client.force_login(admin_user)
    assert client.get(f"/admin/relief/{model}/").status_code == 200
    assert client.get(f"/admin/relief/{model}/add/").status_code == 200


def test_a_published_disclosure_opens_read_only_with_its_tools(client, admin_user):
    published = helpers.published_disclosure(factories.project(), [helpers.beneficiary()])
    client.force_login(admin_user)
    page = client.get(f"/admin/relief/disclosure/{published.pk}/change/").content.decode()
    assert "发布更正说明" in page and "查看公开页面" in page
    assert 'name="title"' not in page  # frozen
    assert 'name="staff_note"' in page  # still editable


def test_a_relief_officer_adds_a_beneficiary_with_a_checked_number(client, relief_officer):
    client.force_login(relief_officer)
    number = helpers.id_number(seq=77)
    bad = number[:17] + ("0" if number[17] != "0" else "1")
    response = client.post(
        "/admin/relief/beneficiary/add/",
        {"name": "钱某某", "id_number": bad, "district": "石鼓区", "group": "general"},
    )
    assert "身份证号码校验位不正确，请核对后重新输入" in response.content.decode()
    response = client.post(
        "/admin/relief/beneficiary/add/",
        {"name": "钱某某", "id_number": number.lower(), "district": "石鼓区", "group": "general"},
    )
    assert response.status_code == 302
    from relief.models import Beneficiary

    assert Beneficiary.objects.get().id_number == number


def test_the_project_list_links_to_the_calendar(client, admin_user):
    client.force_login(admin_user)
    assert (
        "/admin/relief/reliefproject/calendar/" in client.get("/admin/relief/reliefproject/").content.decode()
    )
