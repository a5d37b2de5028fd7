"""The rules one gift must meet, however it arrives: typed on the donation page or read from a file.

Issue #19, 5: the donation page took a gift dated 2026-12-07 into the 2023 campaign that the
importer would have refused. The predicates and their Chinese messages live here; two callers
use them:

- Donation.clean() (the donation page, and any script that validates), one gift at a time;
- the importer (donations/importing/validation.py), which judges whole columns at once, each
  distinct date once, and adds its own row and column to the same words.

The rules:

1. the date is not later than today;
2. the date lies within the campaign's start and end, unless whoever enters it says it belongs
   there all the same (the importer's option “允许活动日期以外的捐赠日期”, the page's checkbox
   of the same name), e.g. a late transfer or last year's data entered again, and says why
   (“活动期外日期的原因”, kept with the gift or the import batch);
3. a receipt number is one gift: one already recorded is refused, never overwritten;
4. only a unit's remittance has a head count (参与人数);
5. only a unit has a credit code, only a person an employer (所在单位): Donor.clean() on the donor
   page, the importer on each row.

The staff-list rules are donations/staff_lists.py, the sector and branch rule
donations/attribution.py.
"""

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.utils import timezone

HEAD_COUNT_ONLY_FOR_UNITS = "参与人数只用于单位汇款"
# The donor kind's rules, Donor.clean()'s on the donor page and the importer's on a row.
CREDIT_CODE_ONLY_FOR_UNITS = "个人捐赠人没有统一社会信用代码"
EMPLOYER_ONLY_FOR_PEOPLE = "单位捐赠人不填写所在单位（所在单位只用于个人）"


def after_today(day, today):
    """None, or why a gift cannot be dated `day` when it is `today`."""
    if day is None or day <= today:
        return None
    return f"捐赠日期 {day:%Y-%m-%d} 晚于今天（{today:%Y-%m-%d}）"


def outside_campaign(day, campaign, how_to_allow):
    """None, or why `day` does not belong to `campaign`; `how_to_allow` names the checkbox or flag
    that lets it through (options.turn_on), in the words of the screen the clerk is using."""
    if day is None or campaign.start_date <= day <= campaign.end_date:
        return None
    return (
        f"捐赠日期 {day:%Y-%m-%d} 不在活动“{campaign.name}”期间"
        f"（{campaign.start_date:%Y-%m-%d} 至 {campaign.end_date:%Y-%m-%d}）；"
        f"如确属本活动，{how_to_allow}"
    )


def reason_missing(how_to_fill):
    """Why an outside date let through with no reason is refused; `how_to_fill` names the field."""
    return f"已选择允许活动日期以外的捐赠日期，但没有写明原因；{how_to_fill}为什么计入本活动"


def receipt_taken(receipt_no, campaign_name, donor_name):
    """Why a receipt number already recorded (for `donor_name`, in `campaign_name`) is refused."""
    return (
        f"票据号“{receipt_no}”已录入（{campaign_name}，捐赠人 {donor_name}）；"
        "不会重复录入或覆盖，如需更正请先撤销原记录"
    )


def check_gift(gift, *, allow_outside_dates=False):
    """Raise ValidationError (by field) when `gift`, a Donation, breaks a rule above.

    A gift already stored is judged on the date and campaign again only when either changed, so
    one imported with outside dates allowed can still be edited in other respects.
    """
    errors = {}
    campaign = _related(gift, "campaign")
    day = gift.received_on
    if day is not None:
        message = after_today(day, timezone.localdate())
        if message is None and campaign is not None and _date_changed(gift):
            # The importing package reads the models; its options module does not.
            from donations.importing.options import (
                ADMIN,
                ALLOW_OUTSIDE_DATES,
                OUTSIDE_DATES_REASON,
                fill_in,
                turn_on,
            )

            message = outside_campaign(day, campaign, turn_on(ALLOW_OUTSIDE_DATES, ADMIN))
            if message and allow_outside_dates:
                has_reason = bool((gift.outside_dates_reason or "").strip())
                message = None if has_reason else reason_missing(fill_in(OUTSIDE_DATES_REASON, ADMIN))
        if message:
            errors["received_on"] = message
    if gift.receipt_no:
        taken = (
            type(gift)
            ._base_manager.filter(receipt_no=gift.receipt_no)
            .exclude(pk=gift.pk)
            .values_list("campaign__name", "donor__name")
            .first()
        )
        if taken:
            errors["receipt_no"] = receipt_taken(gift.receipt_no, *taken)
    donor = _related(gift, "donor")
    if gift.head_count is not None and donor is not None and donor.kind != donor.Kind.UNIT:
        errors["head_count"] = HEAD_COUNT_ONLY_FOR_UNITS
    if errors:
        raise ValidationError(errors)


def _date_changed(gift):
    if gift.pk is None:
        return True
    stored = type(gift)._base_manager.filter(pk=gift.pk).values_list("received_on", "campaign_id").first()
    return stored != (gift.received_on, gift.campaign_id)


def _related(obj, name):
    try:
        return getattr(obj, name)
    except ObjectDoesNotExist:  # not chosen (yet), or a choice the form refused
        return None
