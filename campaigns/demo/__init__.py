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
# One demo account per staff role (charity/roles.py), same password, to try what each may do.
ROLE_ACCOUNTS = (
    ("clerk", "录入员"),
    ("reviewer", "审核员"),
    ("publisher", "发布员"),
    ("leader", "领导"),
    ("liaison", "分会联络员"),
    ("relief", "救助专员"),
)
LIAISON_BRANCH = "市住建局慈善分会"  # has sub-branches: the liaison sees them too
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


def ensure_demo_accounts():
    """The demo superuser and one account per role, all with the documented password."""
    from django.contrib.auth.models import Group

    from charity.roles import sync_roles
    from donations.models import BranchLiaison

    admin = ensure_demo_admin()
    sync_roles()
    accounts = [(ADMIN_USERNAME, "管理员（全部权限）")]
    for username, role in ROLE_ACCOUNTS:
        user, _ = get_user_model().objects.get_or_create(
            username=username, defaults={"email": f"{username}@example.org"}
        )
        user.is_active = user.is_staff = True
        user.is_superuser = False
        user.set_password(ADMIN_PASSWORD)
        user.save()
        user.groups.set(Group.objects.filter(name=role))
        label = role
        if role == "分会联络员":
            branch = Branch.objects.filter(name=LIAISON_BRANCH).first()
            if branch is not None:
                BranchLiaison.objects.update_or_create(user=user, defaults={"branch": branch})
                label = f"{role}·{branch.name}"
        accounts.append((username, label))
    return admin, accounts


def ensure_demo_admin():
    """The demo superuser, with the documented password (reset, so the printed login works)."""
    user, _ = get_user_model().objects.get_or_create(
        username=ADMIN_USERNAME, defaults={"email": "admin@example.org"}
    )
    user.is_active = user.is_staff = user.is_superuser = True
    user.set_password(ADMIN_PASSWORD)
    user.save()
    return user
