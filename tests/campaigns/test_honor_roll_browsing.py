"""An issue on a phone (issue #23): a sector index, each sector's list in pages, a search of the
issue's names that finds only what it published, and a page that stays small however long the issue."""

import re

import pytest
from django.urls import reverse

from campaigns.honor_rolls import browsing
from campaigns.views import honor_rolls
from charity import artifacts
from tests import factories
from tests.campaigns.conftest import SECRETS, d, publish_issue

pytestmark = pytest.mark.django_db


def issue_url(issue, query=""):
    return reverse("campaigns:honor_roll", args=[issue.pk]) + query


def get(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.fixture
def long_issue(gifts):
    """The gifts, and 700 named people in 个人: more than the issue's page and two pages show."""
    personal = factories.sector("个人")
    for i in range(700):
        factories.donation(
            factories.person(f"长名单{i:04d}"), gifts, "1000.00", sector=personal, received_on=d("2023-09-20")
        )
    return publish_issue(gifts, 1, "2023-09-30")


def sector_number(issue, name):
    return next(n for n, s in enumerate(issue.content["sectors"], start=1) if s["name"] == name)


def test_the_issue_page_has_a_sector_index_that_jumps_to_each_sector(client, gifts):
    issue = publish_issue(gifts, 1, "2023-09-30")
    body = get(client, issue_url(issue))
    sectors = issue.content["sectors"]
    assert len(sectors) >= 3
    for number in range(1, len(sectors) + 1):
        assert f'href="#sector-{number}"' in body and f'id="sector-{number}"' in body
    # Search and downloads come before the first sector; the fingerprint after the last.
    first_sector = body.index('id="sector-1"')
    assert body.index('name="q"') < first_sector and body.index(".csv") < first_sector
    assert body.index("如何核验") > body.rindex('id="sector-')
    assert issue.content_sha256 in body[body.index("如何核验") :]


def test_a_long_sector_shows_its_first_names_and_its_whole_list_in_pages(client, long_issue):
    personal = sector_number(long_issue, "个人")
    body = get(client, issue_url(long_issue))
    assert "长名单0000" in body and f"长名单{browsing.PREVIEW_ENTRIES:04d}" not in body
    assert f'?sector={personal}"' in body and "查看本版块全部名单" in body
    # 孙一, the alias and 700 people: three pages of 300.
    first = get(client, issue_url(long_issue, f"?sector={personal}"))
    second = get(client, issue_url(long_issue, f"?sector={personal}&page=2"))
    third = get(client, issue_url(long_issue, f"?sector={personal}&page=3"))
    listed = [re.findall(r"长名单\d{4}", page) for page in (first, second, third)]
    assert sum(len(names) for names in listed) == 700
    assert len(set(sum(listed, []))) == 700
    assert "第 2 / 3 页" in second and f"?sector={personal}&amp;page=3" in second
    for query in (
        "?sector=0",
        "?sector=99",
        f"?sector={personal}&page=4",
        "?sector=01",
        "?sector=x",
        "?page=2",
    ):
        assert client.get(issue_url(long_issue, query)).status_code == 404, query


def test_the_page_of_a_large_issue_stays_small(client, long_issue):
    whole = len(get(client, reverse("campaigns:honor_roll_print", args=[long_issue.pk])))
    assert len(get(client, issue_url(long_issue))) < whole / 2


@pytest.mark.parametrize(
    ("query", "found", "sector"),
    [
        ("孙一", "孙一", "个人"),
        ("国资委", "衡阳市国资委", "国资系统"),  # a unit, and its staff by their unit
        ("刘明", "刘明", "国资系统"),
        ("老党员", "一位老党员", "个人"),  # an alias is the public name
    ],
)
def test_search_finds_a_name_or_unit_and_its_sector(client, gifts, query, found, sector):
    issue = publish_issue(gifts, 1, "2023-09-30")
    response = client.get(issue_url(issue, f"?q={query}"))
    body = response.content.decode()
    results = body[body.index('class="search-results"') :]
    assert found in results and sector in results
    assert f'?sector={sector_number(issue, sector)}"' in results
    # Every search is a page of its own: never kept by the whole-page cache.
    assert "no-cache" in response["Cache-Control"]


def test_search_never_finds_an_anonymous_donor_by_their_real_name(client, gifts):
    issue = publish_issue(gifts, 1, "2023-09-30")
    for secret in SECRETS:
        body = get(client, issue_url(issue, f"?q={secret}"))
        assert "本期没有找到" in body, secret
        assert "爱心人士 ·" not in body  # no match listed under any name


def test_search_of_a_common_name_shows_the_first_matches_and_how_many(client, long_issue):
    body = get(client, issue_url(long_issue, "?q=长名单"))
    assert "找到 700 条" in body and f"前 {browsing.SEARCH_LIMIT} 条" in body
    assert body.count('class="where"') == browsing.SEARCH_LIMIT
    # The 301st name is on the sector's second page, and its link says so.
    body = get(client, issue_url(long_issue, "?q=长名单0299"))
    assert f"?sector={sector_number(long_issue, '个人')}&amp;page=2" in body


def test_one_share_image_per_sector(client, long_issue):
    artifacts.render_all(long_issue)
    body = get(client, issue_url(long_issue))
    sectors = long_issue.content["sectors"]
    for number in range(1, len(sectors) + 1):
        url = reverse("campaigns:honor_roll_png", args=[long_issue.pk, number])
        assert url in body
        assert client.get(url)["Content-Type"] == "image/png"
    past = reverse("campaigns:honor_roll_png", args=[long_issue.pk, len(sectors) + 1])
    assert client.get(past).status_code == 404


def test_the_issue_list_writes_the_year_of_each_cut_off(client, gifts):
    publish_issue(gifts, 1, "2023-09-30")
    body = get(client, reverse("campaigns:honor_roll_list", args=[gifts.pk]))
    assert "2023年9月30日" in body


def test_search_matches_every_word_of_a_query_in_one_row():
    sector = {
        "name": "住建系统",
        "units": [{"name": "衡阳市城市建设投资有限公司第二工程项目管理部", "amount": "1.00"}],
        "people": [{"name": "Wang Fang", "amount": "2.00"}, {"name": "第二", "amount": "3.00"}],
        "staff": [{"name": "建设者", "unit": "衡阳市住建局", "amount": "4.00"}],
    }
    index = browsing.search_index({"sectors": [sector]})
    names = lambda query: [m["name"] for m in browsing.search(index, query).matches]  # noqa: E731
    assert names("建设 第二") == ["衡阳市城市建设投资有限公司第二工程项目管理部"]
    assert names("第二") == ["衡阳市城市建设投资有限公司第二工程项目管理部", "第二"]
    assert names("wang") == ["Wang Fang"]
    assert names("住建局") == ["建设者"]  # a staff member by their unit
    assert browsing.search(index, "建设").total == 2
    assert names("无此人") == []


def test_search_reads_the_index_stored_at_publication(client, gifts, monkeypatch):
    issue = publish_issue(gifts, 1, "2023-09-30")
    artifacts.render_all(issue)  # as the worker does when the issue is published
    honor_rolls.SEARCHED_ISSUES.clear()  # a process that has not searched it yet

    def fail(content):
        raise AssertionError("the index is built at publication, not by a search")

    monkeypatch.setattr(browsing, "search_index", fail)
    assert "孙一" in get(client, issue_url(issue, "?q=孙一")).split('class="search-results"')[1]
