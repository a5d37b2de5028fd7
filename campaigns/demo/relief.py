"""Relief demo: the 2019 report's projects in 2023, their spending, 65 beneficiaries, disclosures.

Figures follow the 2019 work summary (慈善光明行 100万元 and about 500 cases, 慈康 133.26万元 and
967 people, 春风行动 23万元 and 60 people, 慈惠民生保险 600万元 for 1.2 million residents,
housing aid 200万元). Beneficiaries are invented: three-character names whose given names share no
character with the donor names (names.GIVEN_CHARS), so no beneficiary can be mistaken for a donor
on a public page; identity numbers are fake but pass the GB 11643 check.

Its own random.Random, so adding it changes none of the donation figures drawn before it.
"""

import datetime
import random
from decimal import Decimal

from django.utils import timezone

from relief import crypto, services
from relief.idnumbers import check_char
from relief.models import (
    Beneficiary,
    Disbursement,
    DisbursementShare,
    Disclosure,
    District,
    ReliefProject,
    StatutoryFiling,
)

from . import names

SEED = 20190101
D = datetime.date
# 行政区划代码 of the city's districts and counties (positions 1-6 of an identity number).
DIVISIONS = {
    "珠晖区": "430405", "雁峰区": "430406", "石鼓区": "430407", "蒸湘区": "430408", "南岳区": "430412",
    "衡阳县": "430421", "衡南县": "430422", "衡山县": "430423", "衡东县": "430424", "祁东县": "430426",
    "耒阳市": "430481", "常宁市": "430482",
}  # fmt: skip
GIVEN = [
    c
    for c in "翠菊淑珍素琼芝荣贵富昌茂根旺满仁礼义孝碧瑶璐珂岚澜桃杏柏松竹柳榕枫槐"
    if c not in names.GIVEN_CHARS
]
CONTACT = "0734-8860089（市慈善总会慈善办，工作日 8:30—17:30）"

# name: (status, start, end, [(voucher, paid_on, amount, people, purpose)])
SPENDING = {
    "慈善光明行": ("closed", D(2023, 3, 1), D(2023, 12, 31), [
        ("GM2023-01", D(2023, 4, 20), "196000.00", 98, "第一批白内障复明手术（爱尔眼科）"),
        ("GM2023-02", D(2023, 6, 28), "204000.00", 102, "第二批白内障复明手术"),
        ("GM2023-03", D(2023, 9, 15), "200000.00", 100, "第三批白内障复明手术"),
        ("GM2023-04", D(2023, 11, 30), "398000.00", 200, "第四、五批白内障复明手术"),
    ]),
    "慈康项目": ("running", D(2023, 1, 1), D(2025, 12, 31), [
        ("CK2023-01", D(2023, 3, 31), "333150.00", 240, "第一季度住院费用减免（市第二精神病医院）"),
        ("CK2023-02", D(2023, 6, 30), "333150.00", 245, "第二季度住院费用减免"),
        ("CK2023-03", D(2023, 9, 30), "333150.00", 238, "第三季度住院费用减免"),
        ("CK2023-04", D(2023, 12, 29), "333150.00", 244, "第四季度住院费用减免"),
    ]),
    "春风行动": ("closed", D(2023, 1, 10), D(2023, 2, 28), [
        ("CF2023-01", D(2023, 1, 16), "115000.00", 30, "春节前困难职工家庭帮扶（第一批）"),
        ("CF2023-02", D(2023, 2, 10), "115000.00", 30, "困难职工家庭帮扶（第二批）"),
    ]),
    "慈惠民生保险": ("closed", D(2023, 1, 1), D(2023, 12, 31), [
        ("BX2023-01", D(2023, 1, 5), "6000000.00", 1200000, "城区居民慈惠民生保险年度保费"),
    ]),
    "贫困灾民住房保障": ("closed", D(2023, 4, 1), D(2024, 3, 31), [
        ("ZF2023-01", D(2023, 5, 18), "600000.00", 40, "农村分散特困供养人员危房改造补助（第一批）"),
        ("ZF2023-02", D(2023, 8, 22), "700000.00", 45, "危房改造补助（第二批）"),
        ("ZF2023-03", D(2023, 12, 12), "500000.00", 35, "受灾困难群众住房修缮补助"),
    ]),
    "情暖回家路": ("closed", D(2023, 12, 15), D(2024, 2, 10), [
        ("QN2024-01", D(2024, 1, 20), "150000.00", 500, "外省贫困学子春节回家车票"),
    ]),
    "贫困家庭无障碍助残工程": ("running", D(2023, 5, 1), None, [
        ("WZ2023-01", D(2023, 10, 9), "420000.00", 140, "贫困残疾人家庭无障碍改造（市残联）"),
    ]),
    "肾友血透": ("running", D(2023, 2, 1), None, [
        ("XT2023-01", D(2023, 6, 30), "240000.00", 80, "困难尿毒症患者血液透析补助（衡阳慈善医院）"),
        ("XT2023-02", D(2023, 12, 28), "250000.00", 82, "困难尿毒症患者血液透析补助（下半年）"),
    ]),
}  # fmt: skip

# Who is named (masked) on which voucher: (voucher, how many people, amount each, group, minors)
SHARES = [
    ("GM2023-01", 18, "2000.00", "general", 2),  # two children's surgeries: never listed
    ("GM2023-02", 12, "2000.00", "general", 0),
    ("CK2023-01", 15, "1388.00", "mental_health", 0),
    ("CF2023-01", 12, "3833.33", "general", 0),
    ("ZF2023-01", 8, "15000.00", "general", 0),
]

