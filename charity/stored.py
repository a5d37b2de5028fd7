"""Figures of public pages kept in the database as well as in the cache.

The cache alone is not enough for a million donations: after a restart, a flush or an eviction
the first visitor of /campaigns/ waited for every campaign's figures to be aggregated again
(2.3 s, bench/public_bench.py), although nothing had changed. So a page's figures are looked up
in the cache, then in StoredFigures under the version of the data they depend on, and only when
neither has them computed, once, and kept in both. A version names the data (a campaign's
figures_changed_at, which every change of its donations moves: campaigns/freshness.py), so a
stored value is never stale; a new version replaces the slot's old value.

Values are pickled: they are dataclasses of Decimals and strings that only this application
writes, never anything a visitor sent.
"""

import pickle

from django.core.cache import cache
from django.utils import timezone

from .models import StoredFigures

# The cached copy is keyed by the version too, so it never goes stale either; it expires only to
# free the cache.
CACHE_SECONDS = 86400


def get_or_compute(slot, version, compute):
    """The value of `slot` for `version`: from the cache, else the database, else `compute()`."""
    version = str(version)
    key = f"stored:{slot}:{version}"
    value = cache.get(key)
    if value is not None:
        return value
    stored = StoredFigures.objects.filter(slot=slot, version=version).values_list("value", flat=True).first()
    if stored is not None:
        value = pickle.loads(bytes(stored))
    else:
        value = compute()
        keep(slot, version, value)
    cache.set(key, value, CACHE_SECONDS)
    return value


def keep(slot, version, value):
    """Store `value` as the slot's, replacing what it held: one INSERT ... ON CONFLICT UPDATE."""
    row = StoredFigures(
        slot=slot,
        version=version,
        value=pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL),
        computed_at=timezone.now(),
    )
    StoredFigures.objects.bulk_create(
        [row],
        update_conflicts=True,
        unique_fields=["slot"],
        update_fields=["version", "value", "computed_at"],
    )


def version_of(slot):
    """The version the slot holds now (None when it holds nothing), without its value."""
    return StoredFigures.objects.filter(slot=slot).values_list("version", flat=True).first()
