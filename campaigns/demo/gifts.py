"""The donations of one campaign: unit remittances, personal gifts, unassigned money.

Amounts come from splitting the campaign's exact figures (figures.py) in integer fen.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from campaigns.models import Campaign
from donations.models import Donation, Donor
from donations.sectors import INDIVIDUAL_SECTOR

from .split import heavy_tailed_weight, split_fen, to_fen, to_yuan

UNIT = Donor.Kind.UNIT
Channel = Donation.Channel
UNASSIGNED_UNIT_REMITTANCES = {2023: 2, 2022: 1}
# Directed gifts (定向捐) go mostly to the project closest to the giver's sector.
PROJECT_AFFINITY = {
    "高校系统": "情暖回家路",
    "教育系统": "情暖回家路",
    "卫健系统": "慈善光明行",
    "民政系统": "慈康项目",
    "住建系统": "贫困灾民住房保障",
    "金融系统": "慈惠民生保险",
}


@dataclass
class DemoUnit:
    donor: Donor
    size: int  # stays the same across years, so big givers stay big
    years: set


@dataclass
class CampaignPlan:
    """One campaign's donations and staff lines, built in memory before one bulk insert."""

    campaign: Campaign
    sector_totals: dict
    unassigned: Decimal
    head_count: int
    donations: list = field(default_factory=list)
    lines: list = field(default_factory=list)
    line_counts: dict = field(default_factory=dict)  # id(remittance) → number of lines

    @property
    def year(self):
        return self.campaign.year

    @property
    def campaign_end_time(self):
        end = self.campaign.end_date
        return timezone.make_aware(datetime.datetime(end.year, end.month, end.day, 18))


def add_unit_donations(rng, plan, units):
    by_sector = {}
    for unit in units:
        if plan.year in unit.years:
            by_sector.setdefault(unit.donor.sector.name, []).append(unit)
    for sector_name, members in by_sector.items():
        weights = [unit.size * rng.randint(80, 120) for unit in members]
        # Whole 10 元 amounts, at least 300 元 a unit.
        total = to_fen(plan.sector_totals[sector_name])
        for unit, amount in zip(members, split_fen(total, weights, 1000, minimum_grains=30), strict=True):
            for part in tranches(rng, amount):
                plan.donations.append(unit_donation(rng, plan, unit.donor, part))


def tranches(rng, amount):
    """Most units remit once; some send two or three transfers."""
    count = min(rng.choices((1, 2, 3), (78, 18, 4))[0], max(1, amount // 100_000))
    return split_fen(amount, [rng.randint(1, 4) for _ in range(count)], grain=1000, minimum_grains=10)


def unit_donation(rng, plan, donor, fen, assigned=True):
    anonymous = donor.sector.name in ("民营企业", "常务理事单位") and rng.random() < 0.03
    return Donation(
        donor=donor,
        campaign=plan.campaign,
        sector=donor.sector if assigned else None,
        branch=donor.branch if assigned else None,
        amount=to_yuan(fen),
        received_on=campaign_day(rng, plan.campaign, late=True),
        channel=rng.choices((Channel.BANK, Channel.CASH, Channel.OTHER), (92, 6, 2))[0],
        anonymous=anonymous,
        note="" if assigned else "版块待核定",
    )


def person_donation(rng, plan, person, fen, sector):
    online = sector is None
    if online:
        channel = rng.choices((Channel.WECHAT, Channel.ALIPAY), (7, 3))[0]
    elif fen >= 1_000_000:
        channel = Channel.BANK
    else:
        channel = rng.choices((Channel.WECHAT, Channel.ALIPAY, Channel.CASH), (45, 20, 35))[0]
    return Donation(
        donor=person,
        campaign=plan.campaign,
        sector=sector,
        amount=to_yuan(fen),
        received_on=campaign_day(rng, plan.campaign, late=False),
        channel=channel,
        anonymous=rng.random() < 0.04,
        note="线上捐款，待归入版块" if online else "",
    )


def add_personal_donations(rng, plan, givers, sector):
    """The 个人 sector: people giving on their own, some more than once."""
    gifts = [p for p in givers for _ in range(rng.choices((1, 2, 3), (88, 10, 2))[0])]
    # A long tail times a spread factor: many gifts of 50-500 元, a few of several 万元.
    weights = [heavy_tailed_weight(rng, 1.16, cap=300) * rng.choice((1, 2, 5, 10, 10, 20)) for _ in gifts]
    amounts = split_fen(to_fen(plan.sector_totals[INDIVIDUAL_SECTOR]), weights, 1000, minimum_grains=2)
    plan.donations += [
        person_donation(rng, plan, p, fen, sector) for p, fen in zip(gifts, amounts, strict=True)
    ]


def add_unassigned(rng, plan, units, online_givers):
    """Money not yet assigned to a sector: a few unit remittances and the online gifts."""
    pool = [u.donor for u in units if plan.year in u.years]
    unit_donors = rng.sample(pool, UNASSIGNED_UNIT_REMITTANCES[plan.year])
    weights = [rng.randint(60_000, 90_000) for _ in unit_donors]
    weights += [heavy_tailed_weight(rng, alpha=1.5, cap=20) // 2 for _ in online_givers]
    amounts = split_fen(to_fen(plan.unassigned), weights, grain=100, minimum_grains=10)
    for donor, fen in zip(unit_donors + online_givers, amounts, strict=True):
        if donor.kind == UNIT:
            plan.donations.append(unit_donation(rng, plan, donor, fen, assigned=False))
        else:
            plan.donations.append(person_donation(rng, plan, donor, fen, None))


def direct_some_to_projects(rng, plan, projects):
    for donation in plan.donations:
        if donation.sector is None or rng.random() >= 0.05:
            continue
        name = PROJECT_AFFINITY.get(donation.sector.name)
        if name is None or rng.random() < 0.3:
            name = rng.choice(sorted(projects))
        donation.project = projects[name]
        donation.note = f"定向捐赠：{name}"


def campaign_day(rng, campaign, late):
    """A date inside the campaign; unit remittances crowd into its last weeks."""
    span = (campaign.end_date - campaign.start_date).days
    x = rng.random()
    if late:
        x = 1 - (1 - x) ** 2
    return campaign.start_date + datetime.timedelta(days=round(x * span))


def number_receipts(plan):
    plan.donations.sort(key=lambda d: d.received_on)  # stable: same-day order is creation order
    for number, donation in enumerate(plan.donations, start=1):
        donation.receipt_no = f"HY{plan.year}-{number:06d}"
