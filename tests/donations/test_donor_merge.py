"""Merging two donor records (issue #22, 5): choose the survivor, preview what moves, and every
gift, staff line, follow-up and employee moves in one transaction with one audit entry; refused
for a unit and a person, and for records the public would name differently."""

from decimal import Decimal

import pytest
from django.urls import reverse

from charity import audit
from charity.models import AuditEntry
from donations import merging
from donations.models import Donation, Donor, FollowUp, RemittanceLine
from tests import factories
from tests.conftest import staff_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def twins(campaign, clerk):
    """The same school entered twice: 衡阳市一中 (with a telephone) and 衡阳市第一中学 (with its gifts)."""
    kept = factories.unit("衡阳市一中", "教育系统")
    twin = factories.unit("衡阳市第一中学", "教育系统", phone="0734-8221234", contact_person="李老师")
    confirmed = factories.donation(twin, campaign, "5000.00", status="confirmed")
    pending = factories.donation(twin, campaign, "300.00")
    teacher = factories.person("王老师", employer=twin)
    RemittanceLine.objects.create(remittance=confirmed, donor=teacher, amount=Decimal("100.00"))
    other_school = factories.donation(factories.unit("衡阳市二中", "教育系统"), campaign, "800.00")
    person_twin = factories.person("衡阳市第一中学")  # a person of the same name: not the school
    RemittanceLine.objects.create(remittance=other_school, donor=person_twin, amount=Decimal("50.00"))
    FollowUp.objects.create(donor=twin, staff=clerk, promised_amount=Decimal("5000.00"), gift=confirmed)
    return {"kept": kept, "twin": twin, "confirmed": confirmed, "pending": pending, "teacher": teacher}


def url(donor):
    return reverse("admin:donations_donor_merge", args=[donor.pk])


def test_the_preview_says_what_moves_and_changes_nothing(client, clerk, twins):
    client.force_login(clerk)
    page = client.get(url(twins["kept"]), {"other": twins["twin"].pk, "keep": "this"})
    body = page.content.decode()
    assert "转移捐赠 2 笔" in body and "转移汇款明细 0 条" in body and "转移劝募跟进 1 条" in body
    assert "转移登记在该单位的职工 1 人" in body and "电话" in body and "0734-8221234" in body
    assert Donor.objects.filter(pk=twins["twin"].pk).exists()
    # The person named like the school is of another kind: not offered as a likely duplicate.
    assert page.context["candidates"] == []


def test_likely_duplicates_are_offered_by_name_and_telephone(client, clerk):
    zhang = factories.person("张伟", phone="13907341234")
    same_name = factories.person("张伟")
    same_phone = factories.person("张 伟", phone="13907341234")
    factories.person("李四")
    client.force_login(clerk)
    found = client.get(url(zhang)).context["candidates"]
    assert {d.pk for d in found} == {same_name.pk, same_phone.pk}


def test_merging_moves_every_gift_line_follow_up_and_employee_in_one_entry(client, clerk, twins, campaign):
    total = Donation.objects.total()
    client.force_login(clerk)
    response = client.post(url(twins["kept"]), {"other": twins["twin"].pk, "keep": "this"})
    assert response.status_code == 302 and response.url == reverse(
        "admin:donations_donor_change", args=[twins["kept"].pk]
    )
    kept = Donor.objects.get(pk=twins["kept"].pk)
    assert not Donor.objects.filter(pk=twins["twin"].pk).exists()
    assert set(Donation.objects.filter(donor=kept).values_list("pk", flat=True)) == {
        twins["confirmed"].pk,
        twins["pending"].pk,
    }
    assert Donation.objects.get(pk=twins["confirmed"].pk).status == "confirmed"  # still as confirmed
    assert Donation.objects.total() == total
    assert FollowUp.objects.get().donor == kept and FollowUp.objects.kept().exists()
    assert Donor.objects.get(pk=twins["teacher"].pk).employer == kept
    assert (kept.phone, kept.contact_person) == ("0734-8221234", "李老师")  # blanks filled
    entry = AuditEntry.objects.get(action="donations.donor.merged")
    assert entry.object_id == str(kept.pk) and entry.actor == clerk
    assert entry.data == {
        "merged": f"衡阳市第一中学（#{twins['twin'].pk}）",
        "donations": 2,
        "lines": 0,
        "follow_ups": 1,
        "staff": 1,
    }
    # Every key reads in Chinese in the audit trail.
    assert all(label != key for key, (label, _) in zip(entry.data, audit.data_items(entry.data), strict=True))
    assert not AuditEntry.objects.filter(action__startswith="donations.donor.deleted").exists()