DISCLOSURES = [
    # project, kind, title, period, objection period, summary
    ("慈善光明行", "recipients", "2023年慈善光明行受助名单公示（第一批）", (D(2023, 3, 1), D(2023, 4, 30)),
     (D(2023, 5, 8), D(2023, 5, 14)), "联合爱尔眼科为低保对象实施白内障复明手术。"),
    ("慈善光明行", "recipients", "2023年慈善光明行受助名单公示（第二批）", (D(2023, 5, 1), D(2023, 6, 30)),
     (D(2023, 7, 10), D(2023, 7, 16)), "第二批手术于6月完成。"),
    ("慈康项目", "progress", "2023年第一季度慈康项目进展公示", (D(2023, 1, 1), D(2023, 3, 31)),
     (D(2023, 4, 10), D(2023, 4, 16)), "与市第二精神病医院合作，减免困难患者住院费用。"),
    ("春风行动", "recipients", "2023年春风行动受助名单公示", (D(2023, 1, 1), D(2023, 2, 28)),
     (D(2023, 3, 6), D(2023, 3, 12)), "帮扶困难职工家庭60户。"),
    ("贫困灾民住房保障", "recipients", "2023年住房保障补助第一批公示", (D(2023, 4, 1), D(2023, 5, 31)),
     (D(2023, 6, 5), D(2023, 6, 11)), "农村分散特困供养人员危房改造。"),
    ("慈善光明行", "final", "2023年慈善光明行项目结项报告", (D(2023, 3, 1), D(2023, 12, 31)),
     (D(2024, 2, 26), D(2024, 3, 3)), "全年完成复明手术500例，支出99.8万元，结余0.2万元转入2024年项目。"),
]  # fmt: skip
ERRATUM = (
    "2023年春风行动受助名单公示",
    "公示中第二笔支出的用途应为“困难职工家庭帮扶（第二批，含春节慰问）”，金额不变，特此更正。",
)


def add_relief_demo(projects):
    """Extend the demo's projects with dates, spending, beneficiaries and published disclosures."""
    rng = random.Random(SEED)
    for name, (status, start, end, _) in SPENDING.items():
        ReliefProject.objects.filter(name=name).update(
            status=status, start_date=start, end_date=end, end_year=end.year if end else None
        )
    disbursements = Disbursement.objects.bulk_create(
        Disbursement(
            project=projects[name], voucher_no=v, paid_on=day, amount=Decimal(a), people_helped=n, purpose=p
        )
        for name, (*_, rows) in SPENDING.items()
        for v, day, a, n, p in rows
    )
    by_voucher = {d.voucher_no: d for d in disbursements}
    people, shares = [], []
    for voucher, count, amount, group, minors in SHARES:
        for i in range(count):
            person = beneficiary(rng, group, minor=i < minors, taken=people)
            people.append(person)
            shares.append(
                DisbursementShare(
                    disbursement=by_voucher[voucher], beneficiary=person, amount=Decimal(amount)
                )
            )
    Beneficiary.objects.bulk_create(people)
    DisbursementShare.objects.bulk_create(shares)
    publish_disclosures(projects)
    StatutoryFiling.objects.bulk_create(
        [
            StatutoryFiling(kind="annual_work", year=2023, published_on=D(2024, 5, 20)),
            StatutoryFiling(kind="annual_financial", year=2023, published_on=D(2024, 6, 12)),  # late
        ]
    )
    return {"beneficiaries": len(people), "disbursements": len(disbursements)}


def beneficiary(rng, group, minor, taken):
    used = {p.name for p in taken}
    while True:
        name = rng.choice(names.SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)
        if name not in used:
            break
    district = rng.choice(District.values)
    born = D(rng.randint(2009, 2015), 1, 1) if minor else D(rng.randint(1940, 1985), 1, 1)
    born += datetime.timedelta(days=rng.randint(0, 364))
    digests = {p.id_number_digest for p in taken}
    while True:
        first17 = f"{DIVISIONS[district]}{born:%Y%m%d}{rng.randint(1, 999):03d}"
        number = first17 + check_char(first17)
        if crypto.digest(number) not in digests:
            break
    group = group if not minor else Beneficiary.Group.CHILD
    return Beneficiary(
        name=name, id_number=number, id_number_digest=crypto.digest(number), district=district, group=group
    )


def publish_disclosures(projects):
    """Through the publishing service, dated to the day the federation would have published: the
    objection period's first morning (the demo's history happened in 2023, not when it loads)."""
    published = {}
    for name, kind, title, (p_start, p_end), (o_start, o_end), summary in DISCLOSURES:
        draft = Disclosure.objects.create(
            project=projects[name], kind=kind, title=title, period_start=p_start, period_end=p_end,
            objection_start=o_start, objection_end=o_end, objection_contact=CONTACT, summary=summary,
        )  # fmt: skip
        when = timezone.make_aware(datetime.datetime.combine(o_start, datetime.time(9)))
        published[title] = services.publish_disclosure(draft, at=when)
    title, text = ERRATUM
    services.publish_disclosure_erratum(
        published[title], text, at=timezone.make_aware(datetime.datetime(2023, 3, 9, 10))
    )
