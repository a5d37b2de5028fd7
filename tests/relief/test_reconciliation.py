"""Disclosures reconcile on the page (issue #19, item 8): what is listed plus what is not, by
reason and in 人次 and 元 only, equals the stated totals, to the fen; no unlisted person's name or
identity number appears anywhere the public can read; small reason groups are merged.
"""

import csv
import datetime
import io
import json
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from charity.text import mask_name
from relief import privacy, services
from relief.models import Beneficiary, Disbursement, Disclosure, DisclosureErratum
from tests import factories
from tests.relief import helpers

pytestmark = pytest.mark.django_db

CHILD_BORN = datetime.date(2015, 3, 1)  # a minor on any 公示期 of these tests


def lines_of(disclosure):
    return [
        (line["label"], line["people"], Decimal(line["amount"]))
        for line in disclosure.content["reconciliation"]
    ]


def assert_adds_up(disclosure):
    """Every line but the last adds up to the last, which is the stated totals."""
    *parts, (label, people, amount) = lines_of(disclosure)
    assert label == "合计"
    assert (people, amount) == (disclosure.content["people_helped"], Decimal(disclosure.content["total"]))
    assert sum(p for _, p, _ in parts) == people
    assert sum((a for _, _, a in parts), Decimal("0.00")) == amount


def public_texts(client, disclosure):
    """The page, the CSV, every cell of the xlsx and the JSON, as text."""
    page = client.get(reverse("relief:disclosure", args=[disclosure.pk])).content.decode()
    csv_text = client.get(reverse("relief:disclosure_csv", args=[disclosure.pk])).content.decode("utf-8-sig")
    book = openpyxl.load_workbook(
        io.BytesIO(client.get(reverse("relief:disclosure_xlsx", args=[disclosure.pk])).content)
    )
    cells = "\n".join(
        str(value) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for value in row
    )
    data = client.get(reverse("relief:disclosure_json", args=[disclosure.pk])).content.decode()
    return {"page": page, "csv": csv_text, "xlsx": cells, "json": data}


def assert_names_withheld(client, disclosure, withheld):
    texts = public_texts(client, disclosure)
    listed = {r["name"] for r in disclosure.content["recipients"]}
    for person in withheld:
        for where, text in texts.items():
            assert person.name not in text, where
            assert person.id_number not in text and person.id_number[-4:] + "\n" not in text, where
            if mask_name(person.name) not in listed:  # a listed namesake masks the same way
                assert mask_name(person.name) not in text, where


@pytest.fixture
def mixed():
    """10 人次 and 10,000 元 stated: 3 listed, 3 minors, 3 who asked, 1 人次 and 4,600 元 unregistered."""
    project = factories.project()
    paid = helpers.disbursement(project, amount="10000.00", people_helped=10)
    listed = [helpers.beneficiary(name=f"公开{i}号") for i in range(3)]
    minors = [
        helpers.beneficiary(name=f"未成年{i}", id_number=helpers.id_number(born=CHILD_BORN)) for i in range(3)
    ]
    asked = [helpers.beneficiary(name=f"不愿具名{i}", name_withheld=True) for i in range(3)]
    for person in listed:
        helpers.share(paid, person, "500.00")
    for person in minors:
        helpers.share(paid, person, "600.00")
    for person in asked:
        helpers.share(paid, person, "700.00")
    return project, minors + asked


def test_listed_and_unlisted_lines_add_up_to_the_stated_totals(client, mixed):
    project, withheld = mixed
    disclosure = services.publish_disclosure(helpers.disclosure(project))

    assert lines_of(disclosure) == [
        ("公示名单（3 人）", 3, Decimal("1500.00")),
        (privacy.MINOR, 3, Decimal("1800.00")),
        (privacy.ASKED, 3, Decimal("2100.00")),
        (privacy.NOT_REGISTERED, 1, Decimal("4600.00")),
        ("合计", 10, Decimal("10000.00")),
    ]
    assert_adds_up(disclosure)
    assert_names_withheld(client, disclosure, withheld)


