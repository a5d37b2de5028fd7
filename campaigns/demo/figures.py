"""The figures the demo data must reproduce, to the fen.

2023 comes from the published report on the 2023 慈善一日捐 (see
/work/shared/reference/003_bb0ab843369cce07.txt); 2022 is chosen here, because the report only gives
the 2022 total (1810.7035 − 174.22 万元) and which sectors went up or down.
"""

import datetime
from decimal import Decimal

# Marks a campaign as demo data, so a real campaign of the same name is never mistaken for it.
DEMO_MARKER = "【演示数据】"

CAMPAIGN_2023 = {
    "name": "2023年慈善一日捐",
    "year": 2023,
    "start_date": datetime.date(2023, 8, 28),
    "end_date": datetime.date(2023, 12, 31),
    "description": DEMO_MARKER + "衡阳市城区“慈善一日捐”，2023年8月28日启动，至12月31日基本结束。",
}
CAMPAIGN_2022 = {
    "name": "2022年慈善一日捐",
    "year": 2022,
    "start_date": datetime.date(2022, 8, 29),
    "end_date": datetime.date(2022, 12, 31),
    "description": DEMO_MARKER + "衡阳市城区“慈善一日捐”，2022年8月29日启动，至12月31日基本结束。",
}
DEMO_CAMPAIGN_NAMES = (CAMPAIGN_2023["name"], CAMPAIGN_2022["name"])


def wan(text):
    """'330.78' (万元, as printed in the report) → Decimal('3307800.00') 元."""
    return (Decimal(text) * 10000).quantize(Decimal("0.01"))


# The report's 23 sector figures, in its order.
SECTOR_TOTALS_2023 = {
    "市直工委慈善分会": wan("330.78"),
    "部队系统": wan("40.01"),
    "常务理事单位": wan("47.77"),
    "高校系统": wan("119.48"),
    "个人": wan("209.6"),
    "公安系统": wan("29.81"),
    "国资系统": wan("423.72"),
    "教育系统": wan("44.79"),
    "金融系统": wan("34.42"),
    "民政系统": wan("151.36"),
    "民宗系统": wan("4.97"),
    "民营企业": wan("89.5"),
    "人社系统": wan("8.63"),
    "市场监督管理系统": wan("17.2"),
    "司法系统": wan("41.71"),
    "卫健系统": wan("56.3"),
    "文旅广系统": wan("11.23"),
    "社会组织": wan("6.83"),
    "祁商会慈善分会": wan("7.44"),
    "高新区": wan("44.85"),
    "松木经开区": wan("12.86"),
    "民主党派": wan("3.93"),
    "住建系统": wan("63.17"),
}
TOTAL_2023 = wan("1810.7035")
# The report's parts add up to 1800.36万元; the rest is money not yet assigned to a sector.
UNASSIGNED_2023 = TOTAL_2023 - sum(SECTOR_TOTALS_2023.values())

# Chosen for the demo. Sectors the report lists as 有提升 in 2023 are lower here, those listed as
# 有降低 are higher, and with UNASSIGNED_2022 they add up to the 2022 total exactly.
SECTOR_TOTALS_2022 = {
    "市直工委慈善分会": wan("334.52"),
    "部队系统": wan("41.36"),
    "常务理事单位": wan("49.12"),
    "高校系统": wan("121.05"),
    "个人": wan("73.12"),
    "公安系统": wan("30.64"),
    "国资系统": wan("426.89"),
    "教育系统": wan("36.28"),
    "金融系统": wan("35.27"),
    "民政系统": wan("152.48"),
    "民宗系统": wan("3.46"),
    "民营企业": wan("68.73"),
    "人社系统": wan("8.95"),
    "市场监督管理系统": wan("14.62"),
    "司法系统": wan("37.15"),
    "卫健系统": wan("50.18"),
    "文旅广系统": wan("9.36"),
    "社会组织": wan("7.06"),
    "祁商会慈善分会": wan("7.81"),
    "高新区": wan("45.93"),
    "松木经开区": wan("10.47"),
    "民主党派": wan("3.28"),
    "住建系统": wan("64.29"),
}
TOTAL_2022 = TOTAL_2023 - wan("174.22")  # "较上年度增长174.22万元"
UNASSIGNED_2022 = TOTAL_2022 - sum(SECTOR_TOTALS_2022.values())

# "有593家机关和企事业单位、近6万名爱心人士参与"
PARTICIPATING_UNITS_2023 = 593
HEAD_COUNT_2023 = 59_236
HEAD_COUNT_2022 = 56_183

# Relief projects named in the 2019 work summary, with the budgets and partners it gives; where it
# gives none (情暖回家路, 肾友血透), the budget is the demo's own.
RELIEF_PROJECTS = [
    {
        "name": "慈善光明行",
        "category": "medical",
        "budget": Decimal("1000000.00"),
        "partners": "爱尔眼科",
        "description": "为低保对象实施白内障等眼科手术，2019年救助500例。",
    },
    {
        "name": "慈康项目",
        "category": "mental_health",
        "budget": Decimal("1332600.00"),
        "partners": "市第二精神病医院",
        "description": "减轻困难精神病患者的看病费用，2019年惠及967人。",
    },
    {
        "name": "春风行动",
        "category": "poverty",
        "budget": Decimal("230000.00"),
        "partners": "",
        "description": "帮扶困难职工家庭，2019年救助60人。",
    },
    {
        "name": "慈惠民生保险",
        "category": "insurance",
        "budget": Decimal("6000000.00"),
        "partners": "",
        "description": "为城区建档立卡贫困户、特困供养人员和常住居民约120万人购买民生保险。",
    },
    {
        "name": "贫困灾民住房保障",
        "category": "housing",
        "budget": Decimal("2000000.00"),
        "partners": "",
        "description": "为农村分散特困供养人员和受灾困难群众提供住房保障补助。",
    },
    {
        "name": "情暖回家路",
        "category": "education",
        "budget": Decimal("150000.00"),
        "partners": "各在衡高校、市福彩中心",
        "description": "“慈善进校园，情暖回家路”：为外省贫困学子购买春节回家的车票。",
    },
    {
        "name": "贫困家庭无障碍助残工程",
        "category": "disability",
        "budget": Decimal("900000.00"),
        "partners": "市残联",
        "description": "为贫困残疾人家庭进行无障碍改造。",
    },
    {
        "name": "肾友血透",
        "category": "medical",
        "budget": Decimal("500000.00"),
        "partners": "衡阳慈善医院",
        "description": "资助困难尿毒症患者血液透析。",
    },
]
