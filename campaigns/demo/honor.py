"""Demo publications of the 2023 campaign: five honor-roll issues, one erratum, the 第九届 ranking.

Published through the same services staff use from the admin, so the demo shows what a real
campaign shows: frozen issues whose running totals end at the report's 1810.7035 万元. Each is
dated on the campaign's own timeline (an issue a few days after its cut-off, the ranking in
January 2024, as the 第八届 was "年初"), not the day loaddemo ran.
"""

import datetime

from django.utils import timezone

from campaigns import services
from campaigns.models import HonorRollIssue, RankingCategory, RankingEdition, RankingEntry
from campaigns.rankings import content as ranking_content
from charity.money import yuan

# 2023 published seven issues; five are enough to show a campaign's rhythm (most money came late).
CUT_OFFS_2023 = (
    datetime.date(2023, 9, 30),
    datetime.date(2023, 10, 31),
    datetime.date(2023, 11, 30),
    datetime.date(2023, 12, 15),
    datetime.date(2023, 12, 31),
)
# An issue goes out a few working days after its cut-off, in the morning.
PUBLISHED_AFTER_CUT_OFF = datetime.timedelta(days=4)
ERRATUM_PUBLISHED = datetime.datetime(2023, 11, 6, 15)  # the day the erratum's text names
RANKING_PUBLISHED = datetime.datetime(2024, 1, 25, 10)  # the day the 2023 report was published
ERRATUM = "第二期光荣榜所列“{name}”的捐赠票据号已于 2023年11月6日补录，捐款金额 {amount} 元无误。特此说明。"
# Honours added by hand: fictional people, as in a real edition's citations.
HONOURS = (
    ("周秀兰", "慈善楷模", "退休教师，连续九年参加慈善一日捐，资助 12 名学生完成学业。"),
    ("衡阳市雁城志愿服务队", "慈善楷模", "组织志愿者 300 余人次参与慈善光明行筛查和春风行动。"),
)


def publish_demo_honors(campaign_2023):
    """Publish the demo's honor rolls of the 2023 campaign and the 第九届 ranking (2023)."""
    issues = [
        services.publish_honor_roll(
            HonorRollIssue.objects.create(campaign=campaign_2023, number=number, cut_off=cut_off),
            None,
            at=morning(cut_off + PUBLISHED_AFTER_CUT_OFF),
        )
        for number, cut_off in enumerate(CUT_OFFS_2023, start=1)
    ]
    unit = issues[1].content["sectors"][0]["units"][0]
    text = ERRATUM.format(name=unit["name"], amount=yuan(unit["amount"]))
    services.publish_honor_roll_erratum(issues[1], text, None, at=timezone.make_aware(ERRATUM_PUBLISHED))

    edition = RankingEdition.objects.create(number=9, year=campaign_2023.year)
    ranking_content.add_default_categories(edition)
    ranking_content.refresh(edition)
    # Staff's review: one candidate left off with the reason recorded, honours added by hand.
    first_company = RankingEntry.objects.filter(
        category__edition=edition, category__kind=RankingCategory.Kind.COMPANIES, shown_anonymous=False
    ).first()
    if first_company is not None:
        first_company.excluded = True
        first_company.exclusion_reason = "捐赠人要求不参加本届评选"
        first_company.save()
    honours = edition.categories.get(kind=RankingCategory.Kind.HONOURS)
    RankingEntry.objects.bulk_create(
        RankingEntry(category=honours, public_name=name, honour=honour, citation=citation)
        for name, honour, citation in HONOURS
    )
    services.publish_ranking(edition, None, at=timezone.make_aware(RANKING_PUBLISHED))


def morning(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))
