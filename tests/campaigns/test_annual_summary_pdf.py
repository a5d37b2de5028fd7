"""The annual summary PDF read as a reader reads it: every figure checked against the database.

Each scenario renders once (about half a second on this small data) and checks the whole document.
"""

from decimal import Decimal

import pytest

from campaigns import services
from campaigns.annual_summary.figures import annual_summary
from campaigns.models import Campaign
from charity.money import percent, percent_change, wan, yuan
from donations.models import Donation
from tests import factories

from .pdf_text import pdf_fonts, pdf_text


def render(year, tmp_path):
    summary = annual_summary(year)
    path = tmp_path / f"summary-{year}.pdf"
    path.write_bytes(services.render_summary_pdf(summary).content)
    return summary, pdf_text(path), path


def give(donor, campaign, amount, **kwargs):
    kwargs.setdefault("received_on", campaign.start_date)
    return factories.donation(donor=donor, campaign_=campaign, amount=amount, **kwargs)


def sector_total(year, name):
    """Straight from the table, without the QuerySet methods the summary uses."""
    rows = Donation.objects.filter(campaign__year=year, campaign__kind="one_day")
    rows = rows.filter(sector__isnull=True) if name is None else rows.filter(sector__name=name)
    return sum((d.amount for d in rows), Decimal("0.00"))


def row_text(name, current, previous):
    change = current - previous
    percent = percent_change(current, previous)
    shown = "新增" if not previous else f"{'+' if percent > 0 else ''}{percent}%"
    sign = "+" if change > 0 else ""
    return f"{name}{yuan(current)}{yuan(previous)}{sign}{yuan(change)}{shown}"


@pytest.fixture
def two_years(db):
    """2022 and 2023: rising, falling, unchanged, new and absent sectors, money outside sectors."""
    c2022 = factories.campaign("2022年慈善一日捐", 2022)
    c2023 = factories.campaign("2023年慈善一日捐", 2023)
    flood = factories.campaign("2023年抗洪救灾", 2023, kind=Campaign.Kind.DISASTER)
    state = factories.unit("衡阳市国资委", "国资系统")
    school = factories.unit("衡阳市第一中学", "教育系统")
    bank = factories.unit("衡阳市某银行", "金融系统")
    welfare = factories.unit("衡阳市民政局", "民政系统")
    secret = factories.unit("不愿具名的公司", "国资系统")
    loose = factories.unit("尚未分版块的单位", None)
    give(state, c2022, "1000.00", head_count=20)
    give(school, c2022, "800.00", head_count=30)
    give(bank, c2022, "500.00", head_count=10)
    give(welfare, c2022, "400.00", head_count=8)
    give(state, c2023, "1200.50", head_count=25)
    give(secret, c2023, "300.00", anonymous=True, head_count=5)
    give(school, c2023, "300.00", head_count=12)
    give(welfare, c2023, "400.00", head_count=9)
    give(loose, c2023, "99.99", head_count=3)
    give(factories.person("张三"), c2023, "200.00")
    give(factories.unit("衡阳市红十字会", "社会组织"), flood, "5000.00")
    return c2022, c2023


def test_two_years_every_figure_matches_the_database(two_years, tmp_path):
    summary, text, path = render(2023, tmp_path)
    total = Donation.objects.filter(campaign__year=2023, campaign__kind="one_day")
    total = sum((d.amount for d in total), Decimal("0.00"))
    before = sum(
        (d.amount for d in Donation.objects.filter(campaign__year=2022, campaign__kind="one_day")), Decimal(0)
    )
    assert total == Decimal("2500.49") and before == Decimal("2700.00")

    # 基本情况: dates, units, head count, 万元 and 元, change and percent, the other campaign.
    assert "于2023年8月28日正式启动，至2023年12月31日结束" in text
    assert "有5家机关和企事业单位、55人次爱心人士参与" in text  # 54 on staff lists + 张三
    assert f"募集资金{wan(total)}万元（{yuan(total)}元）" in text
    assert "募集资金0.25万元（2,500.49元）" in text  # 0.250049万元 to the yuan, the exact 元 beside
    change, rate = before - total, percent(abs(percent_change(total, before)))
    assert f"较上年度减少{wan(change)}万元（{yuan(change)}元，减少{rate}）" in text
    assert "较上年度减少0.02万元（199.51元，减少7.4%）" in text
    assert "2023年抗洪救灾灾害救助2023-08-28至2023-12-31" in text and "0.55,000.00" in text

    # The sector table, in sector order, with the unassigned money last and the exact total.
    rows = [
        ("国资系统", "1500.50", "1000.00"),
        ("教育系统", "300.00", "800.00"),
        ("金融系统", "0.00", "500.00"),
        ("民政系统", "400.00", "400.00"),
        ("个人", "200.00", "0.00"),
    ]
    positions = []
    for name, current, previous in rows:
        current, previous = Decimal(current), Decimal(previous)
        assert sector_total(2023, name) == current and sector_total(2022, name) == previous
        line = row_text(name, current, previous).replace("+0.00", "0.00")
        assert line in text, line
        positions.append(text.index(line))
    # 个人 is sector 5 in report order, 国资系统 7, 教育系统 8, 金融系统 9, 民政系统 10.
    assert positions[4] < positions[0] < positions[1] < positions[2] < positions[3]
    assert "金融系统0.00500.00-500.00-100.0%0.0%" in text  # a sector with zero this year
    assert "个人200.000.00+200.00新增8.0%" in text
    assert "未分配版块99.990.00+99.99新增4.0%" in text  # money outside sectors, its own row
    assert text.index("个人200.00") < text.index("民政系统400.00") < text.index("未分配版块99.99")
    assert "合计2,500.492,700.00-199.51-7.4%100.0%" in text
    assert sum(r.current for r in summary.sector_rows) == summary.total_row.current == total

    # The generated sentences, sectors in their order.
    assert "与2022年度相比较，捐赠金额有提升的为：国资系统。" in text
    assert "与2022年度相比较，捐赠金额有降低的为：教育系统。" in text
    assert "捐赠金额与上年度持平的为：民政系统。" in text
    assert "本年度新增捐款的版块（2022年度无捐款）：个人。" in text
    assert "2022年度有捐款、本年度无捐款的版块：金融系统。" in text

    # The largest donors through their public names: the anonymous one is 爱心人士.
    assert "1衡阳市国资委1,200.50" in text
    assert "爱心人士300.00" in text and "不愿具名的公司" not in text
    assert "1张三200.00" in text

    # The trend, the integration points, the check.
    assert "2022年0.272,700.00" in text and "2023年0.252,500.49" in text
    assert "本年度尚未发布光荣榜和慈善排行榜。" in text
    assert "本年度尚无救助支出数据。" in text
    assert f"校验码{summary.display_code}" in text and summary.fingerprint in text
    assert f"/summary/verify/{summary.display_code}/" in text
    assert "第1页/共" in text and "生成于" in text

    fonts = pdf_fonts(path)
    assert fonts and all(embedded for _, _, embedded in fonts)
    assert {name.split("+")[1].split("-Bold")[0].split("-Oblique")[0] for name, _, _ in fonts} == {
        "Noto-Sans-SC"
    }


