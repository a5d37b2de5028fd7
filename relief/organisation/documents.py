"""The documents of 信息公开: the filings with a PDF (StatutoryFiling.with_documents), and what a
higher layer publishes by itself and registers here (the released annual summary, registered by
campaigns' ready(): relief imports no publication module)."""

from dataclasses import dataclass, field

from ..models import StatutoryFiling

_sources = []

# The order of the groups on the page: the charter first, then the yearly reports.
GROUPS = [
    StatutoryFiling.Kind.CHARTER.label,
    StatutoryFiling.Kind.ANNUAL_WORK.label,
    StatutoryFiling.Kind.ANNUAL_FINANCIAL.label,
    StatutoryFiling.Kind.AUDIT.label,
    StatutoryFiling.Kind.CAMPAIGN_RESULT.label,
]


@dataclass
class Document:
    group: str  # the heading it is listed under
    title: str
    year: int | None
    published_on: object  # datetime.date
    url: str
    errata: list = field(default_factory=list)


def register(source):
    """`source()` returns Documents a higher layer publishes (e.g. 年度总结); called per page."""
    _sources.append(source)
    return source


def public_documents():
    """[(group, [Document])], groups in GROUPS order then any other, newest year first in each."""
    found = [
        Document(
            group=filing.get_kind_display(),
            title=str(filing),
            year=filing.year,
            published_on=filing.published_on,
            url=filing.document.url,
            errata=list(filing.errata.all()),
        )
        for filing in StatutoryFiling.objects.with_documents()
        .select_related("campaign")
        .prefetch_related("errata")
    ]
    for source in _sources:
        found.extend(source())
    groups = {}
    for document in found:
        groups.setdefault(document.group, []).append(document)
    order = {name: index for index, name in enumerate(GROUPS)}
    return [
        (name, sorted(docs, key=lambda d: (d.year or 0, d.published_on), reverse=True))
        for name, docs in sorted(groups.items(), key=lambda item: order.get(item[0], len(order)))
    ]


def latest_charter():
    return (
        StatutoryFiling.objects.with_documents()
        .filter(kind=StatutoryFiling.Kind.CHARTER)
        .order_by("-published_on", "-pk")
        .first()
    )
