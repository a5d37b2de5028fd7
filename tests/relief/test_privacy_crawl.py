"""Privacy proof: crawl every public page and download of the demo site and look for what must
never be public: a beneficiary's full name, an identity number or anything shaped like one, an
anonymous donor's real name.

The crawl (tests/crawl.py) reads every HTML page, CSV, JSON, SVG, xlsx and PDF it can reach.
"""

import re

import pytest
from django.db.models import Q
from django.test import Client

from donations.models import Donation, Donor, RemittanceLine
from relief.idnumbers import ID_NUMBER_SHAPE
from relief.models import Beneficiary
from tests.crawl import crawl

# A 15-digit (first-generation) identity number or any longer run of digits; not the decimals of
# a chart's coordinates (123.771153846153865).
LONG_DIGITS = re.compile(r"(?<![0-9.])[0-9]{15,}(?![0-9])")
# A SHA-256 fingerprint or other hash printed on a page (honor rolls show theirs): a run of 15 or
# more digits inside one is chance, not an identity number, and the demo's dates change the hashes
# every day, so without this the crawl failed on some days only.
HEX_DIGEST = re.compile(r"(?<![0-9A-Za-z])[0-9a-fA-F]{32,}(?![0-9A-Za-z])")


def suspected_id_numbers(text):
    digits = HEX_DIGEST.sub(" ", text)
    return ID_NUMBER_SHAPE.findall(digits) + LONG_DIGITS.findall(digits)


def secret_donor_names():
    """Real names of donors the public must not see, less those a public name contains (a
    homonym or a longer name that is public is not a leak)."""
    anonymous_gift = Q(donations__anonymous=True) | Q(remittance_lines__anonymous=True)
    public_gift = Q(donations__anonymous=False) | Q(remittance_lines__anonymous=False)
    hidden = set(
        Donor.objects.filter(Q(display__in=["anonymous", "alias"]) | anonymous_gift).values_list(
            "name", flat=True
        )
    )
    shown = set(Donation.objects.for_public_display().values_list("public_name", flat=True))
    shown |= set(RemittanceLine.objects.for_public_display().values_list("public_name", flat=True))
    shown |= set(Donor.objects.filter(display="real").filter(public_gift).values_list("name", flat=True))
    everything_shown = "\n".join(shown)
    return {name for name in hidden if name not in everything_shown}


def found_names(text, names):
    lengths = {len(n) for n in names}
    return {text[i : i + n] for n in lengths for i in range(len(text) - n + 1) if text[i : i + n] in names}


@pytest.mark.django_db
def test_no_public_page_or_download_reveals_what_must_stay_private(demo_site, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"  # the honor rolls' PDFs are stored when first asked for
    people = list(Beneficiary.objects.all())
    assert len(people) >= 50
    beneficiary_names = {p.name for p in people}
    id_numbers = {p.id_number for p in people}
    donors = secret_donor_names()
    assert len(donors) > 10, "演示数据中应有匿名捐赠人"

    pages = crawl(Client())
    # The crawl reached the relief pages and every kind of download.
    assert "/relief/" in pages and "/relief/disclosures/" in pages
    for suffix in ("/", ".csv", ".xlsx", ".json"):
        assert any(re.fullmatch(rf"/relief/disclosures/\d+{re.escape(suffix)}", url) for url in pages), suffix
    assert any(re.fullmatch(r"/relief/projects/\d+/", url) for url in pages)
    assert any(re.fullmatch(r"/relief/years/\d+/", url) for url in pages)
    assert any(re.fullmatch(r"/honor-rolls/\d+/pdf/", url) for url in pages)

    leaks = []
    for url, text in pages.items():
        for name in found_names(text, beneficiary_names):
            leaks.append(f"{url}: 受助人全名 {name}")
        for name in found_names(text, donors):
            leaks.append(f"{url}: 匿名捐赠人真实姓名 {name}")
        for match in suspected_id_numbers(text):
            leaks.append(f"{url}: 疑似身份证号码 {match}")
        for number in id_numbers:
            if number in text or number[6:14] + number[14:17] in text:
                leaks.append(f"{url}: 身份证号码的一部分")
    assert leaks == [], "\n".join(leaks[:50])


@pytest.mark.django_db
def test_the_crawl_would_see_a_leak(demo_site, monkeypatch):
    """The detector itself: a page that printed a beneficiary's name and number is caught."""
    person = Beneficiary.objects.first()
    text = f"<td>{person.name}</td><td>{person.id_number}</td>"
    assert found_names(text, {person.name}) == {person.name}
    assert ID_NUMBER_SHAPE.search(text)
    assert suspected_id_numbers(text)


def test_a_fingerprint_is_not_an_identity_number():
    """A hash with a long run of digits is chance; a number printed beside it is still caught."""
    digest = "3f" + "1101051990030712340" + "ab" * 21
    assert LONG_DIGITS.search(digest)
    assert suspected_id_numbers(f"<code>{digest}</code>") == []
    assert "110105199003071234" in suspected_id_numbers(f"<code>{digest}</code> 110105199003071234")
