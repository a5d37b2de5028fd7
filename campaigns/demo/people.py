"""People: who gives on their own, who gives online, and the staff listed on remittances."""

from donations.models import Donor, RemittanceLine

from . import names
from .split import apportion, split_fen, to_fen, to_yuan

UNIT, PERSON = Donor.Kind.UNIT, Donor.Kind.INDIVIDUAL
GIVERS = {
    "personal_2023": 950,  # give on their own: the 个人 sector
    "personal_2022": 130,  # only in 2022
    "online_2023": 90,  # online gifts not yet assigned to a sector
    "online_2022": 35,
}
RETURNING_PERSONAL_GIVERS = 300  # 2023 givers who also gave in 2022
RETURNING_ONLINE_GIVERS = 15
LINE_UNITS = 75  # units whose remittance lists their staff
MIN_LINE_FEN = 15_000  # a staff line averages at least 150 元 (one day's pay)
ALIASES = ("一位老党员", "雁城爱心人士", "无名氏", "一位退休教师", "衡阳好人")


def create_people(rng, staff_counts):
    """All individuals in one insert: the givers by role, and the staff of each line unit."""
    all_names = iter(names.unique_person_names(sum(GIVERS.values()) + sum(staff_counts.values()), rng))
    people = {role: [person(rng, next(all_names)) for _ in range(n)] for role, n in GIVERS.items()}
    staff = {
        unit_pk: [person(rng, next(all_names), employer_id=unit_pk) for _ in range(n)]
        for unit_pk, n in staff_counts.items()
    }
    people["staff"] = [p for members in staff.values() for p in members]
    Donor.objects.bulk_create([p for group in people.values() for p in group])
    return people, staff


def person(rng, name, employer_id=None):
    draw = rng.random()
    if employer_id is None and draw < 0.05:
        return Donor(kind=PERSON, name=name, display=Donor.Display.ANONYMOUS)
    if employer_id is None and draw < 0.065:
        return Donor(kind=PERSON, name=name, display=Donor.Display.ALIAS, alias=rng.choice(ALIASES))
    return Donor(kind=PERSON, name=name, employer_id=employer_id)


def givers_by_year(rng, people):
    """(personal givers, online givers) of each year; some of 2023's gave in 2022 too."""
    return {
        2023: (people["personal_2023"], people["online_2023"]),
        2022: (
            rng.sample(people["personal_2023"], RETURNING_PERSONAL_GIVERS) + people["personal_2022"],
            rng.sample(people["online_2023"], RETURNING_ONLINE_GIVERS) + people["online_2022"],
        ),
    }


def largest_remittances(plan):
    largest = {}
    for donation in plan.donations:
        current = largest.get(donation.donor.pk)
        if donation.donor.kind == UNIT and (current is None or donation.amount > current.amount):
            largest[donation.donor.pk] = donation
    return largest


def choose_line_units(rng, plan_2023):
    """Units whose 2023 remittance itemises its staff, and how many staff each has."""
    largest = largest_remittances(plan_2023)
    candidates = sorted(pk for pk, d in largest.items() if to_fen(d.amount) >= 2_000_000)
    chosen = sorted(rng.sample(candidates, min(LINE_UNITS, len(candidates))))
    return {pk: min(rng.randint(25, 55), to_fen(largest[pk].amount) // MIN_LINE_FEN) for pk in chosen}


def add_lines(rng, plan, staff):
    """Staff lines on each line unit's largest remittance, adding up to at most its amount.

    The money counts once, in the remittance; lines only say who was in it.
    """
    largest = largest_remittances(plan)
    for unit_pk, members in staff.items():
        remittance = largest.get(unit_pk)
        if remittance is None:
            continue
        if plan.year != 2023:  # some of the staff joined in 2023
            members = members[: len(members) * 9 // 10]
        members = members[: to_fen(remittance.amount) // MIN_LINE_FEN]
        if not members:
            continue
        listed = to_fen(remittance.amount) * rng.randint(60, 100) // 100
        amounts = split_fen(listed, [rng.randint(5, 30) for _ in members], grain=100, minimum_grains=10)
        plan.lines += [
            RemittanceLine(remittance=remittance, donor=p, amount=to_yuan(fen), anonymous=rng.random() < 0.02)
            for p, fen in zip(members, amounts, strict=True)
        ]
        plan.line_counts[id(remittance)] = len(members)


def assign_head_counts(rng, plan):
    """参与人数 on unit remittances, so that the campaign's head count is exactly the target.

    head_count() adds one for each individual giving directly, so those are taken off first.
    """
    remittances = [d for d in plan.donations if d.donor.kind == UNIT]
    direct_givers = {d.donor.pk for d in plan.donations if d.donor.kind == PERSON}
    weights = [to_fen(d.amount) * rng.randint(7, 13) for d in remittances]
    minimums = [plan.line_counts.get(id(d), 1) for d in remittances]
    heads = apportion(plan.head_count - len(direct_givers), weights, minimums)
    for donation, count in zip(remittances, heads, strict=True):
        donation.head_count = count
