"""The staff's sections of the year report: placeholders filled from the ledger, typed numbers flagged."""

import pytest
from django.urls import reverse

from campaigns.annual_report import narratives
from campaigns.annual_report.document import Narrative, build_report
from campaigns.annual_report.models import ReportNarrative
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def gifts(reviewed_gifts):
    factories.donation(factories.unit("衡阳市教育局"), factories.campaign(), "25000.00")


def test_a_typed_number_and_an_unknown_placeholder_are_flagged():
    body = "2019年募集{{募集总额}}，比上年增加812万元，增长47.8%。{{不存在}}\n\n1. 一是加强领导"
    assert [(p.kind, p.text) for p in narratives.problems(body)] == [
        ("unknown", "不存在"),
        ("typed", "812"),
        ("typed", "47.8%"),
    ]
    assert str(narratives.problems("增加８１２万元")[0]).startswith("正文中直接写了数字“812”：请改用占位符")
    assert narratives.problems("{{募集总额}}，{{分会上升数}}个分会上升。") == []


def test_placeholders_are_filled_and_markup_is_sanitised(gifts):
    values = narratives.placeholder_values(2023)
    body = "全年募集 **{{募集总额}}**。\n\n- 其一\n- 其二<script>alert(1)</script>"
    html = narratives.to_html(body, values)
    assert "<strong>2.5万元</strong>" in html and "<li>其一</li>" in html
    assert "<script>" not in html
    assert narratives.to_runs("全年募集 **{{募集总额}}**。", values) == [
        ("p", [("全年募集 ", False), ("2.5万元", True), ("。", False)])
    ]


def test_the_sections_follow_the_figures_in_the_report(gifts):
    ReportNarrative.objects.create(year=2023, order=2, heading="工作体会", body="靠坚强的领导保障。")
    ReportNarrative.objects.create(year=2023, order=1, heading="主要做法", body="募集{{募集总额}}。")
    report = build_report(2023, "衡阳市慈善总会")
    texts = [getattr(b, "text", None) or getattr(b, "html", "") for b in report.blocks]
    start = texts.index("五、主要做法")
    assert texts[start : start + 4] == [
        "五、主要做法",
        "<p>募集2.5万元。</p>\n",
        "六、工作体会",
        "<p>靠坚强的领导保障。</p>\n",
    ]
    assert isinstance(report.blocks[start + 1], Narrative)


def test_the_admin_preview_flags_a_typed_figure(client, admin_user, gifts):
    section = ReportNarrative.objects.create(
        year=2023, heading="主要做法", body="募集资金1810万元，{{募集总额}}。"
    )
    client.force_login(admin_user)
    page = client.get(reverse("admin:campaigns_reportnarrative_change", args=[section.pk])).content.decode()
    assert "正文中直接写了数字“1810”" in page
    assert "<p>募集资金1810万元，2.5万元。</p>" in page
    listing = client.get(reverse("admin:campaigns_reportnarrative_changelist")).content.decode()
    assert "1 处" in listing
