"""Demo data for 2018 and 2019: the 2019 work summary's statements, from the ledger.

The 2019 summary (/work/shared/reference/000_e93625ab6cf8c4a4.txt) states the year's money, its
branches, the 住建 sub-groups and the relief projects against 2018; this module makes gifts and
spending whose sums are those statements wherever they are consistent. docs/report-seed-2019.md
lists each statement, the figure the demo gives and, where the seed does not reconcile, why.

Amounts are split among units with the demo's integer splitting (split.py), so every total comes
out to the fen; units are the demo's own (those of 2022/2023 of the same sector and branch), with
more invented where the summary counts more units than the later years have (住建: 207).
Its own random.Random, so the 2022/2023 figures drawn before it do not move.
"""

import datetime
import random
from decimal import Decimal

from campaigns.models import Campaign
from donations.models import Branch, Donation, Donor, Sector
from relief.models import Disbursement, ProjectYear, ReliefProject

from . import names
from .figures import DEMO_MARKER, wan
from .split import heavy_tailed_weight, split_fen, to_fen, to_yuan

SEED = 20191231
D = datetime.date
ONE_DAY_2018 = "2018年慈善一日捐"
ONE_DAY_2019 = "2019年抗洪救灾暨慈善一日捐"

# name: (kind, year, start, end)
CAMPAIGNS = {
    ONE_DAY_2018: (Campaign.Kind.ONE_DAY, 2018, D(2018, 8, 27), D(2018, 12, 31)),
    ONE_DAY_2019: (Campaign.Kind.ONE_DAY, 2019, D(2019, 7, 10), D(2019, 12, 31)),
    "2019年扶贫日募捐": (Campaign.Kind.GENERAL, 2019, D(2019, 10, 17), D(2019, 10, 31)),
    "2019年习酒慈善义卖": (Campaign.Kind.CHARITY_SALE, 2019, D(2019, 5, 18), D(2019, 5, 18)),
    "2019年书协慈善义卖": (Campaign.Kind.CHARITY_SALE, 2019, D(2019, 9, 5), D(2019, 9, 5)),
    "2019年房协慈善义卖": (Campaign.Kind.CHARITY_SALE, 2019, D(2019, 11, 20), D(2019, 11, 20)),
}

# The 13 branches of the one-day campaign: (sector, branch, 2018 万元, 2019 万元, of which given
# directly to the flood area in 2019, units 2018, units 2019). 12 rose, by 404.49万元 together
# ("增加400余万元"); 祁商会慈善分会 fell.
BRANCHES = [
    ("市直工委慈善分会", "市直工委慈善分会", "382.32", "493.52", "100", 100, 110),
    ("公安系统", "公安局慈善分会", "23.26", "33.72", "0", 36, 42),
    ("国资系统", "国资委慈善分会", "400", "425.3", "150", 40, 45),
    ("卫健系统", "卫健系统慈善分会", "50", "65.2", "0", 20, 25),
    ("民营企业", "王一集团分会", "30", "40", "0", 5, 6),
    ("祁商会慈善分会", "祁商会慈善分会", "8", "7.2", "0", 12, 10),
    ("民政系统", "民政局慈善分会", "121.18", "145.61", "50", 18, 20),
    ("高校系统", "高校慈善分会", "27.14", "132.96", "58.15", 6, 8),
    ("教育系统", "教育局慈善分会", "40", "52.4", "0", 50, 60),
    ("司法系统", "政法委慈善分会", "30", "38.6", "0", 12, 15),
    ("金融系统", "金融系统慈善分会", "30", "36.5", "0", 20, 25),
    ("人社系统", "人社局慈善分会", "8", "11.1", "0", 6, 8),
]
HOUSING = "市住建局慈善分会"  # the 13th, made of its sub-groups below
# 住建's sub-groups: (branch, 2018 万元, 2019 万元, units 2018, units 2019, names for more units)
HOUSING_GROUPS = [
    ("局属单位", "20", "29.49", 8, 10, None),
    ("施工企业", "24", "46.72", 30, 60, names.CONSTRUCTION),
    ("房地产开发企业", "18", "29.29", 25, 50, names.DEVELOPERS),
    ("物业协会", "7.36", "12.64", 17, 30, names.PROPERTY),
    ("混凝土协会", "5", "16.39", 12, 20, names.CONCRETE),
    ("勘察设计企业", "0", "2.5", 0, 10, names.Companies(industries=("勘察设计", "工程勘察", "建筑设计"))),
    ("造价咨询企业", "0", "2.65", 0, 8, names.Companies(industries=("工程造价咨询", "工程咨询"))),
    ("招标代理公司", "0", "2.9", 0, 8, names.Companies(industries=("招标代理", "工程项目管理"))),
    ("装饰装修行业协会", "0", "3.26", 0, 11, names.Companies(industries=("装饰", "装饰设计工程"))),
]
HOUSING_PEOPLE = ("0.4", "0.6")  # 住建's "个人0.6万元": people counted in 住建, in no sub-group

