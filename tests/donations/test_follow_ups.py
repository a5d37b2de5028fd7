"""劝募跟进 (issue #22, 2): a promise becomes a gift and shows as kept; 「我的待跟进」; audited and
scoped like the donors they name; the dashboard's progress per week and sector against the same
day last year, and the promises still open."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from campaigns.dashboard import progress
from charity.models import AuditEntry
from donations import review
from donations.models import BranchLiaison, FollowUp
from tests import factories
from tests.conftest import staff_with_role

pytestmark = pytest.mark.django_db

ADD = "admin:donations_followup_add"
LIST = "admin:donations_followup_changelist"


def d(text):
    return datetime.date.fromisoformat(text)


@pytest.fixture
def unit():
    return factories.unit(
        "衡阳市第一中学", "教育系统", branch=factories.branch("教育系统慈善分会", "教育系统")
    )


def form(unit, staff, campaign, **values):
    return {
        "donor": unit.pk,
        "contacted_on": "2023-09-05",
        "method": "visit",
        "staff": staff.pk,
        "outcome": "校长同意月底前汇款",
        "campaign": campaign.pk,
        "promised_amount": "5000.00",
        "gift": "",
        "next_on": "2023-09-30",
        **values,
    }


def test_a_promise_that_became_a_gift_shows_as_kept(client, clerk, leader, unit, campaign):
    client.force_login(clerk)
    response = client.post(reverse(ADD), form(unit, clerk, campaign))
    assert response.status_code == 302, response.content.decode()[:2000]
    follow_up = FollowUp.objects.get()
    assert AuditEntry.objects.filter(
        action="donations.followup.created", object_id=str(follow_up.pk)
    ).exists()
    assert "待兑现" in client.get(reverse(LIST)).content.decode()
    client.force_login(leader)
    board = client.get(reverse("admin_dashboard")).content.decode()
    assert "共 1 项，合计 5,000.00 元" in board and "衡阳市第一中学" not in board  # figures, no names

    gift = factories.donation(unit, campaign, "5000.00", received_on=d("2023-09-28"))
    client.force_login(clerk)
    url = reverse("admin:donations_followup_change", args=[follow_up.pk])
    response = client.post(url, form(unit, clerk, campaign, gift=gift.pk))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert FollowUp.objects.kept().get() == follow_up
    assert "已兑现</span>（5,000.00 元，2023-09-28）" in client.get(reverse(LIST)).content.decode()
    assert AuditEntry.objects.filter(
        action="donations.followup.changed", object_id=str(follow_up.pk)
    ).exists()
    client.force_login(leader)
    assert "本活动没有尚未兑现的承诺" in client.get(reverse("admin_dashboard")).content.decode()


def test_only_the_donors_own_gift_can_keep_its_promise(clerk, unit, campaign):
    other = factories.donation(factories.unit("衡阳市第二中学", "教育系统"), campaign, "5000.00")
    follow_up = FollowUp(
        donor=unit, staff=clerk, campaign=campaign, promised_amount=Decimal("5000"), gift=other
    )
    with pytest.raises(ValidationError, match="必须是本跟进对象"):
        follow_up.full_clean()
    follow_up.gift, follow_up.promised_amount = factories.donation(unit, campaign, "10.00"), Decimal("0")
    with pytest.raises(ValidationError, match="只有承诺了金额的跟进"):
        follow_up.full_clean()


def test_my_follow_ups_due(client, clerk, unit, campaign):
    colleague = staff_with_role("colleague", "录入员")
    today = d("2023-10-01")
    second = factories.unit("衡阳市第二中学", "教育系统")
    due = FollowUp.objects.create(
        donor=unit, staff=clerk, contacted_on=d("2023-09-01"), next_on=d("2023-09-30")
    )
    FollowUp.objects.create(donor=second, staff=clerk, contacted_on=d("2023-09-01"), next_on=d("2023-10-09"))
    FollowUp.objects.create(
        donor=second, staff=colleague, contacted_on=d("2023-09-01"), next_on=d("2023-09-02")
    )
    # Superseded: the same donor was contacted again afterwards.
    third = factories.unit("衡阳市第三中学", "教育系统")
    FollowUp.objects.create(donor=third, staff=clerk, contacted_on=d("2023-09-01"), next_on=d("2023-09-05"))
    FollowUp.objects.create(donor=third, staff=colleague, contacted_on=d("2023-09-06"))
    assert list(FollowUp.objects.due_for(clerk, today)) == [due]
    client.force_login(clerk)
    page = client.get(reverse(LIST), {"mine": "due"})
    assert list(page.context_data["cl"].result_list) == [due]
    assert f'{reverse(LIST)}?mine=due"' in client.get(reverse("admin:index")).content.decode()


def test_a_liaison_sees_only_its_branchs_follow_ups(client, clerk, unit, campaign):
    liaison = staff_with_role("liaison", "分会联络员")
    BranchLiaison.objects.create(user=liaison, branch=unit.branch)
    own = FollowUp.objects.create(donor=unit, staff=clerk)
    other = FollowUp.objects.create(donor=factories.unit("衡阳市公安局", "公安系统"), staff=clerk)
    client.force_login(liaison)
    assert list(client.get(reverse(LIST)).context_data["cl"].result_list) == [own]
    assert client.get(reverse("admin:donations_followup_change", args=[other.pk])).status_code == 404


def test_the_dashboard_compares_each_week_and_sector_with_the_same_day_last_year(campaign):
    last = factories.campaign("2022年慈善一日捐", year=2022)  # 2022-08-28 to 2022-12-31
    school = factories.unit("衡阳市一中", "教育系统")
    bank = factories.unit("衡阳银行", "金融系统")
    gifts = [
        (school, campaign, "1000.00", "2023-08-29"),  # week 1
        (bank, campaign, "300.00", "2023-09-05"),  # week 2
        (school, campaign, "999.00", "2023-09-20"),  # after "today": not yet
        (school, last, "800.00", "2022-08-30"),  # week 1 last year
        (bank, last, "500.00", "2022-09-06"),  # week 2 last year, before the same day
        (bank, last, "700.00", "2022-09-08"),  # after last year's same day
    ]
    made = [factories.donation(donor, c, amount, received_on=d(day)) for donor, c, amount, day in gifts]
    review.confirm_donations([gift.pk for gift in made], None)
    factories.donation(bank, campaign, "50.00", received_on=d("2023-09-01"))  # pending: not counted

    found = progress(campaign, today=d("2023-09-06"))  # day 10; last year's day 10 is 2022-09-06
    assert (found.day, found.cutoff) == (10, d("2022-09-06"))
    weeks = [(row.label, row.total, row.previous) for row in found.weeks]
    assert weeks == [
        ("第 1 周", Decimal("1000.00"), Decimal("800.00")),
        ("第 2 周", Decimal("300.00"), Decimal("500.00")),
    ]
    sectors = {row.label: (row.total, row.previous, row.percent) for row in found.sectors}
    assert sectors == {
        "教育系统": (Decimal("1000.00"), Decimal("800.00"), Decimal("25.0")),
        "金融系统": (Decimal("300.00"), Decimal("500.00"), Decimal("-40.0")),
    }


def test_undoing_an_import_keeps_a_donor_someone_followed_up(clerk, campaign):
    """A batch's rollback deletes the donors it created that nothing refers to any more; a
    follow-up refers to its donor (PROTECT), so that donor stays and the rollback succeeds."""
    from donations import services
    from donations.models import Donation, Donor, ImportBatch

    batch = ImportBatch.objects.create(campaign=campaign, file_name="a.xlsx", sha256="0" * 64)
    followed = factories.unit("新来的单位", "教育系统", source_batch=batch)
    forgotten = factories.unit("另一个新单位", "教育系统", source_batch=batch)
    for donor in (followed, forgotten):
        factories.donation(donor, campaign, "100.00", batch=batch)
    FollowUp.objects.create(donor=followed, staff=clerk, outcome="已上门致谢")
    services.rollback_batch(batch, clerk)
    assert not Donation.objects.filter(batch=batch).exists()
    assert list(Donor.objects.filter(source_batch=batch)) == [followed]


def test_a_promise_kept_in_part_stays_open_for_the_rest(client, clerk, leader, unit, campaign):
    gift = factories.donation(unit, campaign, "1200.00", received_on=d("2023-09-28"))
    client.force_login(clerk)
    response = client.post(reverse(ADD), form(unit, clerk, campaign, gift=gift.pk))
    assert response.status_code == 302, response.content.decode()[:2000]
    follow_up = FollowUp.objects.get()
    assert not FollowUp.objects.kept().exists()
    assert list(FollowUp.objects.open_promises()) == [follow_up]
    assert FollowUp.objects.with_outstanding().get().outstanding == Decimal("3800.00")
    assert "部分兑现</span>（1,200.00 元，2023-09-28；尚差 3,800.00 元）" in client.get(
        reverse(LIST)
    ).content.decode()
    client.force_login(leader)
    board = client.get(reverse("admin_dashboard")).content.decode()
    assert "共 1 项，合计 3,800.00 元尚未到账" in board


def test_the_gift_picker_tells_a_donors_gifts_apart(admin_client, unit, campaign):
    gift = factories.donation(unit, campaign, "49240.00", received_on=d("2023-12-19"), receipt_no="HY-88")
    params = {"app_label": "donations", "model_name": "followup", "field_name": "gift", "term": "第一中学"}
    response = admin_client.get(reverse("admin:autocomplete"), params)
    assert response.status_code == 200
    labels = {int(result["id"]): result["text"] for result in response.json()["results"]}
    assert labels == {gift.pk: f"衡阳市第一中学 49,240.00 元 · 2023-12-19 · {campaign.name} · 票据号 HY-88"}


def test_an_ended_campaigns_progress_says_it_ended(campaign):
    during = progress(campaign, today=campaign.start_date + datetime.timedelta(days=3))
    assert (during.day, during.ended) == (4, False)
    after = progress(campaign, today=campaign.end_date + datetime.timedelta(days=400))
    assert after.ended and after.day == (campaign.end_date - campaign.start_date).days + 1
