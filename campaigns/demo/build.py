"""Builds the demo data in memory, then writes it with a handful of bulk_create calls.

One random.Random with a fixed seed drives every choice, so two runs give the same data.
"""

import random

from campaigns.models import Campaign
from donations.models import Branch, Donation, Donor, RemittanceLine, Sector
from donations.sectors import INDIVIDUAL_SECTOR
from relief.models import ReliefProject

from . import figures, gifts, names, people, relief
from .early_years import EarlyYears
from .honor import publish_demo_honors
from .news import publish_demo_news
from .organisation import add_organisation_demo
from .site import set_demo_identity
from .split import heavy_tailed_weight

SEED = 20231231


class DemoBuilder:
    def __init__(self, seed=SEED):
        self.rng = random.Random(seed)
        self.unit_names, self.credit_codes = set(), set()

    def build(self):
        """Create everything; returns counts of what was created."""
        rng = self.rng
        self.sectors = {s.name: s for s in Sector.objects.filter(name__in=figures.SECTOR_TOTALS_2023)}
        missing = set(figures.SECTOR_TOTALS_2023) - set(self.sectors)
        if missing:
            raise ValueError("缺少版块（请先运行 migrate）：" + "、".join(sorted(missing)))
        set_demo_identity()
        plans = self.create_campaigns()
        projects = self.create_projects()
        self.branches = self.create_branches()
        units = self.create_units()
        for plan in plans:
            gifts.add_unit_donations(rng, plan, units)
        # Staff lists go on the biggest remittances, so units come before people.
        individuals, staff = people.create_people(rng, people.choose_line_units(rng, plans[0]))
        givers = people.givers_by_year(rng, individuals)
        for plan in plans:
            personal, online = givers[plan.year]
            gifts.add_personal_donations(rng, plan, personal, self.sectors[INDIVIDUAL_SECTOR])
            gifts.add_unassigned(rng, plan, units, online)
        gifts.direct_some_to_projects(rng, plans[0], projects)
        for plan in plans:
            people.add_lines(rng, plan, staff)
            people.assign_head_counts(rng, plan)
            gifts.number_receipts(plan)
        for plan in plans:
            for gift in plan.donations:
                # Both campaigns are over and published: every gift was reviewed long ago.
                gift.status = Donation.Status.CONFIRMED
                gift.confirmed_at = plan.campaign_end_time
        donations = Donation.objects.bulk_create([d for plan in plans for d in plan.donations])
        lines = RemittanceLine.objects.bulk_create([line for plan in plans for line in plan.lines])
        relief.add_relief_demo(projects)
        add_organisation_demo()
        publish_demo_honors(plans[0].campaign)
        publish_demo_news()
        # 2018 and 2019 after everything else, with their own random source: the 2022/2023
        # figures above stay what they were.
        early = EarlyYears(self.branches).build()
        return {
            "campaigns": len(plans) + early["campaigns"],
            "branches": len(self.branches),
            "units": Donor.objects.units().count(),
            "people": sum(len(group) for group in individuals.values()),
            "donations": len(donations) + early["donations"],
            "lines": len(lines),
            "projects": ReliefProject.objects.count(),
        }

    def create_campaigns(self):
        specs = (
            (
                figures.CAMPAIGN_2023,
                figures.SECTOR_TOTALS_2023,
                figures.UNASSIGNED_2023,
                figures.HEAD_COUNT_2023,
            ),
            (
                figures.CAMPAIGN_2022,
                figures.SECTOR_TOTALS_2022,
                figures.UNASSIGNED_2022,
                figures.HEAD_COUNT_2022,
            ),
        )
        return [
            gifts.CampaignPlan(Campaign.objects.create(kind=Campaign.Kind.ONE_DAY, **spec), *numbers)
            for spec, *numbers in specs
        ]

    def create_projects(self):
        projects = ReliefProject.objects.bulk_create(
            ReliefProject(year=2023, **spec) for spec in figures.RELIEF_PROJECTS
        )
        return {p.name: p for p in projects}

    def create_branches(self):
        branches = {}
        for sector, name, parent in names.BRANCHES:  # parents come before their children
            branches[sector, name] = Branch.objects.create(
                sector=self.sectors[sector], name=name, parent=branches.get((sector, parent))
            )
        return branches

    def create_units(self):
        units = []
        for group in names.UNIT_GROUPS:
            for index, name in enumerate(names.unit_names(group, self.rng, self.unit_names)):
                donor = Donor(
                    kind=Donor.Kind.UNIT,
                    name=name,
                    credit_code=names.credit_code(name, self.rng, self.credit_codes),
                    sector=self.sectors[group.sector],
                    branch=self.branches.get((group.sector, group.branch)),
                    contact_person=names.person_name(self.rng),
                    phone=f"0734-8{self.rng.randint(100000, 999999)}",
                    address=self.address(name),
                )
                years = self.unit_years(group, index)
                units.append(gifts.DemoUnit(donor, heavy_tailed_weight(self.rng), years))
        Donor.objects.bulk_create([u.donor for u in units])
        return units

    def unit_years(self, group, index):
        if index >= group.in_2023:
            return {2022}
        # Most 2023 units gave in 2022 too; the first of each group always did, so every sector
        # has 2022 units to spread its 2022 figure over.
        return {2023, 2022} if index == 0 or self.rng.random() < 0.96 else {2023}

    def address(self, name):
        district = next((d for d in names.DISTRICTS if d in name), None)
        district = district or self.rng.choice(names.URBAN_DISTRICTS)
        return f"衡阳市{district}区{self.rng.choice(names.STREETS)}{self.rng.randint(1, 300)}号"
