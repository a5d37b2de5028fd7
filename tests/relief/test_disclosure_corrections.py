"""A disclosure's structured 更正说明, prepared from drift: on its page and in the CSV, XLSX and JSON,
with masked names only (a beneficiary's real name never reaches a public file)."""

import csv
import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from campaigns.corrections import drafts
from campaigns.models import CorrectionDraft
from charity.snapshots import VOID_STATEMENT
from relief import services
from relief.models import Beneficiary, Disbursement, DisbursementShare
from tests import factories
from tests.relief import helpers

pytestmark = pytest.mark.django_db

LABEL = "受助人「雁峰区 王*明」"


def person(name, seq, district="珠晖区"):
    return Beneficiary.objects.create(name=name, district=district, id_number=helpers.id_number(seq=seq))


@pytest.fixture
def published():
    """Two people sharing one disbursement, published. Made without helpers.beneficiary() and
    helpers.disbursement(), which draw numbers from the session's shared sequence that other
    modules' data depends on (tests/relief/test_reconciliation.py)."""
    project = factories.project()
    paid = Disbursement.objects.create(
        project=project, amount=Decimal("10000.00"), paid_on=datetime.date(2023, 5, 1), voucher_no="ZC-G-1",
        people_helped=2,
    )  # fmt: skip
    for beneficiary in (person("王小明", 901, district="雁峰区"), person("李春花", 902)):
        helpers.share(paid, beneficiary)
    return services.publish_disclosure(helpers.disclosure(project, title="2023年慈善光明行受助名单公示"))


def test_a_drifted_disclosure_gets_a_draft_published_as_its_erratum_in_every_download(
    client, admin_user, published
):
    DisbursementShare.objects.filter(beneficiary__name="王小明").update(amount=Decimal("450.00"))
    (draft,) = drafts.prepare_all_drafts(admin_user)
    assert draft.document == published
    assert {"label": LABEL, "before": "500.00 元", "after": "450.00 元"} in draft.changes
    assert "王小明" not in str(draft.changes)

    erratum = drafts.publish_draft(draft, admin_user, reason="王*明的救助金额录入有误，实发 450 元")
    assert erratum.disclosure == published
    assert CorrectionDraft.objects.get().status == CorrectionDraft.Status.PUBLISHED

    page = client.get(reverse("relief:disclosure", args=[published.pk])).content.decode()
    for text in ("更正原因", "实发 450 元", LABEL, "450.00 元", VOID_STATEMENT):
        assert text in page
    rows = list(
        csv.reader(
            io.StringIO(
                client.get(reverse("relief:disclosure_csv", args=[published.pk])).content.decode("utf-8-sig")
            )
        )
    )
    assert ["更正项目", LABEL, "原公布", "500.00 元", "更正后", "450.00 元"] in [r[2:] for r in rows]
    assert ["声明", VOID_STATEMENT] in [r[2:] for r in rows]
    workbook = openpyxl.load_workbook(
        io.BytesIO(client.get(reverse("relief:disclosure_xlsx", args=[published.pk])).content)
    )
    sheet = [[c.value for c in row] for row in workbook["更正说明"].iter_rows()]
    assert ["更正原因", "王*明的救助金额录入有误，实发 450 元"] == sheet[0][2:4]
    assert [LABEL, "原公布", "500.00 元", "更正后", "450.00 元"] in [row[3:8] for row in sheet]
    data = client.get(reverse("relief:disclosure_json", args=[published.pk])).json()
    assert data["errata"][0]["changes"] == erratum.changes
    assert data["errata"][0]["void_statement"] == VOID_STATEMENT
    assert data["recipients"][1]["amount"] == "500.00"  # the original stays as published
    for surface in (page, str(rows), str(sheet), str(data)):
        assert "王小明" not in surface