# Units in no branch: (sector, 2018 万元, 2019 万元, units 2018, units 2019)
OTHER_UNITS = [
    ("部队系统", "30", "20", 8, 8),
    ("常务理事单位", "60", "40", 15, 15),
    ("民营企业", "137.34", "25", 40, 30),
    ("民宗系统", "5", "0", 5, 0),
    ("市场监督管理系统", "15", "10", 10, 10),
    ("文旅广系统", "10", "6", 8, 8),
    ("社会组织", "8", "5", 10, 10),
    ("高新区", "45", "10", 15, 15),
    ("松木经开区", "12", "4.64", 10, 10),
    ("民主党派", "3", "0", 5, 0),
]
PEOPLE = ("150", "120", 400, 350)  # 个人: 2018 万元, 2019 万元, people 2018, people 2019
# Named gifts of 2019's one-day campaign: (sector, unit, 万元, given directly)
NAMED_2019 = [
    ("民营企业", "广东省湖南衡阳商会", "26.8", False),  # 首次主动参与
    ("民营企业", "外地在衡商会（工商联系统联系）", "148.85", True),  # 向灾区直接捐款
    ("民宗系统", "南岳道教协会", "1", False),
    ("民宗系统", "南岳道缘慈善基金会", "1", False),
    ("民宗系统", "天主教爱国会", "0.1", False),
    ("民宗系统", "基督教三自爱国会", "0.2", False),
    ("民宗系统", "伊斯兰教协会", "0.1", False),
    ("民宗系统", "市佛教协会", "1", False),
]
# The year's other campaigns: (campaign, sector, unit or None for the sector's units, 万元, units)
OTHER_CAMPAIGNS = [
    ("2019年扶贫日募捐", "常务理事单位", None, "432", 15),
    ("2019年习酒慈善义卖", "民营企业", "衡阳习酒营销有限公司", "5", 1),
    ("2019年书协慈善义卖", "社会组织", "衡阳市书法家协会", "3.26", 1),
    ("2019年房协慈善义卖", "社会组织", "衡阳市房地产业协会", "23.5", 1),
]

# Relief spending: project: (category, {year: [(万元, people, funds year or None)]}). 29 projects
# in 2019 spending 2582.37万元, 10 in 2018 spending 1782.37万元 (800万元 less); 137.61万元 of
# 2019's is 2018's money. The first eight are the demo's 2023 projects, run over several years.
RELIEF = {
    "慈惠民生保险": ("insurance", {2018: [("600", 1150000, None)], 2019: [("600", 1200000, None)]}),
    "慈善光明行": ("medical", {2018: [("20.4", 100, None)], 2019: [("100", 500, None)]}),
    "慈康项目": ("mental_health", {2018: [("12.9", 85, None)], 2019: [("133.26", 967, None)]}),
    "春风行动": ("poverty", {2018: [("10", 30, None)], 2019: [("23", 60, None)]}),
    "贫困灾民住房保障": (
        "housing",
        {2018: [("300", 600, None)], 2019: [("137.61", 150, 2018), ("62.39", 250, None)]},
    ),
    "贫困家庭无障碍助残工程": ("disability", {2019: [("89.6", 320, None)]}),
    "情暖回家路": ("education", {2019: [("15", 600, None)]}),
    "肾友血透": ("medical", {2019: [("50", 120, None)]}),
    "大病医疗救助": ("medical", {2018: [("250", 1200, None)], 2019: [("180", 900, None)]}),
    "一对一助学": ("education", {2018: [("60", 1000, None)], 2019: [("60", 1000, None)]}),
    "精准扶贫产业帮扶": ("poverty", {2018: [("300", 400000, None)], 2019: [("150", 480000, None)]}),
    "城乡困难群众临时救助": ("poverty", {2018: [("100", 5000, None)], 2019: [("60", 3000, None)]}),
    "金秋助学": ("education", {2018: [("129.07", 2000, None)], 2019: [("40", 800, None)]}),
    "花垣县对口扶贫": ("poverty", {2019: [("40", 2000, None)]}),
    "抗洪救灾": ("disaster", {2019: [("400", 300000, None)]}),
    "九九重阳敬老": ("elderly", {2019: [("30", 3000, None)]}),
    "关爱抗战老兵": ("elderly", {2019: [("30", 150, None)]}),
    "关爱困难军人家庭": ("poverty", {2019: [("25", 250, None)]}),
    "暖心工程·关爱失独家庭": ("elderly", {2019: [("20", 400, None)]}),
    "阳光敬老": ("elderly", {2019: [("35", 5000, None)]}),
    "关爱特困党员": ("poverty", {2019: [("20", 200, None)]}),
    "关爱特困企业职工": ("poverty", {2019: [("25", 500, None)]}),
    "双联帮扶": ("poverty", {2019: [("30", 600, None)]}),
    "放飞梦想·香江给力": ("education", {2019: [("30", 300, None)]}),
    "温暖校园": ("education", {2019: [("15", 1500, None)]}),
    "孤儿助养": ("other", {2019: [("20", 200, None)]}),
    "慈善医院义诊": ("medical", {2019: [("10", 5000, None)]}),
    "残疾人康复救助": ("disability", {2019: [("25", 250, None)]}),
    "扶贫日专项帮扶": ("poverty", {2019: [("126.51", 2000, None)]}),
}
# A project of the 2023 demo that also spent in 2018 and 2019 runs over several years: it gets a
# budget per year (relief.ProjectYear), its own year's being its budget and each earlier year's
# what that year spent, so its spending stays within the sum of its yearly budgets.


