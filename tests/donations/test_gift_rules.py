"""One set of rules for a gift, whichever way it comes in (issue #19, 5).

The donation page took a gift dated 2026-12-07 into the 2023 campaign, which the importer
refuses unless told. The rules live in donations/gift_rules.py; each test enters the same bad
gift on the donation add page (as a clerk) and in a file imported from the admin, and expects
the same words from both and nothing saved.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from donations import gift_rules
from donations.importing import ImportFailed, import_file
from donations.importing.options import ADMIN
from donations.models import Donation
from tests import factories
from tests.donations.admin_forms import donation_form
from tests.donations.import_helpers import counts, person_row, unit_row, xlsx

pytestmark = pytest.mark.django_db

OUTSIDE = (
    "捐赠日期 2026-12-07 不在活动“2023年慈善一日捐”期间（2023-08-28 至 2023-12-31）；"
    "如确属本活动，请勾选“允许活动日期以外的捐赠日期”"
)


@pytest.fixture
def school():
    return factories.unit("衡阳市教育局", "教育系统")


def gift(campaign, donor, **fields):
    fields.setdefault("received_on", datetime.date(2023, 9, 1))
    return Donation(campaign=campaign, donor=donor, amount="1000.00", **fields)


def on_the_page(client, new_gift, **changes):
    """The messages the donation add page answers for `new_gift` (nothing may be saved)."""
    before = counts()
    response = client.post(reverse("admin:donations_donation_add"), donation_form(new_gift, **changes))
    assert response.status_code == 200 and counts() == before
    form = response.context_data["adminform"].form
    return [str(m) for messages in form.errors.values() for m in messages]


def in_the_file(campaign, rows, **options):
    """The messages (without row and column) of importing a file of `rows` from the admin."""
    before = counts()
    with pytest.raises(ImportFailed) as failed:
        import_file(xlsx(rows), file_name="捐赠.xlsx", campaign=campaign, interface=ADMIN, **options)
    assert counts() == before
    return [error.message for error in failed.value.errors]


def test_a_date_outside_the_campaign_is_refused_alike(client, clerk, campaign, school):
    """The observed case: 2026-12-07 in the 2023 campaign (the page used to save it)."""
    client.force_login(clerk)
    outside = gift(campaign, school, received_on=datetime.date(2026, 12, 7))
    assert on_the_page(client, outside) == [OUTSIDE]
    assert in_the_file(campaign, [unit_row(捐赠日期="2026-12-07")]) == [OUTSIDE]


def test_a_date_outside_the_campaign_is_accepted_alike_when_allowed_with_a_reason(
    client, clerk, campaign, school
):
    client.force_login(clerk)
    outside = gift(campaign, school, received_on=datetime.date(2026, 12, 7), receipt_no="R-9")
    form = donation_form(outside, allow_outside_dates="on", outside_dates_reason="活动结束后到账")
    response = client.post(reverse("admin:donations_donation_add"), form)
    assert response.status_code == 302
    saved = Donation.objects.get(receipt_no="R-9")
    assert saved.received_on == datetime.date(2026, 12, 7)
    assert saved.outside_dates_reason == "活动结束后到账"
    rows = [unit_row("衡阳市卫健委", 捐赠日期="2026-12-07")]
    batch = import_file(
        xlsx(rows),
        file_name="捐赠.xlsx",
        campaign=campaign,
        interface=ADMIN,
        allow_outside_dates=True,
        outside_dates_reason=" 补录往年数据 ",
    )
    assert batch.outside_dates_allowed and batch.outside_dates_reason == "补录往年数据"
    assert list(batch.donations.values_list("received_on", flat=True)) == [datetime.date(2026, 12, 7)]


NO_REASON = "已选择允许活动日期以外的捐赠日期，但没有写明原因；请在“活动期外日期的原因”中写明为什么计入本活动"


def test_an_outside_date_allowed_without_a_reason_is_refused_alike(client, clerk, campaign, school):
    """Letting a date through is a decision someone must account for: the reason is required."""
    client.force_login(clerk)
    outside = gift(campaign, school, received_on=datetime.date(2026, 12, 7))
    assert on_the_page(client, outside, allow_outside_dates="on", outside_dates_reason="  ") == [NO_REASON]
    rows = [unit_row(捐赠日期="2026-12-07")]
    assert in_the_file(campaign, rows, allow_outside_dates=True, outside_dates_reason=" ") == [NO_REASON]
    with pytest.raises(ImportFailed) as failed:
        import_file(xlsx(rows), file_name="捐赠.xlsx", campaign=campaign, allow_outside_dates=True)
    assert [error.message for error in failed.value.errors] == [
        NO_REASON.replace("请在“活动期外日期的原因”中写明", "请用 --outside-dates-reason 写明")
    ]


def test_a_reason_without_the_checkbox_lets_nothing_through(client, clerk, campaign, school):
    client.force_login(clerk)
    outside = gift(campaign, school, received_on=datetime.date(2026, 12, 7))
    assert on_the_page(client, outside, outside_dates_reason="补录") == [OUTSIDE]
    rows = [unit_row(捐赠日期="2026-12-07")]
    assert in_the_file(campaign, rows, outside_dates_reason="补录") == [OUTSIDE]


def test_an_edit_keeps_a_date_that_was_allowed(client, clerk, campaign, school):
    """A gift stored with an allowed outside date can be edited in other respects."""
    client.force_login(clerk)
    stored = factories.donation(school, campaign, "1000.00", received_on=datetime.date(2024, 1, 5))
    response = client.post(
        reverse("admin:donations_donation_change", args=[stored.pk]), donation_form(stored, note="补录")
    )
    assert response.status_code == 302
    stored.refresh_from_db()
    assert stored.note == "补录"


def test_a_date_after_today_is_refused_alike_even_when_allowed(client, clerk, campaign, school):
    client.force_login(clerk)
    today = timezone.localdate()
    tomorrow = today + datetime.timedelta(days=1)
    message = f"捐赠日期 {tomorrow:%Y-%m-%d} 晚于今天（{today:%Y-%m-%d}）"
    assert gift_rules.after_today(tomorrow, today) == message
    later = gift(campaign, school, received_on=tomorrow)
    assert on_the_page(client, later, allow_outside_dates="on") == [message]
    rows = [unit_row(捐赠日期=tomorrow.isoformat())]
    assert in_the_file(campaign, rows, allow_outside_dates=True) == [message]


def test_a_receipt_number_already_recorded_is_refused_alike(client, clerk, campaign, school):
    client.force_login(clerk)
    factories.donation(school, campaign, "500.00", receipt_no="R-1")
    message = (
        "票据号“R-1”已录入（2023年慈善一日捐，捐赠人 衡阳市教育局）；"
        "不会重复录入或覆盖，如需更正请先撤销原记录"
    )
    again = gift(campaign, school, receipt_no="R-1")
    assert on_the_page(client, again) == [message]
    assert in_the_file(campaign, [unit_row(票据号="R-1")]) == [message]


def test_a_head_count_on_a_persons_gift_is_refused_alike(client, clerk, campaign):
    client.force_login(clerk)
    person = factories.person("王小明")
    counted = gift(campaign, person, head_count=3)
    assert on_the_page(client, counted) == [gift_rules.HEAD_COUNT_ONLY_FOR_UNITS]
    assert in_the_file(campaign, [person_row(参与人数="3")]) == [gift_rules.HEAD_COUNT_ONLY_FOR_UNITS]


def test_the_command_line_names_its_flag(campaign):
    """The same rule, in the command's words: the flag instead of the checkbox."""
    with pytest.raises(ImportFailed) as failed:
        import_file(xlsx([unit_row(捐赠日期="2026-12-07")]), file_name="捐赠.xlsx", campaign=campaign)
    assert [error.message for error in failed.value.errors] == [
        OUTSIDE.replace("请勾选“允许活动日期以外的捐赠日期”", "请在命令行加 --allow-outside-dates")
    ]


