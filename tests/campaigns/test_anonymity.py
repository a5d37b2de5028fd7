"""No real name of an anonymous or aliased donor on any output; their amounts still count."""

import json
import subprocess

import pytest
from django.urls import reverse

from campaigns import services
from campaigns.honor_rolls.sharing import sector_share_lines
from campaigns.models import RankingCategory
from campaigns.rankings.sharing import share_lines as ranking_lines
from tests.campaigns.conftest import SECRETS, new_edition, publish_issue

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(gifts, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"  # where the issue's PDF is stored
    issue = publish_issue(gifts, 1, "2023-09-30")
    services.publish_honor_roll_erratum(issue, "一条更正", None)
    edition = services.publish_ranking(new_edition(), None)
    return issue, edition


def outputs(client, issue, edition):
    """Every public output of an issue and an edition, as text."""
    urls = [
        reverse("campaigns:honor_roll_list", args=[issue.campaign_id]),
        reverse("campaigns:honor_roll", args=[issue.pk]),
        reverse("campaigns:honor_roll_print", args=[issue.pk]),
        reverse("campaigns:honor_roll_csv", args=[issue.pk]),
        reverse("campaigns:honor_roll_json", args=[issue.pk]),
        reverse("campaigns:honor_roll_pdf", args=[issue.pk]),
        reverse("campaigns:ranking_list"),
        reverse("campaigns:ranking", args=[edition.pk]),
        reverse("campaigns:ranking_csv", args=[edition.pk]),
        reverse("campaigns:ranking_json", args=[edition.pk]),
    ]
    urls += [
        reverse("campaigns:ranking_category", args=[edition.pk, c["id"]])
        for c in edition.content["categories"]
    ]
    texts = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        if response.streaming:  # the PDF, read as a reader reads it
            pdf = b"".join(response.streaming_content)
            body = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout
            texts[url] = body.decode()
            continue
        body = response.content.decode("utf-8-sig")
        if url.endswith(".json"):
            body = json.dumps(json.loads(body), ensure_ascii=False)  # no \u escapes hiding a name
        texts[url] = body
    # What the images draw: their text source.
    pictures = [sector_share_lines(issue.content, sector) for sector in issue.content["sectors"]]
    texts["issue image"] = json.dumps(pictures, ensure_ascii=False)
    for c in edition.content["categories"]:
        texts[f"ranking image {c['name']}"] = json.dumps(
            ranking_lines(edition.content, c), ensure_ascii=False
        )
    texts["issue content"] = json.dumps(issue.content, ensure_ascii=False)
    texts["edition content"] = json.dumps(edition.content, ensure_ascii=False)
    return texts


def test_no_output_names_an_anonymous_donor(client, published):
    for where, text in outputs(client, *published).items():
        for secret in SECRETS:
            assert secret not in text, f"{secret} in {where}"


def test_anonymous_gifts_show_as_aixinrenshi_or_alias_and_still_count(client, published):
    issue, edition = published
    texts = outputs(client, issue, edition)
    page = texts[reverse("campaigns:honor_roll", args=[issue.pk])]
    assert "爱心人士" in page and "一位老党员" in page
    assert "3,000.00" in page  # the anonymous donor's amount is shown under 爱心人士
    assert issue.content["total"] == "12850.00"  # every amount counted
    assert "爱心人士" in texts["issue image"] and "一位老党员" in texts["issue image"]
    individuals = next(
        c for c in edition.content["categories"] if c["kind"] == RankingCategory.Kind.INDIVIDUALS
    )
    assert individuals["entries"][0]["name"] == "爱心人士"
    assert "donor_id" not in texts["issue content"] and "donor_id" not in texts["edition content"]
