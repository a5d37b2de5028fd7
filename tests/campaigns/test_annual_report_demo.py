"""The demo's 2018 and 2019 state the 2019 summary's figures (docs/report-seed-2019.md)."""

from decimal import Decimal

import pytest

from campaigns.annual_report import figures
from campaigns.demo import load_demo
from charity.money import wan
from donations.models import Branch, Sector


@pytest.mark.django_db
def test_the_2019_summary_from_the_demo():
    load_demo()
    money = figures.money(2019)
    assert (wan(money.raised.current), wan(money.raised.change), money.raised.percent) == (
        "2512",
        "812",
        Decimal("47.8"),
    )
    assert (wan(money.into_account.current), wan(money.into_account.change)) == ("2005", "305")
    assert money.into_account.percent == Decimal("17.9")
    kinds = sorted((r.kind, wan(r.current)) for r in figures.campaigns(2019))
    assert kinds == [
        ("义卖", "23.5"),
        ("义卖", "3.26"),
        ("义卖", "5"),
        ("慈善一日捐", "2048.24"),
        ("综合募捐", "432"),
    ]

    branches = figures.branches(2019)
    assert (len(branches.rows), branches.rose, wan(branches.risen_by)) == (13, 12, "404.49")
    by_name = {r.name: r for r in branches.rows}
    assert (wan(by_name["市直工委慈善分会"].current), wan(by_name["市直工委慈善分会"].change)) == (
        "493.52",
        "111.2",
    )
    assert (wan(by_name["王一集团分会"].current), wan(by_name["王一集团分会"].change)) == ("40", "10")

    housing = Sector.objects.get(name="住建系统")
    sectors = {r.name: r for r in figures.sectors(2019)}
    assert (wan(sectors["住建系统"].current), wan(sectors["住建系统"].change)) == ("146.44", "71.68")
    assert (wan(sectors["民政系统"].current), wan(sectors["民政系统"].change)) == ("145.61", "24.43")
    assert sectors["高校系统"].percent == Decimal("389.9")
    units = {r.name: r for r in figures.units_by_sector(2019)}
    assert (
        units["住建系统"].units.current,
        units["住建系统"].units.change,
        units["住建系统"].units.percent,
    ) == (207, 115, Decimal("125.0"))
    assert (units["公安系统"].units.current, wan(units["公安系统"].total.current)) == (42, "33.72")
    groups = figures.branches(2019, parent=Branch.objects.get(sector=housing, name="市住建局慈善分会"))
    assert {r.name: wan(r.current) for r in groups.rows} == {
        "局属单位": "29.49", "施工企业": "46.72", "房地产开发企业": "29.29", "物业协会": "12.64",
        "混凝土协会": "16.39", "勘察设计企业": "2.5", "造价咨询企业": "2.65", "招标代理公司": "2.9",
        "装饰装修行业协会": "3.26",
    }  # fmt: skip
    first = {row["public_name"]: wan(row["total"]) for row in figures.first_time_units(2019)}
    assert first["广东省湖南衡阳商会"] == "26.8"

    relief = figures.relief(2019, money)
    assert (relief.project_count, wan(relief.spent.current), wan(relief.spent.change)) == (
        29,
        "2582.37",
        "800",
    )
    assert relief.spent.percent == Decimal("44.9") and relief.people_helped > 2_000_000
    assert (relief.of_raised.percent, relief.of_account.percent) == (Decimal("102.8"), Decimal("128.8"))
    assert relief.earlier_by_year == [(2018, Decimal("1376100.00"))]
    projects = {p.name: p for p in relief.recurring}
    assert (wan(projects["慈善光明行"].spent.previous), wan(projects["慈善光明行"].spent.current)) == (
        "20.4",
        "100",
    )
    assert (projects["慈善光明行"].people.previous, projects["慈善光明行"].people.current) == (100, 500)
    assert (wan(projects["慈康项目"].spent.previous), wan(projects["慈康项目"].spent.current)) == (
        "12.9",
        "133.26",
    )
    assert (projects["慈康项目"].people.previous, projects["慈康项目"].people.current) == (85, 967)
    assert (projects["春风行动"].people.previous, projects["春风行动"].people.current) == (30, 60)
