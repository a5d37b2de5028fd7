"""Marking a campaign's public figures as changed, whichever way its donations changed.

The campaign core: it knows no ledger. The ledger tells it: hand edits arrive as model signals
(donations/signals.py, connected in DonationsConfig.ready()); the importer (COPY) and the batch
services (bulk deletes) call `figures_changed` themselves, once per batch.
"""

from django.db import transaction
from django.utils import timezone

from charity import page_cache

from .core import Campaign


def figures_changed(*campaign_ids):
    """Stamp these campaigns once the current transaction commits."""
    if campaign_ids:
        _on_commit(Campaign.objects.filter(pk__in=campaign_ids))


def all_figures_changed():
    _on_commit(Campaign.objects.all())


def _on_commit(campaigns):
    transaction.on_commit(lambda: campaigns.update(figures_changed_at=timezone.now()))
    # The stamps are written with update(), which sends no signal: whole cached pages go too.
    page_cache.public_data_changed()
