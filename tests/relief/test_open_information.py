"""信息公开: the organisation page (charter, bodies and members, branches, named funds) and the
documents area, where an uploaded annual report meets its duty in the statutory calendar."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from campaigns.models import AnnualSummaryDocument, AnnualSummaryRelease
from charity.models import AuditEntry
from charity.snapshots import SnapshotError
from relief import calendar
from relief.models import BodyMember, FilingErratum, NamedFund, OrganisationBody, StatutoryFiling
from tests import factories
from tests.conftest import staff_with_role

pytestmark = pytest.mark.django_db
D = datetime.date
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


MAY_20 = D(2024, 5, 20)


def filing_with_pdf(kind, year=None, title="", published_on=MAY_20):
    filing = StatutoryFiling(kind=kind, year=year, title=title, published_on=published_on, where="本网站")
    filing.document.save(f"{kind}-{year}.pdf", ContentFile(PDF), save=False)
    filing.save()
    return filing


def test_the_organisation_page_shows_bodies_branches_funds_and_the_charter(client):
    board = OrganisationBody.objects.create(name="第六届理事会", kind="decision", term="2021年9月—2026年9月")
    BodyMember.objects.create(body=board, position="会长", name="刘国平", affiliation="市人大常委会原副主任")
    OrganisationBody.objects.create(name="第六届监事会", kind="supervisory")
    factories.branch(
        "市直工委慈善分会", "市直工委慈善分会", founded_on=D(2009, 3, 1), purpose="组织市直机关募捐"
    )
    NamedFund.objects.create(
        name="珠江合创汇慈善基金",
        founder="珠江合创汇",
        founded_on=D(2019, 6, 1),
        pledged="10000000.00",
        purpose="爱心助学",
    )
    charter = filing_with_pdf("charter", title="衡阳市慈善总会章程", published_on=D(2021, 9, 28))
    page = client.get(reverse("open:organisation")).content.decode()
    for text in (
        "第六届理事会", "决策机构", "任期 2021年9月—2026年9月", "会长", "刘国平", "第六届监事会", "监督机构",
        "市直工委慈善分会", "2009年3月1日", "组织市直机关募捐",
        "珠江合创汇慈善基金", "2019年6月1日", "爱心助学", "1000 万元",
        charter.document.url, "2021年9月28日公布",
    ):  # fmt: skip
        assert text in page, text


def test_documents_are_listed_by_kind_with_year_date_and_errata(client):
    work = filing_with_pdf("annual_work", 2023, published_on=D(2024, 5, 20))
    filing_with_pdf("audit", 2023, title="2023年度审计报告", published_on=D(2024, 4, 30))
    StatutoryFiling.objects.create(
        kind="annual_financial", year=2023, published_on=D(2024, 6, 12)
    )  # 慈善中国
    FilingErratum.objects.create(filing=work, reason="第3页受助人次应为 967 人次")
    page = client.get(reverse("open:documents")).content.decode()
    assert page.index("<h2>年度工作报告</h2>") < page.index("<h2>年度审计报告</h2>")
    assert "2023年度工作报告" in page and "2023年度，2024年5月20日公布" in page
    assert "2023年度审计报告" in page and "<h2>年度财务会计报告</h2>" not in page  # no PDF: not listed
    assert "第3页受助人次应为 967 人次" in page


def test_an_uploaded_annual_report_meets_its_duty_in_the_calendar(client, relief_officer):
    factories.campaign(year=2023)
    today = D(2024, 6, 1)
    overdue = [
        d for d in calendar.duties(today=today) if d.what == "年度工作报告" and d.subject == "2023年度"
    ]
    assert overdue[0].overdue
    client.force_login(relief_officer)
    data = {
        "kind": "annual_work",
        "year": "2023",
        "campaign": "",
        "title": "",
        "published_on": "2024-05-28",
        "where": "本网站",
        "document": SimpleUploadedFile("report.pdf", PDF, "application/pdf"),
        "errata-TOTAL_FORMS": "0",
        "errata-INITIAL_FORMS": "0",
    }
    response = client.post(reverse("admin:relief_statutoryfiling_add"), data)
    assert response.status_code == 302, response.content.decode()
    done = [d for d in calendar.duties(today=today) if d.what == "年度工作报告" and d.subject == "2023年度"]
    assert done[0].status == "done" and done[0].done_on == D(2024, 5, 28)
    assert AuditEntry.objects.filter(action="relief.statutoryfiling.created").exists()
    assert "2023年度工作报告" in client.get(reverse("open:documents")).content.decode()


def test_only_a_pdf_is_taken_and_a_published_one_is_never_replaced(client, relief_officer):
    client.force_login(relief_officer)
    data = {
        "kind": "annual_work",
        "year": "2023",
        "published_on": "2024-05-28",
        "where": "本网站",
        "document": SimpleUploadedFile("report.pdf", b"PK\x03\x04 a word file", "application/pdf"),
        "errata-TOTAL_FORMS": "0",
        "errata-INITIAL_FORMS": "0",
    }
    page = client.post(reverse("admin:relief_statutoryfiling_add"), data).content.decode()
    assert "不是 PDF 文件" in page and not StatutoryFiling.objects.exists()
    filing = filing_with_pdf("annual_work", 2023)
    filing.document.save("other.pdf", ContentFile(PDF), save=False)
    with pytest.raises(SnapshotError, match="文件已公布，不能替换"):
        filing.save()
    page = client.get(reverse("admin:relief_statutoryfiling_change", args=[filing.pk])).content.decode()
    assert 'type="file"' not in page  # shown, not replaceable


def test_a_correction_is_published_on_the_filings_page(client, relief_officer):
    filing = filing_with_pdf("annual_financial", 2023)
    client.force_login(relief_officer)
    data = {
        "kind": "annual_financial",
        "year": "2023",
        "campaign": "",
        "title": "",
        "published_on": "2024-05-20",
        "where": "本网站",
        "errata-TOTAL_FORMS": "1",
        "errata-INITIAL_FORMS": "0",
        "errata-0-reason": "第5页合计应为 2,582.00 万元",
        "errata-0-text": "",
    }
    response = client.post(reverse("admin:relief_statutoryfiling_change", args=[filing.pk]), data)
    assert response.status_code == 302, response.content.decode()
    erratum = FilingErratum.objects.get()
    assert erratum.published_by == relief_officer and erratum.filing == filing
    assert "第5页合计应为 2,582.00 万元" in client.get(reverse("open:documents")).content.decode()


def test_the_released_annual_summary_appears_by_itself(client):
    document = AnnualSummaryDocument.objects.create(
        year=2023,
        fingerprint="f" * 64,
        code="ABC123",
        pdf="annual-summaries/x.pdf",
        rendered_at=timezone.now(),
    )
    AnnualSummaryRelease.objects.create(year=2023, document=document)
    page = client.get(reverse("open:documents")).content.decode()
    assert "<h2>慈善一日捐年度总结</h2>" in page and "2023年度慈善一日捐工作总结" in page
    assert reverse("campaigns:annual_summary", args=[2023]) in page


def test_bodies_and_funds_are_the_administrators_alone(client, relief_officer):
    client.force_login(staff_with_role("pub", "发布员"))
    assert client.get(reverse("admin:relief_organisationbody_add")).status_code == 403
    client.force_login(relief_officer)
    assert client.get(reverse("admin:relief_namedfund_changelist")).status_code == 403