def on_the_donor_page(client, **fields):
    """The messages the donor add page answers (nothing may be saved): where a donor's kind is
    chosen in the admin."""
    data = {"kind": "unit", "name": "", "credit_code": "", "display": "real", "alias": "", "note": ""}
    before = counts()
    response = client.post(reverse("admin:donations_donor_add"), data | fields)
    assert response.status_code == 200 and counts() == before
    form = response.context_data["adminform"].form
    return [str(m) for messages in form.errors.values() for m in messages]


def test_a_persons_credit_code_is_refused_alike(client, clerk, campaign):
    client.force_login(clerk)
    code = factories.credit_code()
    message = gift_rules.CREDIT_CODE_ONLY_FOR_UNITS
    assert on_the_donor_page(client, kind="individual", name="王小明", credit_code=code) == [message]
    assert in_the_file(campaign, [person_row(统一社会信用代码=code)]) == [message]


def test_a_units_employer_is_refused_alike(client, clerk, campaign, school):
    client.force_login(clerk)
    message = gift_rules.EMPLOYER_ONLY_FOR_PEOPLE
    assert on_the_donor_page(client, kind="unit", name="衡阳市一中", employer=school.pk) == [message]
    assert in_the_file(campaign, [unit_row("衡阳市一中", 所在单位="衡阳市教育局")]) == [message]


def test_the_page_says_every_broken_rule_at_once(client, clerk, campaign, school):
    client.force_login(clerk)
    elsewhere = factories.branch("市直工委慈善分会第一支部", sector_name="市直工委慈善分会")
    outside = gift(campaign, school, received_on=datetime.date(2026, 12, 7))
    education = factories.sector("教育系统")
    found = on_the_page(client, outside, sector=education.pk, branch=elsewhere.pk)
    assert sorted(found) == sorted(["分会不属于所选版块", OUTSIDE])
