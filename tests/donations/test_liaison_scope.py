"""A branch liaison (分会联络员) sees and enters its own branch's gifts only; other branches' are 404.

The role sweep (tests/charity/test_role_sweep.py) checks each URL's status; this checks what the
lists, searches, exports, autocomplete and forms show and accept.
"""

import csv
import datetime
import io
import json

import pytest
from django.urls import reverse

from donations.models import BranchLiaison, Donation, Donor, RemittanceLine
from tests import factories
from tests.conftest import staff_with_role
from tests.donations.admin_forms import donation_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def branches(campaign):
    own = factories.branch("市住建局慈善分会", "住建系统")
    below = factories.branch("施工企业", "住建系统", parent=own)
    other = factories.branch("公安局慈善分会", "公安系统")
    mine = factories.unit("衡阳建工集团", "住建系统", branch=below)
    theirs = factories.unit("衡阳市公安局", "公安系统", branch=other)
    my_gift = factories.donation(mine, campaign, "1000.00", receipt_no="ZJ-001")
    their_gift = factories.donation(theirs, campaign, "3000.00", receipt_no="GA-001")
    RemittanceLine.objects.create(
        remittance=their_gift, donor=factories.person("李警官", employer=theirs), amount="100.00"
    )
    return {
        "own": own,
        "below": below,
        "other": other,
        "mine": mine,  # donors
        "theirs": theirs,
        "my_gift": my_gift,
        "their_gift": their_gift,
    }


@pytest.fixture
def liaison(branches):
    user = staff_with_role("liaison", "分会联络员")
    BranchLiaison.objects.create(user=user, branch=branches["own"])
    return user


def listed(client, url, **params):
    return client.get(reverse(url), params).content.decode()


def test_lists_and_searches_show_only_the_own_branch(client, liaison, branches):
    client.force_login(liaison)
    page = listed(client, "admin:donations_donation_changelist")
    assert "衡阳建工集团" in page and "衡阳市公安局" not in page
    assert "筛选结果合计：<strong>1,000.00 元" in page  # the sum too: only what the liaison may see
    assert "衡阳市公安局" not in listed(client, "admin:donations_donation_changelist", q="GA-001")
    assert "衡阳市公安局" not in listed(client, "admin:donations_donor_changelist", q="公安")
    assert "李警官" not in listed(client, "admin:donations_remittanceline_changelist")
    branches_page = listed(client, "admin:donations_branch_changelist")
    assert "施工企业" in branches_page and "公安局慈善分会" not in branches_page


def test_the_export_holds_only_the_own_branch(client, liaison, branches):
    client.force_login(liaison)
    response = client.get(reverse("admin:donations_donation_export", args=["csv"]))
    text = b"".join(response.streaming_content if response.streaming else [response.content]).decode(
        "utf-8-sig"
    )
    rows = list(csv.reader(io.StringIO(text)))
    names = {cell for row in rows for cell in row}
    assert "衡阳建工集团" in names and "衡阳市公安局" not in names and "李警官" not in names


def test_autocomplete_offers_only_the_own_branch_donors(client, liaison, branches):
    client.force_login(liaison)
    url = reverse("admin:autocomplete")
    params = {"app_label": "donations", "model_name": "donation", "field_name": "donor", "term": "衡阳"}
    # The label starts with the name (then kind, sector, telephone tail, last gift: test_finding_people.py).
    found = {row["text"].split(" · ")[0] for row in json.loads(client.get(url, params).content)["results"]}
    assert found == {"衡阳建工集团"}


def test_other_branches_records_are_not_found_at_their_address(client, liaison, branches):
    client.force_login(liaison)
    theirs = branches["theirs"]
    for name, pk in [
        ("donations_donation_change", branches["their_gift"].pk),
        ("donations_donation_history", branches["their_gift"].pk),
        ("donations_donation_delete", branches["their_gift"].pk),
        ("donations_donor_change", theirs.pk),
        ("donations_donor_history", theirs.pk),
        ("donations_branch_change", branches["other"].pk),
    ]:
        assert client.get(reverse(f"admin:{name}", args=[pk])).status_code == 404, name
    mine = reverse("admin:donations_donation_change", args=[branches["my_gift"].pk])
    assert client.get(mine).status_code == 200


def gift_form(campaign, donor, **extra):
    """The add form for a gift of 500 元 from `donor`."""
    gift = Donation(campaign=campaign, donor=donor, amount="500.00", received_on=datetime.date(2023, 9, 20))
    return donation_form(gift, **extra)


def test_a_liaison_enters_gifts_for_its_branch_and_no_other(client, liaison, branches, campaign):
    client.force_login(liaison)
    add = reverse("admin:donations_donation_add")
    # The donor of another branch is not even a valid choice; the own donor's gift counts in the
    # sub-branch the donor belongs to.
    refused = client.post(add, gift_form(campaign, branches["theirs"]))
    assert refused.status_code == 200 and not Donation.objects.filter(amount="500.00").exists()
    accepted = client.post(add, gift_form(campaign, branches["mine"]))
    assert accepted.status_code == 302
    gift = Donation.objects.get(amount="500.00")
    assert gift.branch == branches["below"] and gift.entered_by == liaison and gift.status == "pending"


def test_a_gift_that_would_count_outside_the_branch_is_refused_with_a_reason(
    client, liaison, branches, campaign
):
    client.force_login(liaison)
    response = client.post(
        reverse("admin:donations_donation_add"),
        gift_form(campaign, branches["mine"], sector=factories.sector("个人").pk),
    )
    assert "只能录入本分会的捐赠" in response.content.decode()
    assert not Donation.objects.filter(amount="500.00").exists()


def test_a_liaison_adds_donors_to_its_own_branch_only(client, liaison, branches):
    client.force_login(liaison)
    data = {
        "kind": "unit",
        "name": "衡阳新建筑公司",
        "credit_code": "",
        "display": "real",
        "alias": "",
        "note": "",
    }
    assert (
        "请选择本分会作为所属分会" in client.post(reverse("admin:donations_donor_add"), data).content.decode()
    )
    data["branch"] = branches["other"].pk
    client.post(reverse("admin:donations_donor_add"), data)
    assert not Donor.objects.filter(name="衡阳新建筑公司").exists()
    data["branch"] = branches["below"].pk
    assert client.post(reverse("admin:donations_donor_add"), data).status_code == 302
    assert Donor.objects.get(name="衡阳新建筑公司").branch == branches["below"]


def test_a_liaison_imports_no_files(client, liaison, branches):
    client.force_login(liaison)
    assert client.get(reverse("admin:donations_donation_import")).status_code == 403
    assert "导入捐赠" not in listed(client, "admin:donations_donation_changelist")


def test_a_background_export_holds_only_the_own_branch_too(client, liaison, branches, settings, tmp_path):
    from charity.models import BackgroundJob

    settings.EXPORT_IMMEDIATE_MAX_ROWS = 0  # every export runs as a job (at once in the tests)
    settings.JOB_FILES_DIR = tmp_path
    client.force_login(liaison)
    response = client.get(reverse("admin:donations_donation_export", args=["csv"]))
    job = BackgroundJob.objects.get(requested_by=liaison)
    assert response.status_code == 302 and str(job.pk) in response["Location"]
    result = client.get(reverse("admin:charity_backgroundjob_result", args=[job.pk]))
    text = b"".join(result.streaming_content).decode("utf-8-sig")
    assert "衡阳建工集团" in text and "衡阳市公安局" not in text and "李警官" not in text