def test_the_other_record_may_be_the_one_kept(client, clerk, twins):
    client.force_login(clerk)
    client.post(url(twins["kept"]), {"other": twins["twin"].pk, "keep": "other"})
    assert not Donor.objects.filter(pk=twins["kept"].pk).exists()
    assert Donation.objects.filter(donor=twins["twin"]).count() == 2


def test_a_unit_and_a_person_are_not_merged(client, clerk, twins):
    person = Donor.objects.get(kind="individual", name="衡阳市第一中学")
    client.force_login(clerk)
    response = client.post(url(twins["twin"]), {"other": person.pk, "keep": "this"})
    assert response.status_code == 200
    assert "单位和个人不能合并" in response.content.decode()
    assert Donor.objects.filter(pk=person.pk).exists()
    assert RemittanceLine.objects.filter(donor=person).count() == 1
    assert not AuditEntry.objects.filter(action="donations.donor.merged").exists()


def test_an_anonymous_donors_gifts_do_not_move_under_a_public_name(clerk, campaign):
    named = factories.person("张伟")
    hidden = factories.person("张伟", display=Donor.Display.ANONYMOUS)
    factories.donation(hidden, campaign, "100.00")
    with pytest.raises(merging.MergeRefused, match="公开显示方式不同"):
        merging.merge_donors(named, hidden, clerk)
    assert Donation.objects.get().donor == hidden


def test_a_failure_half_way_leaves_both_records_as_they_were(clerk, twins, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("写操作记录失败")

    monkeypatch.setattr(merging.audit, "record", broken)
    with pytest.raises(RuntimeError):
        merging.merge_donors(twins["kept"], twins["twin"], clerk)
    assert Donation.objects.filter(donor=twins["twin"]).count() == 2
    assert Donor.objects.filter(pk=twins["twin"].pk).exists()
    assert Donor.objects.get(pk=twins["teacher"].pk).employer_id == twins["twin"].pk


def test_only_those_allowed_may_merge(client, twins):
    for role, name in [("reviewer", "审核员"), ("liaison", "分会联络员")]:
        client.force_login(staff_with_role(role, name))
        response = client.post(url(twins["kept"]), {"other": twins["twin"].pk, "keep": "this"})
        assert response.status_code == 403, role
    assert Donor.objects.filter(pk=twins["twin"].pk).exists()


def test_the_donor_page_links_to_the_merge(client, clerk, twins):
    client.force_login(clerk)
    page = client.get(reverse("admin:donations_donor_change", args=[twins["kept"].pk])).content.decode()
    assert url(twins["kept"]) in page
    client.force_login(staff_with_role("reviewer", "审核员"))
    page = client.get(reverse("admin:donations_donor_change", args=[twins["kept"].pk])).content.decode()
    assert url(twins["kept"]) not in page


def test_what_other_apps_keep_of_the_record_moves_too(client, clerk, twins):
    """A ranking edition's candidate names the donor (campaigns, a layer the ledger does not
    import): the merge moves it instead of failing on the deleted record."""
    from campaigns.models import RankingEdition, RankingEntry

    category = RankingEdition.objects.create(number=9, year=2023).categories.create(
        name="爱心单位榜", kind="units", order=1
    )
    entry = RankingEntry.objects.create(category=category, donor=twins["twin"], public_name="衡阳市第一中学")
    client.force_login(clerk)
    preview = client.get(url(twins["kept"]), {"other": twins["twin"].pk, "keep": "this"}).content.decode()
    assert "转移排行榜条目 1 条" in preview
    client.post(url(twins["kept"]), {"other": twins["twin"].pk, "keep": "this"})
    assert RankingEntry.objects.get(pk=entry.pk).donor_id == twins["kept"].pk
    assert AuditEntry.objects.get(action="donations.donor.merged").data["排行榜条目"] == 1
