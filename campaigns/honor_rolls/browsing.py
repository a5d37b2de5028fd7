"""An issue read on a phone: its sectors one by one, in pages, and a search over its names.

A 100,000-gift issue names some 45,000 people: as one page it was 4.3 MB of HTML, 34,477 px tall
on a phone (issue #23), and 130-160 ms to serve after a flush (bench/public_bench.py). So the
issue's page lists each sector's first PREVIEW_ENTRIES names under a sector index that jumps to
them, and a sector's whole list is paged (`?sector=N&page=P`, N the sector's place in the issue
from 1). Only the frozen content is read, so nothing here can show more than the issue
published: anonymous donors are "爱心人士" (or their chosen name) in it, and so in every search.
"""

import math
from dataclasses import dataclass

# A sector's first names on the page: a few screens of a phone per sector, so that the
# demo's issue 5 (24 sectors, up to 189 names each) stays a page one scrolls through; the rest
# is one tap away on the sector's own page.
PREVIEW_ENTRIES = 30
# Names per page of a sector's own list: about 30 KB of HTML.
PAGE_ENTRIES = 300
# Matches shown for one search: a common name ("爱心人士", a surname) matches thousands.
SEARCH_LIMIT = 50
SEARCH_MAX_LENGTH = 40

UNIT, PERSON, CORRECTION, STAFF = "unit", "person", "correction", "staff"
KIND_LABELS = {UNIT: "单位", PERSON: "爱心人士", CORRECTION: "更正", STAFF: "单位职工"}


def entries(sector):
    """The sector's listed rows in the page's order: units, people, corrections, staff."""
    rows = [{"kind": UNIT, "name": u["name"], "amount": u["amount"]} for u in sector["units"]]
    rows += [{"kind": PERSON, "name": p["name"], "amount": p["amount"]} for p in sector["people"]]
    rows += [
        {"kind": CORRECTION, "name": c["name"], "amount": c["amount"], "issue": c["issue"]}
        for c in sector.get("corrections", [])  # issues published before reversals had none
    ]
    rows += [
        {"kind": STAFF, "name": s["name"], "unit": s["unit"], "amount": s["amount"]} for s in sector["staff"]
    ]
    return rows


@dataclass
class SectorView:
    number: int  # the sector's place in the issue, from 1: its anchor, page and share image
    sector: dict
    groups: list  # [(kind, [rows])] of the rows shown, consecutive rows of a kind together
    shown: int
    total_entries: int
    page: int = 1
    pages: int = 1

    @property
    def is_partial(self):
        return self.shown < self.total_entries


def group_by_kind(rows):
    groups = []
    for row in rows:
        if groups and groups[-1][0] == row["kind"]:
            groups[-1][1].append(row)
        else:
            groups.append((row["kind"], [row]))
    return groups


def sector_previews(content):
    """Every sector with its first PREVIEW_ENTRIES rows, for the issue's page."""
    views = []
    for number, sector in enumerate(content["sectors"], start=1):
        rows = entries(sector)
        shown = rows[:PREVIEW_ENTRIES]
        views.append(SectorView(number, sector, group_by_kind(shown), len(shown), len(rows)))
    return views


def outline(content):
    """What every page of the issue shows about it, small enough to keep beside the pages: its
    title, campaign, cut-off and sectors (name, total, pages of its list)."""
    return {
        "title": content["title"],
        "campaign": content["campaign"],
        "number_label": content["number_label"],
        "cut_off": content["cut_off"],
        "sectors": [
            {"number": number, "name": s["name"], "total": s["total"], "pages": page_count(s)}
            for number, s in enumerate(content["sectors"], start=1)
        ],
    }


def page_count(sector):
    return max(1, math.ceil(len(entries(sector)) / PAGE_ENTRIES))


def sector_page(content, number, page):
    """Page `page` of sector `number` (both from 1), or None when there is no such page."""
    if not 1 <= number <= len(content["sectors"]):
        return None
    sector = content["sectors"][number - 1]
    rows = entries(sector)
    pages = max(1, math.ceil(len(rows) / PAGE_ENTRIES))
    if not 1 <= page <= pages:
        return None
    shown = rows[(page - 1) * PAGE_ENTRIES : page * PAGE_ENTRIES]
    return SectorView(number, sector, group_by_kind(shown), len(shown), len(rows), page, pages)


def search_index(content):
    """Every listed row as a line of one string: the text searched (its name, and a staff
    member's unit, case-folded), then what a match shows, separated by tabs. str.find over one
    string finds a name among 45,000 (a 100,000-gift issue) in about a millisecond, where testing
    rows one by one in Python took 45 ms; and one string loads from the cache at once."""
    lines = []
    for number, sector in enumerate(content["sectors"], start=1):
        for position, row in enumerate(entries(sector)):
            unit = row.get("unit", "")
            fields = (
                f"{row['name']} {unit}".casefold(),
                KIND_LABELS[row["kind"]],
                row["name"],
                unit,
                row["amount"],
                str(number),
                sector["name"],
                str(position // PAGE_ENTRIES + 1),
            )
            # Names hold no tab or line break; should one, it must not break the line up.
            lines.append("\t".join(" ".join(str(field).split()) for field in fields))
    return "\n".join(lines) + "\n"


@dataclass
class SearchResult:
    query: str
    matches: list  # [{"label", "name", "unit", "amount", "number", "sector", "page"}]
    total: int

    @property
    def is_partial(self):
        return self.total > len(self.matches)


def search(index, query):
    """The rows whose name (or unit) contains `query`, at most SEARCH_LIMIT of them; every part
    of a query of several words must match ("建设 第二" finds 衡阳市城市建设投资有限公司第二…)."""
    words = sorted(set(query.casefold().split()), key=len, reverse=True)
    matches, total = [], 0
    found = index.find(words[0]) if words else -1
    while found != -1:
        start, end = index.rfind("\n", 0, found) + 1, index.index("\n", found)
        searched, label, name, unit, amount, number, sector, page = index[start:end].split("\t")
        if all(word in searched for word in words):
            total += 1
            if len(matches) < SEARCH_LIMIT:
                matches.append(
                    {
                        "label": label,
                        "name": name,
                        "unit": unit,
                        "amount": amount,
                        "number": int(number),
                        "sector": sector,
                        "page": int(page),
                    }
                )
        found = index.find(words[0], end + 1)
    return SearchResult(query, matches, total)


def clean_query(value):
    """The search words as typed, spaces tidied, cut to SEARCH_MAX_LENGTH characters."""
    return " ".join(value.split())[:SEARCH_MAX_LENGTH]


def parse_number(value):
    """A positive number written plainly ("3", not "03" or "+3"), else None: each page has one
    address, so the whole-page cache keeps one copy of it (charity/page_cache.py)."""
    if value is None:
        return None
    return int(value) if value.isdigit() and value == str(int(value)) and int(value) >= 1 else None
