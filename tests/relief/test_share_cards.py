"""Every relief page names its og:image card, and the card renders without naming anyone helped."""

import datetime
import re

import pytest

from tests import factories
from tests.relief.helpers import beneficiary, disbursement, published_disclosure

pytestmark = pytest.mark.django_db


def test_relief_pages_have_cards(client):
    project = factories.project("慈善光明行")
    disbursement(project, "3000.00", paid_on=datetime.date(2023, 10, 1))
    disclosure = published_disclosure(project, people=[beneficiary("欧阳小花")])
    pages = [
        "/relief/",
        f"/relief/projects/{project.pk}/",
        "/relief/disclosures/",
        f"/relief/disclosures/{disclosure.pk}/",
        "/relief/years/2023/",
    ]
    for page in pages:
        found = re.search(
            r'<meta property="og:image" content="http://testserver([^"]+)"', client.get(page).content.decode()
        )
        assert found, page
        card = client.get(found.group(1))
        assert card.status_code == 200 and card.content.startswith(b"\x89PNG"), page


def test_the_disclosure_card_says_nothing_of_the_people_listed():
    from charity.images import card_for

    project = factories.project("慈善光明行")
    disclosure = published_disclosure(project, people=[beneficiary("欧阳小花")])
    card = card_for("disclosure", disclosure.pk)
    text = " ".join([card.title, *card.lines])
    assert "欧阳" not in text and "小花" not in text and "公示期" in text
