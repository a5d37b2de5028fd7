"""What of the people helped may reach the public, decided in one place.

The rule (PIPL art. 28: health data and minors' data are sensitive personal information; the
360Giving standard for grants to individuals takes the same line: no names, location only at a
coarse level, nothing that identifies a person in sensitive categories):

- a beneficiary's name only masked (charity.text.mask_name: 王*明), never any part of an identity
  number, the district only, never any health detail;
- no list at all where even a masked name is too much: minors (by the birth date in the identity
  number, on the day the list is published, or marked as such) and mental-health care (the
  beneficiary's group or the project's category). There the public sees people and amounts per
  district.
"""

from django.db.models import Count, F

from charity.money import money_sum, to_yuan
from charity.text import mask_name

from .models import Beneficiary, DisbursementShare, District

# Lists follow the districts' official order (District), not the code points of their names.
DISTRICT_ORDER = {value: i for i, value in enumerate(District.values)}

SENSITIVE_GROUPS = {Beneficiary.Group.CHILD, Beneficiary.Group.MENTAL_HEALTH}
WITHHELD_REASON = "涉及未成年人或精神卫生服务对象，依法不公开名单，仅公开各县市区人数和金额。"


def never_listed(beneficiary, project, on):
    return (
        project.names_are_never_listed or beneficiary.group in SENSITIVE_GROUPS or beneficiary.is_minor_on(on)
    )


def public_recipients(disbursements, project, on):
    """(listed rows, per-district rows) of the shares of these disbursements, as the public may see them.

    listed: [{"name": 王*明, "district", "amount"}] by district (in District order) and masked name;
    districts: [{"district", "people", "amount"}] for everyone who is never listed.
    Who is never listed is decided per person in Python (a minor is known only from the decrypted
    identity number); the sums are the database's.
    """
    shares = DisbursementShare.objects.filter(disbursement__in=disbursements)
    people = Beneficiary.objects.filter(shares__in=shares).distinct()
    hidden = [person.pk for person in people if never_listed(person, project, on)]
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
