"""Every public CSV and xlsx download keeps hostile text as text, and money as numbers.

Formula payloads go in wherever the public or staff type a name: donor names, aliases, staff
lines, honours, project names (a disclosure's title), beneficiaries' names and errata. Each
issue, edition and disclosure is published through its service, every download is fetched, and
every cell is checked. The list of downloads comes from the URLconf, so a new one fails here
until it is added to DOWNLOADS.
"""

import csv
import io
import re
import zipfile
from decimal import Decimal

import openpyxl
import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from campaigns import services
from campaigns.models import RankingEntry
from campaigns.rankings.models import RankingCategory
from charity.spreadsheets import FORMULA_PREFIXES
from donations.models import Donation, Donor, RemittanceLine
from donations.review import reverse_donation
from relief import services as relief_services
from tests import factories
from tests.campaigns.conftest import d, new_edition, new_issue
from tests.relief import helpers

pytestmark = pytest.mark.django_db

PAYLOADS = [
    "=cmd|' /C calc'!A0",
    "@SUM(1,2)",
    "+1+1",
    "-2+3",
    "\t=1+1",
    "\r=1+1",
    '=HYPERLINK("http://example.com/x","点此查看更正详情")',
    "<r>=1+1</r>",  # xlsxwriter's raw rich-text path (charity.spreadsheets.write_text)
]
# Public download URL names, by the file they serve. JSON needs no escaping, but is listed so
# that no download is forgotten: a new name in the URLconf must be added here.
DOWNLOADS = {
    "campaigns:honor_roll_csv": "issue",
    "campaigns:ranking_csv": "edition",
    "relief:disclosure_csv": "disclosure",
    "relief:disclosure_xlsx": "disclosure",
    "campaigns:honor_roll_json": "issue",
    "campaigns:ranking_json": "edition",
    "relief:disclosure_json": "disclosure",
}
NEGATIVE_AMOUNT = re.compile(r"^-\d+\.\d{2}$")


def download_url_names(resolver=None, namespace=""):
    """Names of every URL pattern that serves a .csv, .xlsx or .json file."""
    names = set()
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            if pattern.app_name == "admin":
                continue  # staff's own export, checked in tests/donations/test_export.py
            names |= download_url_names(pattern, inner)
        elif isinstance(pattern, URLPattern) and str(pattern.pattern).endswith((".csv", ".xlsx", ".json")):
            names.add(namespace + pattern.name)
    return names


def test_every_public_download_is_checked():
    assert download_url_names() == set(DOWNLOADS)


@pytest.fixture
def published(campaign, admin_user):
    """An honor-roll issue with every payload as a unit, a person, an alias and a staff line; a
    second issue with a correction (a negative amount); a ranking edition and a disclosure per
    payload, each with an erratum that is the payload."""
    personal = factories.sector("个人")
    reversed_later = None
    for n, payload in enumerate(PAYLOADS):
        # Names are stored normalised ("\t=1+1" becomes "=1+1"): a number keeps each one apart.
        unit = factories.unit(f"{payload}{n}")
        remittance = factories.donation(unit, campaign, "5000.00", received_on=d("2023-09-05"))
        staff = factories.person(f"{payload}{n}", employer=unit)
        RemittanceLine.objects.create(remittance=remittance, donor=staff, amount=Decimal("1200.00"))
        person = factories.person(f"{payload}{n}")
        reversed_later = factories.donation(
            person, campaign, f"{2000 + n}.00", sector=personal, received_on=d("2023-09-10")
        )
        alias = factories.person(f"别名{n}", display=Donor.Display.ALIAS, alias=payload)
        factories.donation(alias, campaign, "1500.00", sector=personal, received_on=d("2023-09-10"))
    first = services.publish_honor_roll(new_issue(campaign, 1, "2023-09-30"), admin_user)
    Donation.objects.filter(pk=reversed_later.pk).update(
        status=Donation.Status.CONFIRMED, confirmed_at=timezone.now(), confirmed_by=admin_user
    )
    reverse_donation(reversed_later, "金额录错", admin_user)
    # The reversal is dated today, so the issue that lists it closes today.
    second = services.publish_honor_roll(new_issue(campaign, 2, str(timezone.localdate())), admin_user)

    edition = new_edition()
    honours = edition.categories.get(kind=RankingCategory.Kind.HONOURS)
    for payload in PAYLOADS:
        RankingEntry.objects.create(category=honours, public_name=payload, honour=payload, citation=payload)
    edition = services.publish_ranking(edition, admin_user)

    disclosures = []
    for n, payload in enumerate(PAYLOADS):
        people = [helpers.beneficiary(payload), helpers.beneficiary(f"受助人{n}")]
        disclosure = helpers.published_disclosure(factories.project(payload), people)
        relief_services.publish_disclosure_erratum(disclosure, payload, admin_user)
        disclosures.append(disclosure)
    for payload in PAYLOADS:
        services.publish_honor_roll_erratum(first, payload, admin_user)
        services.publish_ranking_erratum(edition, payload, admin_user)
    return {"issue": [first, second], "edition": [edition], "disclosure": disclosures}


def dangerous(text):
    return text.startswith(FORMULA_PREFIXES)


def check_csv(body, url):
    text = body.decode("utf-8-sig")
    cells = [cell for row in csv.reader(io.StringIO(text, newline="")) for cell in row]
    for cell in cells:
        # A negative amount is a number, written as one; any other such cell is a formula.
        assert not dangerous(cell) or NEGATIVE_AMOUNT.match(cell), (url, cell)
    return cells


def check_xlsx(body, url):
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        for name in archive.namelist():
            xml = archive.read(name)
            assert b"<f>" not in xml and b"<f " not in xml and b"<hyperlink" not in xml, (url, name)
    cells = []
    for sheet in openpyxl.load_workbook(io.BytesIO(body)).worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (url, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    assert not dangerous(cell.value), (url, cell.coordinate, cell.value)
                cells.append(cell.value)
    return cells


def test_no_public_download_holds_a_formula(client, published):
    seen = []
    for name, kind in DOWNLOADS.items():
        for snapshot in published[kind]:
            url = reverse(name, args=[snapshot.pk])
            response = client.get(url)
            assert response.status_code == 200, url
            if url.endswith(".csv"):
                seen += check_csv(response.content, url)
            elif url.endswith(".xlsx"):
                seen += check_xlsx(response.content, url)
    texts = [cell for cell in seen if isinstance(cell, str)]
    # The payloads arrived, kept as text behind an apostrophe (names masked in disclosures).
    for payload in ("=cmd|' /C calc'!A0", "@SUM(1,2)", "+1+1", "-2+3"):
        assert "'" + payload in texts, payload
    assert "<r>=1+1</r>" in texts  # not a formula prefix: kept exactly, as one plain text
    assert any(cell.startswith("'=HYPERLINK(") for cell in texts)  # an erratum in the xlsx and CSV
    # The correction of the second issue stays a negative number.
    assert any(NEGATIVE_AMOUNT.match(cell) for cell in texts)


def test_money_in_the_disclosure_workbook_is_numeric(client, published):
    body = client.get(reverse("relief:disclosure_xlsx", args=[published["disclosure"][0].pk])).content
    sheet = openpyxl.load_workbook(io.BytesIO(body)).worksheets[0]
    amounts = [row[3].value for row in sheet.iter_rows(min_row=5)]
    assert amounts and all(isinstance(a, int | float) for a in amounts)
