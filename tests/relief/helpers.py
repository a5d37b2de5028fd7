"""Small factory functions for relief tests: each makes one valid object, overridable by keyword."""

import datetime
import itertools
from decimal import Decimal

from relief import services
from relief.idnumbers import check_char
from relief.models import Beneficiary, Disbursement, DisbursementShare, Disclosure
from tests import factories

_seq = itertools.count(1)


def id_number(born=datetime.date(1960, 5, 17), division="430405", seq=None):
    """A fake identity number that passes the GB 11643 check."""
    first17 = f"{division}{born:%Y%m%d}{(seq or next(_seq)) % 1000:03d}"
    return first17 + check_char(first17)


def beneficiary(name=None, **kwargs):
    kwargs.setdefault("id_number", id_number())
    kwargs.setdefault("district", "珠晖区")
    return Beneficiary.objects.create(name=name or f"测试受助{next(_seq)}", **kwargs)


def disbursement(project=None, amount="1000.00", **kwargs):
    kwargs.setdefault("paid_on", datetime.date(2023, 5, 1))
    kwargs.setdefault("voucher_no", f"ZC-{next(_seq):05d}")
    kwargs.setdefault("people_helped", 1)
    return Disbursement.objects.create(
        project=project or factories.project(), amount=Decimal(amount), **kwargs
    )


def share(disbursement_, person, amount="500.00"):
    return DisbursementShare.objects.create(
        disbursement=disbursement_, beneficiary=person, amount=Decimal(amount)
    )


def disclosure(project, **kwargs):
    kwargs.setdefault("title", f"{project.name}受助名单公示")
    kwargs.setdefault("period_start", datetime.date(2023, 1, 1))
    kwargs.setdefault("period_end", datetime.date(2023, 12, 31))
    kwargs.setdefault("objection_start", datetime.date(2024, 1, 8))
    kwargs.setdefault("objection_end", datetime.date(2024, 1, 14))
    kwargs.setdefault("objection_contact", "0734-8860089")
    return Disclosure.objects.create(project=project, **kwargs)


def published_disclosure(project, people=(), amount="500.00", **kwargs):
    """A project with one disbursement shared by `people`, disclosed and published."""
    paid = disbursement(project, amount="10000.00", people_helped=len(people) or 1)
    for person in people:
        share(paid, person, amount)
    return services.publish_disclosure(disclosure(project, **kwargs))