def test_a_reason_group_of_fewer_than_three_is_merged_with_the_others(client, mixed):
    project, withheld = mixed
    # Two of the three minors leave: one minor would be named by the line "未成年人, 1 人次".
    paid = Disbursement.objects.get(project=project)
    paid.shares.filter(beneficiary__name__in=["未成年1", "未成年2"]).delete()
    disclosure = services.publish_disclosure(helpers.disclosure(project))

    assert lines_of(disclosure) == [
        ("公示名单（3 人）", 3, Decimal("1500.00")),
        (privacy.WITHHELD_TOGETHER, 4, Decimal("2700.00")),
        (privacy.NOT_REGISTERED, 3, Decimal("5800.00")),
        ("合计", 10, Decimal("10000.00")),
    ]
    assert_adds_up(disclosure)
    page = public_texts(client, disclosure)["page"]
    assert privacy.WITHHELD_TOGETHER in page and f"<td>{privacy.MINOR}</td>" not in page
    assert_names_withheld(client, disclosure, withheld)


def test_the_page_and_downloads_show_the_lines_and_their_total(client, mixed):
    project, _ = mixed
    disclosure = services.publish_disclosure(helpers.disclosure(project))
    texts = public_texts(client, disclosure)
    assert "名单与支出核对" in texts["page"] and "本人要求不公开姓名" in texts["page"]
    assert (
        '<td><strong>合计</strong></td><td class="num">10</td><td class="num amount">10,000.00</td>'
        in texts["page"]
    )
    rows = list(csv.reader(io.StringIO(texts["csv"])))
    assert ["合计", "10", "10000.00"] in rows and [privacy.NOT_REGISTERED, "1", "4600.00"] in rows
    book = openpyxl.load_workbook(
        io.BytesIO(client.get(reverse("relief:disclosure_xlsx", args=[disclosure.pk])).content)
    )
    last = list(book["名单与支出核对"].iter_rows(values_only=True))[-1]
    assert last == ("合计", 10, 10000)
    data = json.loads(texts["json"])
    assert data["reconciliation"][-1] == {"label": "合计", "people": 10, "amount": "10000.00"}


def test_a_disclosure_frozen_before_the_lines_still_renders(client, mixed):
    project, _ = mixed
    disclosure = services.publish_disclosure(helpers.disclosure(project))
    old = {key: value for key, value in disclosure.content.items() if key != "reconciliation"}
    Disclosure.objects.filter(pk=disclosure.pk).update(content=old)  # as frozen before issue #19

    page = client.get(reverse("relief:disclosure", args=[disclosure.pk]))
    assert page.status_code == 200 and "名单与支出核对" not in page.content.decode()
    for name in ("relief:disclosure_csv", "relief:disclosure_xlsx", "relief:disclosure_json"):
        assert client.get(reverse(name, args=[disclosure.pk])).status_code == 200


# The demo: 6 published disclosures, where the issue saw 98 人次 and 196,000 元 spent against 18
# people and 36,000 元 listed, with nothing saying why. ------------------------------------------


def test_every_demo_disclosure_adds_up_and_names_no_one_unlisted(demo_site, client):
    published = Disclosure.objects.filter(status=Disclosure.Status.PUBLISHED).select_related("project")
    assert published.count() == 6
    for disclosure in published:
        assert_adds_up(disclosure)
        spent = Disbursement.objects.for_project(disclosure.project).between(
            disclosure.period_start, disclosure.period_end
        )
        withheld = [
            person
            for person in Beneficiary.objects.filter(shares__disbursement__in=spent).distinct()
            if privacy.never_listed(person, disclosure.project, disclosure.objection_start)
        ]
        assert_names_withheld(client, disclosure, withheld)
    assert DisclosureErratum.objects.exists()  # the demo's erratum does not change the lines
    first = published.get(title="2023年慈善光明行受助名单公示（第一批）")
    assert lines_of(first) == [
        ("公示名单（16 人）", 16, Decimal("32000.00")),
        (privacy.WITHHELD_TOGETHER, 2, Decimal("4000.00")),  # two minors: merged, not named a group
        (privacy.NOT_REGISTERED, 80, Decimal("160000.00")),
        ("合计", 98, Decimal("196000.00")),
    ]
