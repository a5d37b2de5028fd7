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

from django.db import transaction

from .money import count, yuan


@dataclass(frozen=True)
class Kind:
    model: type
    published: object  # () -> iterable of published documents
    figures: object  # (document) -> (figures as published, figures now)
    url: object  # (document) -> its public path
    # (document, user, *, reason, text, changes) -> the published correction, by the kind's own
    # service (an erratum, or a new version of an annual summary); None: not corrected here.
    correct: object = None


@dataclass(frozen=True)
class Difference:
    label: str
    published: object  # None when the figure was not published (a row that is new now)
    now: object  # None when the figure is gone now (a row removed)

    def __str__(self):
        return f"{self.label}：公布 {show(self.published)} → 现在 {show(self.now)}"

    def as_change(self):
        """The row of a 更正说明: {label, before, after} as people read them."""
        return {"label": self.label, "before": show(self.published), "after": show(self.now)}


@dataclass(frozen=True)
class Drift:
    document: object
    url: str
    differences: list

    @property
    def changes(self):
        return [difference.as_change() for difference in self.differences]


_kinds = {}


def register(model, *, published, figures, url, correct=None):
    _kinds[model] = Kind(model, published, figures, url, correct)


def erratum_publisher(service):
    """`correct` for a kind whose correction is an erratum published by `service(document, text,
    user, *, reason, changes)` (charity.snapshots.publish_erratum underneath)."""

    def correct(document, user, *, reason, text="", changes=()):
        return service(document, text, user, reason=reason, changes=changes)

    return correct


def correctable(document):
    kind = _kinds.get(type(document))
    return kind is not None and kind.correct is not None


def publish_correction(document, user, *, reason, text="", changes=()):
    """Publish a correction of `document` through its kind's registered service."""
    return _kinds[type(document)].correct(document, user, reason=reason, text=text, changes=changes)


def url_of(document):
    return _kinds[type(document)].url(document)


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
    """The figures of `document` that no longer match the ledger ([] when it still agrees).

    A figure a published 更正说明 of the document already states as it is now is not drift: the
    correction made it right in the open (the frozen content itself never changes)."""
    published, now = _kinds[type(document)].figures(document)
    stated = corrected_figures(document)
    return [d for d in compare(published, now) if stated.get(d.label) != show(d.now)]


def corrected_figures(document):
    """{label: figure as corrected} from the document's published errata, the latest winning."""
    errata = getattr(document, "errata", None)
    if errata is None:
        return {}
    stated = {}
    for erratum in errata.all():
        for change in erratum.changes or []:
            stated[change.get("label")] = change.get("after")
    return stated


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


class _DryRun(Exception):
    """Raised inside the dry run's transaction so that everything it did is rolled back."""


def contradicted_by(action, *, dry_run=True):
    """[Drift] of the published documents that `action()` would contradict, without doing it.

    The action runs for real inside a transaction that is then rolled back, and every published
    document is recomputed in between: what it would change is found whichever path it takes to
    the data (a service, a bulk delete, raw SQL), with no knowledge of publications in its code.
    Rolled back with it are its rows, audit entries and on_commit hooks (page cache versions,
    campaign stamps, job queueing), which never run. Only documents whose differences are new or
    changed are kept, with those differences (published → after the action); drift that was there
    before is not the action's doing. An exception from the action (a refusal) propagates.

    With dry_run=False the action is done for real (in its own transactions) and the same
    comparison says what it did contradict: the documents to prepare corrections for.
    """
    _, before = all_drifts()
    seen = {_key(found.document): set(found.differences) for found in before}
    if dry_run:
        try:
            with transaction.atomic():
                action()
                _, after = all_drifts()
                raise _DryRun
        except _DryRun:
            pass
    else:
        action()
        _, after = all_drifts()
    contradicted = []
    for found in after:
        new = [d for d in found.differences if d not in seen.get(_key(found.document), set())]
        if new:
            contradicted.append(Drift(found.document, found.url, new))
    return contradicted


def _key(document):
    return (type(document), document.pk)


# The publication layer prepares the drafts (campaigns.corrections), registering itself here so
# that the ledger's admin, below it, can ask for them after an action.
_drafter = None


def register_drafter(prepare):
    """`prepare(documents, user, *, cause)` -> the drafts it prepared."""
    global _drafter
    _drafter = prepare


def prepare_corrections(drifts, user, *, cause):
    """Draft 更正说明 for the documents of `drifts` (from contradicted_by); [] when none."""
    if _drafter is None or not drifts:
        return []
    return _drafter([found.document for found in drifts], user, cause=cause)
