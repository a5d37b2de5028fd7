"""Drift: does a published document still agree with the ledger?

A published document (honor-roll issue, ranking edition ...) is frozen; the ledger under it can
still change, by a service, by the admin, or by a raw SQL update that no signal sees. So drift is
not tracked as changes happen: each kind recomputes its document's key figures from the data now,
with the parameters it was published with, and compares them with the figures it published.

The publication layer registers each kind here (AppConfig.ready()): the kernel imports no app.
A kind gives its published documents, and for one document its figures as published and as
recomputed now, each a {label: value} dict (Decimal for money in 元, int for counts). Only the
figures and listed rows are compared, never the layout.
"""

from dataclasses import dataclass
from decimal import Decimal

from .money import count, yuan


@dataclass(frozen=True)
class Kind:
    model: type
    published: object  # () -> iterable of published documents
    figures: object  # (document) -> (figures as published, figures now)
    url: object  # (document) -> its public path


@dataclass(frozen=True)
class Difference:
    label: str
    published: object  # None when the figure was not published (a row that is new now)
    now: object  # None when the figure is gone now (a row removed)

    def __str__(self):
        return f"{self.label}：公布 {show(self.published)} → 现在 {show(self.now)}"


@dataclass(frozen=True)
class Drift:
    document: object
    url: str
    differences: list


_kinds = {}


def register(model, *, published, figures, url):
    _kinds[model] = Kind(model, published, figures, url)


def show(value):
    """A figure as people read it: 元 exact with the fen, counts with separators, — for none."""
    if value is None:
        return "—"
    if isinstance(value, Decimal):
        return f"{yuan(value)} 元"
    if isinstance(value, int):
        return count(value)
    return str(value)


def compare(published, now):
    """[Difference] of two {label: value} dicts, in the published order, then the new labels."""
    labels = [*published, *(label for label in now if label not in published)]
    return [
        Difference(label, published.get(label), now.get(label))
        for label in labels
        if published.get(label) != now.get(label)
    ]


def drift(document):
    """The figures of `document` that no longer match the ledger ([] when it still agrees)."""
    published, now = _kinds[type(document)].figures(document)
    return compare(published, now)


def all_drifts():
    """(documents checked, [Drift] of those that differ from the ledger now)."""
    checked, drifted = 0, []
    for kind in _kinds.values():
        for document in kind.published():
            checked += 1
            differences = drift(document)
            if differences:
                drifted.append(Drift(document, kind.url(document), differences))
    return checked, drifted


def row_figures(prefix, rows):
    """{label: amount} of listed rows [(name, amount)], labelled "prefix「name」".

    Public names repeat (every anonymous donor is 爱心人士), so rows of one name are told apart by
    their place among that name's amounts, largest first, not by where the layout put them."""
    by_name = {}
    for name, amount in rows:
        by_name.setdefault(name, []).append(Decimal(amount))
    figures = {}
    for name, amounts in by_name.items():
        amounts.sort(reverse=True)
        for place, amount in enumerate(amounts, start=1):
            suffix = f"（{place}）" if len(amounts) > 1 else ""
            figures[f"{prefix}「{name}」{suffix}"] = amount
    return figures
