"""Realistic demo data: the 2023 and 2022 慈善一日捐 campaigns, to the fen of the 2023 report.

`python manage.py loaddemo` is the command-line twin of `load_demo()`.
"""

from django.contrib.auth import get_user_model
from django.db import transaction

from campaigns.models import Campaign
from charity import audit
from donations.models import Branch, Donor
from relief.models import ReliefProject

from .build import DemoBuilder
from .figures import DEMO_CAMPAIGN_NAMES, DEMO_MARKER

ADMIN_USERNAME = "admin"
ADMIN_PASSWORD = "charity-demo"
DEMO_LOADED = audit.describe("charity.demo.loaded", "装入演示数据")


def demo_is_loaded():
    # The marker, not the name alone: a real "2023年慈善一日捐" must never pass for demo data.
    return Campaign.objects.filter(name__in=DEMO_CAMPAIGN_NAMES, description__startswith=DEMO_MARKER).exists()


def existing_data():
    """What is in the database besides demo data and the seeded sectors ({} when empty)."""
    counts = {
        "募捐活动": Campaign.objects.count(),
        "捐赠人": Donor.objects.count(),
        "分会": Branch.objects.count(),
        "救助项目": ReliefProject.objects.count(),
    }
    return {label: n for label, n in counts.items() if n}


def load_demo():
    """Fill an empty database with the demo data in one transaction; returns what was created.

    One audit entry for all of it, like an import, not one per campaign, branch and donor.
    """
    with transaction.atomic(), audit.explicit():
        created = DemoBuilder().build()
        audit.record(DEMO_LOADED, data=created)
    return created


def ensure_demo_admin():
    """The demo superuser, with the documented password (reset, so the printed login works)."""
    user, _ = get_user_model().objects.get_or_create(
        username=ADMIN_USERNAME, defaults={"email": "admin@example.org"}
    )
    user.is_active = user.is_staff = user.is_superuser = True
    user.set_password(ADMIN_PASSWORD)
    user.save()
    return user
