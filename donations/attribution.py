"""Where a gift is counted: the one rule for a donation's sector (版块) and branch (分会).

Every entry path calls `counted_in`: the admin and scripts through `Donation.save()`, the importer
(which writes with COPY and never calls save) through `donations.importing.validation`. The rule
is written down for staff in docs/staff/attribution.md; change both together.

Sector, first that applies:
1. the sector given with the gift (the admin's 计入版块, the file's 版块; 未分配 in a file says
   "not assigned yet" on purpose and is kept as no sector);
2. the sector of the branch given with the gift;
3. the donor's own sector;
4. for a person who works for a unit (所在单位): the unit's sector, or none while the unit has none,
   so the person's money waits with the unit's;
5. for a person giving on their own: 个人;
6. otherwise none: money not yet assigned, shown as its own line in every total.

Branch, first that applies, and only ever a branch of the sector as counted:
1. the branch given with the gift;
2. the donor's own branch;
3. for a person who works for a unit: the unit's branch.

Sector and branch are then fixed on the donation, so moving a donor later does not rewrite past
years' comparisons.
"""

from typing import NamedTuple

# Stands for 未分配 given on purpose, as opposed to nothing given.
UNASSIGNED = "unassigned"


class Placement(NamedTuple):
    """What the rule needs to know of a donor: its own and its unit's sector and branch.

    A NamedTuple, not a dataclass: an import builds one per donor, tens of thousands at a time.
    """

    kind: str
    sector_id: int | None = None
    branch_id: int | None = None
    branch_sector_id: int | None = None
    has_employer: bool = False
    employer_sector_id: int | None = None
    employer_branch_id: int | None = None
    employer_branch_sector_id: int | None = None


# The columns of a Donor row that placements_from() reads, in this order.
DONOR_COLUMNS = ("kind", "sector_id", "branch_id", "employer_id")


def placements_from(donors, branch_sectors, keys):
    """{key: Placement} for `keys`, from {donor key: DONOR_COLUMNS row} (their units included).

    Keys are whatever the caller uses (the importer: database ids and its refs for new donors);
    `branch_sectors` is {branch id: sector id}.
    """
    found = {}
    for key in keys:
        kind, sector, branch, employer = donors[key]
        unit = donors.get(employer) if employer is not None else None
        if unit is None:
            found[key] = Placement(kind, sector, branch, branch_sectors.get(branch), employer is not None)
        else:
            found[key] = Placement(
                kind,
                sector,
                branch,
                branch_sectors.get(branch),
                True,
                unit[1],
                unit[2],
                branch_sectors.get(unit[2]),
            )
    return found


def placement_of(donor):
    """The Placement of one donor instance (unsaved ones included)."""
    branch = donor.branch if donor.branch_id else None
    employer = donor.employer if donor.employer_id else None
    employer_branch = employer.branch if employer is not None and employer.branch_id else None
    return Placement(
        kind=donor.kind,
        sector_id=donor.sector_id,
        branch_id=donor.branch_id,
        branch_sector_id=branch.sector_id if branch else None,
        has_employer=employer is not None,
        employer_sector_id=employer.sector_id if employer else None,
        employer_branch_id=employer.branch_id if employer else None,
        employer_branch_sector_id=employer_branch.sector_id if employer_branch else None,
    )


def counted_in(placement, *, personal_sector, sector_id=None, branch_id=None, branch_sector_id=None):
    """(sector id, branch id) a gift counts in; see the module's docstring for the rule.

    `sector_id` is the sector given with the gift (None: not given; UNASSIGNED: 未分配 on purpose),
    `branch_id` and `branch_sector_id` the branch given and its sector.
    """
    if sector_id == UNASSIGNED:
        return None, None
    if sector_id is None:
        sector_id = branch_sector_id if branch_id is not None else _sector_of(placement, personal_sector)
    if branch_id is not None:
        return sector_id, branch_id
    if sector_id is None:
        return None, None
    if placement.branch_id is not None and placement.branch_sector_id == sector_id:
        return sector_id, placement.branch_id
    if (
        placement.kind == "individual"
        and placement.employer_branch_id is not None
        and placement.employer_branch_sector_id == sector_id
    ):
        return sector_id, placement.employer_branch_id
    return sector_id, None


def _sector_of(placement, personal_sector):
    if placement.sector_id is not None:
        return placement.sector_id
    if placement.kind != "individual":
        return None
    if placement.has_employer:
        return placement.employer_sector_id
    return personal_sector


def needs_personal_sector(placement):
    """Whether counted_in may need 个人 for this donor (saves a query on most saves)."""
    return placement.kind == "individual" and placement.sector_id is None and not placement.has_employer