def test_a_year_with_no_previous_year_and_only_anonymous_top_donors(db, tmp_path):
    campaign = factories.campaign("2030年慈善一日捐", 2030)
    factories.campaign("2030年义卖", 2030, kind=Campaign.Kind.CHARITY_SALE)
    give(factories.unit("甲公司", "民营企业", display="anonymous"), campaign, "8888.88", head_count=40)
    give(factories.unit("乙公司", "民营企业"), campaign, "1111.12", anonymous=True, head_count=10)
    give(factories.person("李四", display="alias", alias=""), campaign, "50.00")
    summary, text, _ = render(2030, tmp_path)

    assert summary.previous_year is None
    assert "2029年度没有慈善一日捐数据，本年度不作同比比较。" in text
    assert "2029年度无慈善一日捐数据，不作同比比较" in text
    assert "有提升" not in text and "有降低" not in text
    assert "民营企业10,000.00—" in text and "100.0%" in text
    assert "个人50.00—" in text
    assert "合计10,050.00—" in text
    assert "募集资金1.005万元（10,050.00元）" in text
    assert "2030年义卖义卖" in text and "0.00" in text
    # Only 爱心人士 among the top donors; no real name leaks.
    assert "1爱心人士8,888.88" in text and "2爱心人士1,111.12" in text and "1爱心人士50.00" in text
    for name in ("甲公司", "乙公司", "李四"):
        assert name not in text


def test_relief_spending_and_the_years_publications_are_in_the_summary(two_years, tmp_path, admin_user):
    import datetime

    from campaigns.models import HonorRollIssue
    from relief.models import ReliefProject
    from tests.campaigns.conftest import new_edition
    from tests.relief.helpers import disbursement

    _, c2023 = two_years
    eyes = factories.project("慈善光明行", category=ReliefProject.Category.MEDICAL, budget=Decimal("100000"))
    disbursement(eyes, "1500.00", paid_on=datetime.date(2023, 10, 1), people_helped=3)
    disbursement(eyes, "499.50", paid_on=datetime.date(2023, 11, 1), people_helped=1)
    disbursement(eyes, "77.00", paid_on=datetime.date(2022, 11, 1), people_helped=9)  # another year
    before = annual_summary(2023).fingerprint
    issue = HonorRollIssue.objects.create(campaign=c2023, number=1, cut_off=datetime.date(2023, 12, 31))
    services.publish_honor_roll(issue, admin_user)
    services.publish_ranking(new_edition(year=2023), admin_user)
    assert annual_summary(2023).fingerprint != before  # publishing makes the stored file stale

    summary, text, _ = render(2023, tmp_path)
    raised = sum((d.amount for d in Donation.objects.filter(campaign__year=2023)), Decimal("0.00"))
    ratio = percent(Decimal("1999.50") * 100 / raised)
    assert summary.relief.total == Decimal("1999.50") and summary.relief.people_helped == 4
    flat = text.replace(" ", "")
    assert (
        f"本年度救助支出{wan(Decimal('1999.50'))}万元（1,999.50元），惠及4人次，占本年度募集总额的{ratio}"
        in flat
    )
    assert "慈善光明行1,999.50" in flat and "医疗救助1,999.50" in flat
    assert str(issue).replace(" ", "") in flat and "第九届" in flat