class EarlyYears:
    def __init__(self, branches):
        self.rng = random.Random(SEED)
        self.sectors = {s.name: s for s in Sector.objects.all()}
        self.branches = branches  # {(sector, name): Branch} of the main build
        self.codes = set(Donor.objects.exclude(credit_code="").values_list("credit_code", flat=True))
        self.unit_names = set(Donor.objects.units().values_list("name", flat=True))
        self.donations = []

    def build(self):
        campaigns = {
            name: Campaign.objects.create(
                name=name,
                kind=kind,
                year=year,
                start_date=start,
                end_date=end,
                description=DEMO_MARKER + f"{year}年{name.removeprefix(f'{year}年')}。",
            )
            for name, (kind, year, start, end) in CAMPAIGNS.items()
        }
        self.campaigns = campaigns
        one_day = {2018: campaigns[ONE_DAY_2018], 2019: campaigns[ONE_DAY_2019]}
        for sector, branch_name, before, now, direct, n_before, n_now in BRANCHES:
            branch = self.branch(sector, branch_name)
            pool = self.pool(sector, branch, max(n_before, n_now))
            self.give(one_day[2018], pool[:n_before], before, sector, branch)
            self.give(one_day[2019], pool[:n_now], now, sector, branch, direct=direct)
        housing = self.branch("住建系统", HOUSING)
        for name, before, now, n_before, n_now, maker in HOUSING_GROUPS:
            branch = self.branch("住建系统", name, parent=housing)
            pool = self.pool("住建系统", branch, max(n_before, n_now), maker)
            self.give(one_day[2018], pool[:n_before], before, "住建系统", branch)
            self.give(one_day[2019], pool[:n_now], now, "住建系统", branch)
        people = list(
            Donor.objects.individuals().filter(employer=None, sector=None).order_by("id")[: PEOPLE[2] + 10]
        )
        for year, amount in zip((2018, 2019), HOUSING_PEOPLE, strict=True):
            self.give(one_day[year], people[-3:], amount, "住建系统", None)
        for sector, before, now, n_before, n_now in OTHER_UNITS:
            pool = self.pool(sector, None, max(n_before, n_now))
            self.give(one_day[2018], pool[:n_before], before, sector, None)
            self.give(one_day[2019], pool[:n_now], now, sector, None)
        self.give(one_day[2018], people[: PEOPLE[2]], PEOPLE[0], "个人", None)
        self.give(one_day[2019], people[: PEOPLE[3]], PEOPLE[1], "个人", None)
        for sector, name, amount, direct in NAMED_2019:
            donor = self.unit(name, sector)
            self.give(one_day[2019], [donor], amount, sector, None, direct=amount if direct else "0")
        for campaign, sector, name, amount, count in OTHER_CAMPAIGNS:
            units = [self.unit(name, sector)] if name else self.pool(sector, None, count)
            self.give(campaigns[campaign], units, amount, sector, None)
        self.number_receipts()
        Donation.objects.bulk_create(self.donations)
        spending = self.add_relief()
        return {"campaigns": len(campaigns), "donations": len(self.donations), "disbursements": spending}

    # --- donors ---------------------------------------------------------------------------

    def branch(self, sector, name, parent=None):
        key = (sector, name)
        if key not in self.branches:
            self.branches[key] = Branch.objects.create(sector=self.sectors[sector], name=name, parent=parent)
        return self.branches[key]

    def pool(self, sector, branch, size, maker=None):
        """`size` units of the sector (and branch), the demo's own first, invented ones after."""
        units = list(Donor.objects.units().filter(sector__name=sector, branch=branch).order_by("id")[:size])
        if not units and branch is not None:  # a branch the later years do not have: its sector's units
            units = list(Donor.objects.units().filter(sector__name=sector, branch=None).order_by("id")[:size])
        if len(units) < size:
            maker = maker or names.Companies(industries=("实业", "发展", "科技"))
            fresh = []
            for name in maker.candidates(self.rng):
                if name not in self.unit_names:
                    self.unit_names.add(name)
                    fresh.append(self.new_unit(name, sector, branch, save=False))
                    if len(units) + len(fresh) == size:
                        break
            units += Donor.objects.bulk_create(fresh)
        return units

    def unit(self, name, sector):
        found = Donor.objects.units().filter(name=name).first()
        if found is None:
            self.unit_names.add(name)
            found = self.new_unit(name, sector, None)
        return found

    def new_unit(self, name, sector, branch, save=True):
        donor = Donor(
            kind=Donor.Kind.UNIT,
            name=name,
            credit_code=names.credit_code(name, self.rng, self.codes),
            sector=self.sectors[sector],
            branch=branch,
        )
        if save:
            donor.save()
        return donor

    # --- gifts ----------------------------------------------------------------------------

    def give(self, campaign, donors, amount_wan, sector, branch, direct="0"):
        """Split `amount_wan` among `donors`; the largest gifts make up `direct` (given directly)."""
        total = to_fen(wan(amount_wan))
        if not total:
            return
        parts = sorted(split_fen(total, [heavy_tailed_weight(self.rng) for _ in donors]), reverse=True)
        left_direct = to_fen(wan(direct))
        days = (campaign.end_date - campaign.start_date).days
        for donor, fen in zip(donors, parts, strict=True):
            route = Donation.Route.ACCOUNT
            if left_direct >= fen:  # whole gifts only, so a gift is one or the other
                route, left_direct = Donation.Route.DIRECT, left_direct - fen
            elif left_direct:
                # Split the gift that crosses the line: its direct part is a gift of its own.
                self.add(campaign, donor, left_direct, sector, branch, Donation.Route.DIRECT, days)
                fen, left_direct = fen - left_direct, 0
            self.add(campaign, donor, fen, sector, branch, route, days)
        if left_direct:
            raise ValueError(f"{campaign}：{sector} 的直接捐赠多于其捐款")

    def add(self, campaign, donor, fen, sector, branch, route, days):
        unit = donor.kind == Donor.Kind.UNIT
        self.donations.append(
            Donation(
                donor=donor,
                campaign=campaign,
                sector=self.sectors[sector],
                branch=branch,
                amount=to_yuan(fen),
                received_on=campaign.start_date + datetime.timedelta(days=self.rng.randint(0, days)),
                channel=Donation.Channel.BANK if unit else self.rng.choice(["wechat", "cash", "bank"]),
                route=route,
                head_count=self.rng.randint(5, 120) if unit else None,
                status=Donation.Status.CONFIRMED,
                confirmed_at=datetime.datetime.combine(campaign.end_date, datetime.time(18), datetime.UTC),
            )
        )

    def number_receipts(self):
        self.donations.sort(key=lambda d: (d.campaign.year, d.received_on))
        counters = {}
        for donation in self.donations:
            year = donation.campaign.year
            counters[year] = counters.get(year, 0) + 1
            donation.receipt_no = f"HY{year}-{counters[year]:06d}"

    # --- relief ---------------------------------------------------------------------------

    def add_relief(self):
        existing = {p.name: p for p in ReliefProject.objects.all()}
        spending, budgets = [], []
        for name, (category, years) in RELIEF.items():
            project = existing.get(name)
            if project is None:
                total = sum((wan(amount) for rows in years.values() for amount, *_ in rows), Decimal("0.00"))
                project = ReliefProject.objects.create(
                    name=name,
                    category=category,
                    year=min(years),
                    end_year=max(years) if max(years) != min(years) else None,
                    budget=total,
                    status=ReliefProject.Status.CLOSED,
                )
            if name in existing:
                budgets.append(ProjectYear(project=project, year=project.year, budget=project.budget))
                budgets += [
                    ProjectYear(
                        project=project, year=year, budget=sum((wan(a) for a, *_ in rows), Decimal("0.00"))
                    )
                    for year, rows in years.items()
                ]
            for year, rows in years.items():
                for number, (amount, people, funds_year) in enumerate(rows, start=1):
                    spending.append(
                        Disbursement(
                            project=project,
                            amount=wan(amount),
                            paid_on=D(year, 12, 20) if funds_year is None else D(year, 3, 15),
                            funds_year=funds_year,
                            voucher_no=f"JZ{year}-{project.pk:03d}-{number}",
                            people_helped=people,
                            purpose=f"{year}年度{name}" + ("（2018年项目资金）" if funds_year else ""),
                        )
                    )
        Disbursement.objects.bulk_create(spending)
        ProjectYear.objects.bulk_create(budgets)
        return len(spending)
