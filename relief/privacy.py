"""What of the people helped may reach the public, decided in one place.

The rule (PIPL art. 28: health data and minors' data are sensitive personal information; the
360Giving standard for grants to individuals takes the same line: no names, location only at a
coarse level, nothing that identifies a person in sensitive categories):

- a beneficiary's name only masked (charity.text.mask_name: 王*明), never any part of an identity
  number, the district only, never any health detail;
- no list at all where even a masked name is too much: minors (by the birth date in the identity
  number, on the day the list is published, or marked as such) and mental-health care (the
  beneficiary's group or the project's category), and whoever asked not to be named
  (Beneficiary.name_withheld). There the public sees people and amounts per district.

What is not listed still has to add up: unlisted_lines gives the 人次 and 元 of everyone not on
the list, grouped by why, and of the spending no person was registered for, so that the list plus
these lines equals the disclosure's stated totals. A reason group of fewer than
MIN_GROUP_PEOPLE people would point at them (two minors in a small district's list of a village
project), so then every withheld reason is merged into one line, WITHHELD_TOGETHER.
"""

from django.db.models import Count, F

from charity.money import money_sum, to_yuan
from charity.text import mask_name

from .models import Beneficiary, DisbursementShare, District

# Lists follow the districts' official order (District), not the code points of their names.
DISTRICT_ORDER = {value: i for i, value in enumerate(District.values)}

SENSITIVE_GROUPS = {Beneficiary.Group.CHILD, Beneficiary.Group.MENTAL_HEALTH}
WITHHELD_REASON = (
    "涉及未成年人、精神卫生服务对象或本人要求不公开姓名的受助人，不公开名单，仅公开各县市区人数和金额。"
)


# Why a person is not listed, in the order the reasons are checked and shown. The first that
# applies is the person's only reason, so no one is counted twice.
MENTAL_HEALTH = "精神卫生服务对象"
MINOR = "未成年人"
ASKED = "本人要求不公开姓名"
WITHHELD_TOGETHER = "依法不予公开（未成年人、精神卫生、本人要求等）"
NOT_REGISTERED = "未逐人登记的受助（支出只登记了人次和金额）"
NOT_MATCHING = "支出登记的人次或金额与受助明细之差（待核对）"
MIN_GROUP_PEOPLE = 3


def withheld_reason(beneficiary, project, on):
    """Why the public may not see this person's name, even masked; None when it may."""
    if project.names_are_never_listed or beneficiary.group == Beneficiary.Group.MENTAL_HEALTH:
        return MENTAL_HEALTH
    if beneficiary.group == Beneficiary.Group.CHILD or beneficiary.is_minor_on(on):
        return MINOR
    if beneficiary.name_withheld:
        return ASKED
    return None


def never_listed(beneficiary, project, on):
    return withheld_reason(beneficiary, project, on) is not None


def public_recipients(disbursements, project, on):
    """(listed rows, per-district rows) of the shares of these disbursements, as the public may see them.

    listed: [{"name": 王*明, "district", "amount"}] by district (in District order) and masked name;
    districts: [{"district", "people", "amount"}] for everyone who is never listed.
    Who is never listed is decided per person in Python (a minor is known only from the decrypted
    identity number); the sums are the database's.
    """
    shares = DisbursementShare.objects.filter(disbursement__in=disbursements)
    hidden = [pk for pks in withheld_people(shares, project, on).values() for pk in pks]
    listed = (
        shares.exclude(beneficiary__in=hidden)
        .values("beneficiary_id", "beneficiary__name", "beneficiary__district")
        .annotate(amount=money_sum())
        .order_by()
    )
    rows = sorted(
        (
            {
                "name": mask_name(r["beneficiary__name"]),
                "district": r["beneficiary__district"],
                "amount": to_yuan(r["amount"]),
            }
            for r in listed
        ),
        key=lambda r: (DISTRICT_ORDER.get(r["district"], 99), r["name"]),
    )
    districts = sorted(
        (
            {**row, "amount": to_yuan(row["amount"])}
            for row in shares.filter(beneficiary__in=hidden)
            .values(district=F("beneficiary__district"))
            .annotate(people=Count("beneficiary", distinct=True), amount=money_sum())
            .order_by()
        ),
        key=lambda r: DISTRICT_ORDER.get(r["district"], 99),
    )
    return rows, districts


def withheld_people(shares, project, on):
    """{reason: [beneficiary pk, ...]} of the people of these shares who are never listed."""
    found = {}
    for person in Beneficiary.objects.filter(shares__in=shares).distinct().order_by("pk"):
        reason = withheld_reason(person, project, on)
        if reason is not None:
            found.setdefault(reason, []).append(person.pk)
    return found


def unlisted_lines(disbursements, project, on):
    """(listed, lines): the 人次 and 元 of the masked list, and the lines of what it leaves out.

    listed: {"people": 人次, "amount"}; lines: [{"label": why, "people": 人次, "amount"}], withheld
    reasons first, then the spending not registered to any person (the stated totals less every
    share). Listed plus every line equals the stated totals to the fen and the 人次. Counts only,
    never a name: this is what the public page and downloads add up.
    """
    shares = DisbursementShare.objects.filter(disbursement__in=disbursements)
    by_reason = withheld_people(shares, project, on)
    if any(len(pks) < MIN_GROUP_PEOPLE for pks in by_reason.values()):
        # A small group named by its reason says "these two are minors"; merged, it says only
        # that some of the people were withheld for one of the reasons the law gives.
        by_reason = {WITHHELD_TOGETHER: [pk for pks in by_reason.values() for pk in pks]}
    hidden = [pk for pks in by_reason.values() for pk in pks]
    listed = _people_and_amount(shares.exclude(beneficiary__in=hidden))
    lines = [
        {"label": reason, **_people_and_amount(shares.filter(beneficiary__in=pks))}
        for reason, pks in by_reason.items()
    ]
    registered = _people_and_amount(shares)
    stated_people = disbursements.people_helped()
    stated_amount = to_yuan(disbursements.total())
    rest = {"people": stated_people - registered["people"], "amount": stated_amount - registered["amount"]}
    if rest["people"] or rest["amount"]:
        fits = rest["people"] >= 0 and rest["amount"] >= 0
        lines.append({"label": NOT_REGISTERED if fits else NOT_MATCHING, **rest})
    return listed, lines


def _people_and_amount(shares):
    """人次 (one per share: a person helped twice counts twice, as 受助人次 does) and 元."""
    row = shares.aggregate(people=Count("id"), amount=money_sum())
    return {"people": row["people"], "amount": to_yuan(row["amount"])}
