"""The ledger tells the campaign core when a campaign's public figures changed (its freshness
stamp, campaigns/freshness.py): hand edits of gifts, donors, sectors and branches, as model
signals, connected in DonationsConfig.ready(). The importer and the batch services, which write
without signals, call `figures_changed` themselves.
"""

from django.db.models.signals import post_delete, post_save, pre_save

from campaigns.core import Campaign
from campaigns.freshness import all_figures_changed, figures_changed

from .models import Branch, Donation, Donor, Sector


def _donation_changed(sender, instance, raw=False, **kwargs):
    if raw:  # loading fixtures or restoring an archive: the stamps come with the data
        return
    # Only values already loaded: bulk deletes load nothing but keys (a batch rollback), and
    # reading a deferred field of a deleted row fails; those services stamp their campaign.
    loaded = instance.__dict__
    figures_changed(*{loaded.get("campaign_id"), loaded.get("_campaign_before")} - {None})


def _remember_campaign(sender, instance, raw=False, **kwargs):
    if not raw and instance.pk is not None and not instance._state.adding:
        instance._campaign_before = (
            sender._base_manager.filter(pk=instance.pk).values_list("campaign_id", flat=True).first()
        )


def _donor_changed(sender, instance, created=False, raw=False, **kwargs):
    # A new donor has no gifts yet; a renamed or newly anonymous one changes names on the pages
    # of every campaign it gave to.
    if raw or created:
        return
    gave_to = Campaign.objects.filter(donations__donor=instance).values_list("pk", flat=True).distinct()
    figures_changed(*gave_to)


def _names_changed(sender, raw=False, **kwargs):
    if not raw:
        all_figures_changed()  # a sector or branch renamed or reordered: every campaign shows it


def connect():
    pre_save.connect(_remember_campaign, sender=Donation, dispatch_uid="figures:donation:pre")
    post_save.connect(_donation_changed, sender=Donation, dispatch_uid="figures:donation")
    post_delete.connect(_donation_changed, sender=Donation, dispatch_uid="figures:donation:delete")
    post_save.connect(_donor_changed, sender=Donor, dispatch_uid="figures:donor")
    for model in (Sector, Branch):
        post_save.connect(_names_changed, sender=model, dispatch_uid=f"figures:{model.__name__}")
