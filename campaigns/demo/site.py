"""The demo's site identity: Hengyang's, as far as its own published pages say.

Both seed documents (/work/shared/reference, news posts on the federation's website) carry the
site's header: "衡阳市慈善总会官方网站 … 求助热线：0734-8860089 捐助热线：0734-8860089". The
office hours are those the relief demo's contact line gives. What the seeds do not say (address,
registration numbers, bank accounts, ICP number) stays empty rather than invented: a made-up
account number on a page that looks real is the one thing a charity's site must never show.
"""

from charity.models import SiteIdentity

HENGYANG = {
    "full_name": "衡阳市慈善总会",
    "short_name": "衡阳市慈善总会",
    "city": "衡阳市",
    "help_hotline": "0734-8860089",
    "donation_hotline": "0734-8860089",
    "office_hours": "工作日 8:30—17:30",
}


def set_demo_identity():
    """Fill in the site identity the demo shows (idempotent; keeps what the seeds do not name)."""
    SiteIdentity.objects.update_or_create(pk=1, defaults=HENGYANG)
