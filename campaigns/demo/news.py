"""The demo's 慈善资讯: the two seed documents, news posts of the Hengyang federation's own site,
with their original dates, and an announcement of each honor-roll issue the demo publishes.

The seeds' text (articles/*.md) is as published, less the site's header scraped with it; their
numbered sections (一、…) are Markdown headings. What the scrape broke is put back: full-width
punctuation (it left ASCII commas and colons), 年/月 in the 2023 text's dates ("2023828日" was
2023年8月28日) and the 、 between the items of its sector lists.
"""

import datetime
from pathlib import Path

from django.urls import reverse
from django.utils import timezone

from campaigns.models import Article, HonorRollIssue
from campaigns.news.services import publish_article
from charity.money import count, wan

ARTICLES = Path(__file__).parent / "articles"
SEEDS = (
    (
        "2020-01-13-work-summary-2019.md",
        "以求真务实的作风推动慈善事业持续健康发展——2019年全市慈善工作总结",
        datetime.datetime(2020, 1, 13, 8, 55),
        "2019年，市本级募集善款迈上2000万元新台阶，慈善救助支出2582余万元，惠及200多万人。",
    ),
    (
        "2024-01-25-one-day-donation-2023.md",
        "2023年“慈善一日捐”工作总结",
        datetime.datetime(2024, 1, 25, 10, 55),
        "593家机关和企事业单位、近6万名爱心人士参与，募集资金1810.7035万元，较上年度增长174.22万元。",
    ),
)


def publish_demo_news():
    """Publish the seed articles and one announcement per published honor-roll issue."""
    for filename, title, at, summary in SEEDS:
        body = (ARTICLES / filename).read_text(encoding="utf-8")
        article = Article.objects.create(
            title=title, category=Article.Category.WORK, date=at.date(), summary=summary, body=body
        )
        publish_article(article, None, at=timezone.make_aware(at))
    issues = HonorRollIssue.objects.filter(status=HonorRollIssue.Status.PUBLISHED).select_related("campaign")
    for issue in issues.order_by("published_at"):
        publish_article(announcement(issue), None, at=issue.published_at)


def announcement(issue):
    content = issue.content
    url = reverse("campaigns:honor_roll", args=[issue.pk])
    body = (
        f"{issue.campaign.name}光荣榜{content['number_label']}今天发布，收录截至 "
        f"{issue.cut_off:%Y年%m月%d日} 收到并经审核确认的捐款 {count(content['donations'])} 笔，"
        f"合计 {wan(content['total'])} 万元；本次活动累计 {wan(content['running_total'])} 万元。\n\n"
        "感谢每一位捐款的单位和爱心人士。名单可在线查看、下载 PDF 和表格，也可在“查询捐款”中核对自己的捐款。"
        f"\n\n[查看{content['number_label']}光荣榜]({url})"
    )
    return Article.objects.create(
        title=f"{issue.campaign.name}光荣榜{content['number_label']}发布",
        category=Article.Category.HONOR,
        date=timezone.localdate(issue.published_at),
        summary=f"收录捐款 {count(content['donations'])} 笔，合计 {wan(content['total'])} 万元。",
        body=body,
    )
