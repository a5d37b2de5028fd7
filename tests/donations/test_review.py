"""Review (审核): pending gifts stay editable, confirmed ones are locked, mistakes are reversed (冲正)."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from campaigns import services as campaign_services
from campaigns.models import HonorRollIssue
from campaigns.selectors import campaign_figures
from charity.models import AuditEntry
from donations import review
from donations.importing import import_file
from donations.models import Donation, DonationLocked, ImportBatch, RemittanceLine
from donations.services import finalize_batch, rollback_batch
from tests import factories
from tests.campaigns.pdf_text import pdf_text
from tests.donations.admin_forms import donation_form
from tests.donations.import_helpers import unit_row, xlsx

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:donations_donation_changelist"


def change_url(gift):
    return reverse("admin:donations_donation_change", args=[gift.pk])


@pytest.fixture
def gift(campaign):
    unit = factories.unit("衡阳市一中", sector_name="教育系统")
    return factories.donation(unit, campaign, "1000.00", receipt_no="HY-1", head_count=20)


def confirm(gift, user):
    review.confirm_donations([gift.pk], user)
    gift.refresh_from_db()
    return gift


def test_a_clerk_edits_a_pending_gift_but_not_a_confirmed_one(client, clerk, reviewer, gift):
    client.force_login(clerk)
    response = client.post(change_url(gift), donation_form(gift, amount="1200.00"))
    assert response.status_code == 302
    gift.refresh_from_db()
    assert gift.amount == Decimal("1200.00") and gift.status == Donation.Status.PENDING

    confirm(gift, reviewer)
    page = client.get(change_url(gift)).content.decode()
    assert "已确认，已锁定，不能修改或删除" in page and 'name="amount"' not in page
    assert client.post(change_url(gift), donation_form(gift, amount="9.00")).status_code == 403
    assert client.get(reverse("admin:donations_donation_delete", args=[gift.pk])).status_code == 403
    gift.refresh_from_db()
    assert gift.amount == Decimal("1200.00")


def test_nobody_edits_or_deletes_a_confirmed_gift_in_code_either(admin_user, gift):
    confirm(gift, admin_user)
    gift.amount = Decimal("1.00")
    with pytest.raises(DonationLocked):
        gift.save()
    with pytest.raises(DonationLocked):
        gift.delete()
    line = RemittanceLine.objects.create(remittance=gift, donor=factories.person("王小明"), amount="10.00")
    line.amount = Decimal("20.00")
    with pytest.raises(DonationLocked):
        line.save()
    with pytest.raises(DonationLocked):
        line.delete()


def test_the_superuser_cannot_delete_a_confirmed_gift_in_the_admin_list(client, admin_user, gift, campaign):
    pending = factories.donation(gift.donor, campaign, "5.00")
    confirm(gift, admin_user)
    client.force_login(admin_user)
    response = client.post(
        reverse(CHANGELIST),
        {"action": "delete_selected", "_selected_action": [gift.pk, pending.pk], "post": "yes"},
    )
    assert response.status_code in (200, 403)
    assert Donation.objects.filter(pk=gift.pk).exists()


def test_a_reviewer_confirms_selected_gifts_and_the_audit_trail_says_so(client, reviewer, gift, campaign):
    other = factories.donation(gift.donor, campaign, "50.00")
    client.force_login(reviewer)
    response = client.post(
        reverse(CHANGELIST),
        {"action": "confirm_selected", "_selected_action": [gift.pk, other.pk]},
        follow=True,
    )
    assert "已确认 2 笔捐赠" in response.content.decode()
    gift.refresh_from_db()
    assert gift.status == Donation.Status.CONFIRMED and gift.confirmed_by == reviewer and gift.confirmed_at
    entry = AuditEntry.objects.get(action="donations.donation.confirmed")
    assert entry.actor == reviewer and entry.data["donations"] == 2


def test_a_clerk_is_not_offered_the_confirmation(client, clerk, gift):
    client.force_login(clerk)
    response = client.post(reverse(CHANGELIST), {"action": "confirm_selected", "_selected_action": [gift.pk]})
    assert response.status_code in (200, 302)
    gift.refresh_from_db()
    assert gift.status == Donation.Status.PENDING


def test_gifts_of_an_open_batch_are_confirmed_with_their_batch(reviewer, campaign):
    batch = import_file(xlsx([unit_row("衡阳市二中", "800")]), campaign=campaign, user=None)
    gift = Donation.objects.get(batch=batch)
    with pytest.raises(review.ReviewError, match="尚未确认的导入批次"):
        review.confirm_donations([gift.pk], reviewer)
    finalize_batch(batch, reviewer)
    gift.refresh_from_db()
    assert gift.status == Donation.Status.CONFIRMED and gift.confirmed_by == reviewer
    with pytest.raises(Exception, match="不能撤销"):
        rollback_batch(batch, reviewer)


def test_an_open_batch_still_rolls_back_whole(clerk, campaign):
    batch = import_file(xlsx([unit_row("衡阳市三中", "800")]), campaign=campaign, user=clerk)
    rollback_batch(batch, clerk)
    assert not Donation.objects.filter(batch=batch).exists()
    assert ImportBatch.objects.get(pk=batch.pk).status == ImportBatch.Status.ROLLED_BACK


def test_a_reversal_cancels_the_gift_in_every_total_and_count(reviewer, gift, campaign):
    person = factories.person("王小明")
    confirm(factories.donation(person, campaign, "300.00", sector=factories.sector("个人")), reviewer)
    confirm(gift, reviewer)
    before = Donation.objects.for_campaign(campaign).summary()
    assert before == {"total": Decimal("1300.00"), "donations": 2, "units": 1, "head_count": 21}

    reversal = review.reverse_donation(gift, "金额录入错误（应为 100.00 元）", reviewer)

    assert reversal.amount == Decimal("-1000.00") and reversal.reverses == gift
    assert (reversal.sector_id, reversal.branch_id, reversal.campaign_id) == (
        gift.sector_id,
        gift.branch_id,
        gift.campaign_id,
    )
    gift.refresh_from_db()
    assert gift.status == Donation.Status.REVERSED and gift.amount == Decimal("1000.00")  # kept as it was
    after = Donation.objects.for_campaign(campaign).summary()
    assert after == {"total": Decimal("300.00"), "donations": 1, "units": 0, "head_count": 1}
    sectors = {row["sector__name"]: row for row in Donation.objects.for_campaign(campaign).totals_by_sector()}
    assert sectors["教育系统"]["total"] == Decimal("0.00") and sectors["教育系统"]["donations"] == 0
    assert [row["public_name"] for row in Donation.objects.for_campaign(campaign).totals_by_donor()] == [
        "王小明"
    ]
    campaign.refresh_from_db()  # the public figures follow (freshness stamp moved)
    assert campaign_figures(campaign).total == Decimal("300.00")
    entry = AuditEntry.objects.get(action="donations.donation.reversed")
    assert entry.data["reason"] == "金额录入错误（应为 100.00 元）" and entry.actor == reviewer


def test_a_reversal_needs_a_confirmed_gift_and_a_reason_and_happens_once(reviewer, gift):
    with pytest.raises(review.ReviewError, match="尚未审核确认"):
        review.reverse_donation(gift, "重复录入", reviewer)
    confirm(gift, reviewer)
    with pytest.raises(review.ReviewError, match="请填写冲正原因"):
        review.reverse_donation(gift, "  ", reviewer)
    review.reverse_donation(gift, "重复录入", reviewer)
    with pytest.raises(review.ReviewError, match="已冲正"):
        review.reverse_donation(gift, "重复录入", reviewer)
    assert Donation.objects.filter(reverses=gift).count() == 1


def test_the_database_refuses_a_negative_gift_that_reverses_nothing(gift):
    with pytest.raises(IntegrityError), transaction.atomic():
        Donation.objects.filter(pk=gift.pk).update(amount=Decimal("-1.00"))


def test_reversing_from_the_admin_asks_for_the_reason(client, reviewer, clerk, gift):
    confirm(gift, reviewer)
    url = reverse("admin:donations_donation_reverse", args=[gift.pk])
    client.force_login(clerk)
    assert "冲正" not in client.get(change_url(gift)).content.decode().split('id="content-main"')[0]
    assert client.get(url).status_code == 403
    client.force_login(reviewer)
    assert 'id="reverse-donation"' in client.get(change_url(gift)).content.decode()
    refused = client.post(url, {"reason": ""})
    assert refused.status_code == 200 and "这个字段是必填项" in refused.content.decode()
    done = client.post(url, {"reason": "捐赠人录错，应为衡阳市二中"}, follow=True)
    assert "已冲正" in done.content.decode()
    assert Donation.objects.get(reverses=gift).reversal_reason == "捐赠人录错，应为衡阳市二中"


def test_the_look_up_says_a_reversed_gift_no_longer_counts(client, settings, reviewer, gift):
    settings.LOOKUP_ANSWER_SECONDS = 0
    review.reverse_donation(confirm(gift, reviewer), "重复录入", reviewer)
    body = client.post(
        reverse("campaigns:lookup"), {"receipt_no": "HY-1", "name": "衡阳市一中", "amount": "", "unit": ""}
    ).content.decode()
    assert "已更正" in body and "不再计入合计" in body and "已计入" not in body


def test_an_honor_roll_shows_the_reversal_of_a_gift_an_earlier_issue_published(
    reviewer, gift, campaign, settings, tmp_path
):
    confirm(gift, reviewer)
    first = campaign_services.publish_honor_roll(
        HonorRollIssue.objects.create(campaign=campaign, number=1, cut_off=datetime.date(2023, 9, 30)), None
    )
    assert first.content["sectors"][0]["units"] == [
        {"name": "衡阳市一中", "amount": "1000.00", "donations": 1}
    ]
    review.reverse_donation(gift, "重复录入", reviewer)
    Donation.objects.filter(reverses=gift).update(received_on=datetime.date(2023, 10, 8))
    # The right gift is entered again: 100 元.
    confirm(
        factories.donation(gift.donor, campaign, "100.00", received_on=datetime.date(2023, 10, 9)), reviewer
    )
    second = campaign_services.publish_honor_roll(
        HonorRollIssue.objects.create(campaign=campaign, number=2, cut_off=datetime.date(2023, 10, 31)), None
    )
    sector = second.content["sectors"][0]
    assert sector["units"] == [{"name": "衡阳市一中", "amount": "100.00", "donations": 1}]
    assert sector["corrections"] == [{"name": "衡阳市一中", "amount": "-1000.00", "issue": "第一期"}]
    assert sector["total"] == "-900.00" and second.content["total"] == "-900.00"
    assert Decimal(second.content["running_total"]) == Decimal("100.00")
    assert Donation.objects.for_campaign(campaign).total() == Decimal("100.00")
    # The same on the issue's page, its CSV and its PDF.
    client = Client()
    page = client.get(reverse("campaigns:honor_roll", args=[second.pk])).content.decode()
    assert "更正" in page and "原列于第一期" in page and "-1,000.00" in page
    csv_text = client.get(reverse("campaigns:honor_roll_csv", args=[second.pk])).content
    assert "更正（冲正此前公布的捐款）,衡阳市一中,,-1000.00" in csv_text.decode("utf-8-sig")
    settings.MEDIA_ROOT = tmp_path
    pdf = tmp_path / "issue.pdf"
    response = client.get(reverse("campaigns:honor_roll_pdf", args=[second.pk]))
    pdf.write_bytes(b"".join(response.streaming_content))
    text = pdf_text(pdf)
    assert "更正" in text and "衡阳市一中（原列于第一期）" in text and "-1,000.00" in text


def test_a_gift_reversed_before_any_issue_listed_it_is_not_shown_at_all(reviewer, gift, campaign):
    review.reverse_donation(confirm(gift, reviewer), "重复录入", reviewer)
    Donation.objects.filter(reverses=gift).update(received_on=datetime.date(2023, 9, 2))
    issue = campaign_services.publish_honor_roll(
        HonorRollIssue.objects.create(campaign=campaign, number=1, cut_off=datetime.date(2023, 9, 30)), None
    )
    assert issue.content["sectors"] == [] and issue.content["total"] == "0.00"
    assert issue.content["donations"] == 0
