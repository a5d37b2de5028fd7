"""The demo's 信息公开: the federation's bodies and members, its branches' set-up and purpose, a
named fund, and documents as PDFs: a charter, the 2019 work summary (a seed document) as that
year's work report, and the 2023 reports the relief demo records as filed.

The people are fictional, as every person of the demo is; the fund is the one the 2019 summary
names (its day of set-up is the demo's). Each generated PDF says on its first line that it is a
demo file: a charter or a financial report that looks real must not be taken for one.
"""

import datetime

from django.core.files.base import ContentFile
from django.utils.html import escape, linebreaks

from charity import pdf
from donations.models import Branch
from relief.models import BodyMember, NamedFund, OrganisationBody, StatutoryFiling

from .news import ARTICLES

D = datetime.date
DEMO_NOTE = "演示文件：本文件由演示数据生成，仅用于展示“信息公开”页面，不是真实文件。"
BODIES = (
    (
        "第六届理事会",
        OrganisationBody.Kind.DECISION,
        "2021年9月—2026年9月",
        "决定本会的工作方针和任务，审议年度工作报告和财务报告",
        (("会长", "刘国平", "市人大常委会原副主任"), ("常务副会长", "陈志强", ""), ("副会长", "赵丽华", ""),
         ("秘书长", "周建军", "")),
    ),
    (
        "秘书处",
        OrganisationBody.Kind.EXECUTIVE,
        "",
        "执行理事会的决定，负责日常工作、募捐和救助项目的实施",
        (("秘书长", "周建军", ""), ("副秘书长", "李慧", ""), ("财务负责人", "王芳", "会计师")),
    ),
    (
        "第六届监事会",
        OrganisationBody.Kind.SUPERVISORY,
        "2021年9月—2026年9月",
        "监督本会遵守法律和章程的情况，检查财务和会计资料",
        (("监事长", "黄明", ""), ("监事", "孙红梅", ""), ("监事", "杨涛", "")),
    ),
)  # fmt: skip
BRANCH_FACTS = {
    "市直工委慈善分会": (D(2009, 3, 1), "组织市直机关和单位开展慈善一日捐等募捐活动"),
    "市住建局慈善分会": (D(2012, 6, 1), "动员住建系统单位、房地产和施工企业参与募捐"),
    "祁商会慈善分会": (D(2015, 5, 1), "联系在衡祁东籍商会会员企业，开展助学和济困"),
}
FUNDS = (
    (
        "珠江合创汇慈善基金",
        "珠江合创汇",
        D(2019, 6, 1),
        "10000000.00",
        "爱心助学、助残助孤、扶危济困；衡阳市民营企业独家设立的第一个千万元慈善基金",
    ),
)
CHARTER = """第一章 总则

第一条 本会名称为衡阳市慈善总会。

第二条 本会是由热心慈善事业的单位和个人自愿组成的、具有公开募捐资格的非营利性慈善组织。

第三条 本会的宗旨是：弘扬中华民族扶贫济困的传统美德，募集善款，开展慈善救助，帮助社会上不幸的个人和困难群体。

第二章 业务范围

第四条 本会的业务范围：（一）开展慈善一日捐等募捐活动；（二）实施助学、助医、助残、助老、济困和
救灾等救助项目；（三）接受冠名基金的设立；（四）依法公开募捐和救助信息，接受社会监督。"""


def add_organisation_demo():
    """Bodies, members, branches' facts, the named fund and the documents (idempotent only on an
    empty database: called by the demo's build)."""
    for order, (name, kind, term, duties, members) in enumerate(BODIES):
        body = OrganisationBody.objects.create(name=name, kind=kind, term=term, duties=duties, order=order)
        BodyMember.objects.bulk_create(
            BodyMember(body=body, position=position, name=person, affiliation=affiliation, order=index)
            for index, (position, person, affiliation) in enumerate(members)
        )
    for name, (founded_on, purpose) in BRANCH_FACTS.items():
        Branch.objects.filter(name=name, parent=None).update(founded_on=founded_on, purpose=purpose)
    for order, (name, founder, founded_on, pledged, purpose) in enumerate(FUNDS):
        NamedFund.objects.create(
            name=name, founder=founder, founded_on=founded_on, pledged=pledged, purpose=purpose, order=order
        )
    add_documents()


def add_documents():
    charter = StatutoryFiling(
        kind=StatutoryFiling.Kind.CHARTER,
        title="衡阳市慈善总会章程",
        published_on=D(2021, 9, 28),
        where="本网站",
    )
    charter.document.save("charter.pdf", demo_pdf("衡阳市慈善总会章程", CHARTER), save=False)
    charter.save()
    summary_2019 = (ARTICLES / "2020-01-13-work-summary-2019.md").read_text(encoding="utf-8")
    work_2019 = StatutoryFiling(
        kind=StatutoryFiling.Kind.ANNUAL_WORK,
        year=2019,
        title="2019年度工作报告：以求真务实的作风推动慈善事业持续健康发展",
        published_on=D(2020, 1, 13),
        where="本网站",
    )
    work_2019.document.save("work-report-2019.pdf", demo_pdf(work_2019.title, summary_2019), save=False)
    work_2019.save()
    # The relief demo records the 2023 reports as filed (on 慈善中国); here they get their PDFs.
    for filing in StatutoryFiling.objects.filter(year=2023, document=""):
        title = f"2023{filing.get_kind_display()}"
        filing.title = title
        filing.document.save(f"{filing.kind}-2023.pdf", demo_pdf(title, "（演示文件的正文）"), save=False)
        filing.save()


def demo_pdf(title, text):
    body = linebreaks(text.replace("## ", ""), autoescape=True)
    html = (
        '<html lang="zh"><body style="font-family: \'Noto Sans SC\'; font-size: 11pt">'
        f'<p style="color:#b71c1c">{escape(DEMO_NOTE)}</p><h1 style="font-size:16pt">{escape(title)}</h1>'
        f"{body}</body></html>"
    )
    return ContentFile(pdf.render_html(html).content)
