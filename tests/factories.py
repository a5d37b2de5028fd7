"""Small factory functions: each makes one valid object, overridable by keyword."""

import datetime
import itertools
from decimal import Decimal

from django.utils import timezone

from campaigns.models import Campaign
from donations.models import Branch, Donation, Donor, Sector
from donations.validators import credit_code_check_char
from relief.models import ReliefProject

_seq = itertools.count(1)


def credit_code(n=None):
    """A valid 统一社会信用代码 with a correct GB 32100 check character."""
    n = next(_seq) if n is None else n
    first17 = f"91430400{n:09d}"
    return first17 + credit_code_check_char(first17)


def sector(name="国资系统"):
    return Sector.objects.get(name=name)


def branch(name=None, sector_name="国资系统", **kwargs):
    return Branch.objects.create(name=name or f"分会{next(_seq)}", sector=sector(sector_name), **kwargs)


def campaign(name="2023年慈善一日捐", year=2023, **kwargs):
    kwargs.setdefault("start_date", datetime.date(year, 8, 28))
    kwargs.setdefault("end_date", datetime.date(year, 12, 31))
    return Campaign.objects.create(name=name, year=year, **kwargs)


def unit(name=None, sector_name="国资系统", **kwargs):
    return Donor.objects.create(
        kind=Donor.Kind.UNIT,
        name=name or f"衡阳市测试单位{next(_seq)}",
        sector=sector(sector_name) if sector_name else None,
        **kwargs,
    )


def person(name=None, **kwargs):
    return Donor.objects.create(kind=Donor.Kind.INDIVIDUAL, name=name or f"测试人{next(_seq)}", **kwargs)


# The status of a gift made here when the test names none. A gift entered by hand starts 待审核
# (the model's default), which the ledger's tests exercise; public surfaces count only confirmed
# gifts (public means confirmed), so their tests make confirmed gifts unless they ask for a pending
# one (the `reviewed_gifts` fixture of tests/conftest.py).
default_status = Donation.Status.PENDING


def donation(donor=None, campaign_=None, amount="100.00", **kwargs):
    kwargs.setdefault("received_on", datetime.date(2023, 9, 1))
    kwargs.setdefault("status", default_status)
    if kwargs["status"] != Donation.Status.PENDING:
        kwargs.setdefault("confirmed_at", timezone.now())
    return Donation.objects.create(
        donor=donor or unit(),
        campaign=campaign_ or Campaign.objects.first() or campaign(),
        amount=Decimal(amount),
        **kwargs,
    )


def project(name="慈善光明行", year=2023, **kwargs):
    kwargs.setdefault("budget", Decimal("1000000.00"))
    return ReliefProject.objects.create(name=name, year=year, **kwargs)
