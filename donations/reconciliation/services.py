"""The state changes of reconciliation: each one transaction and one audit entry (charity/audit.py).

- import_statement: a file's new credits, matched; credits already imported (same 流水号 or
  微信订单号) are skipped, so importing a statement twice changes nothing.
- confirm_credit / reject_credit: staff decide a 待确认 match.
- create_gifts: the gift a 无对应捐赠 credit is, in one step (channel and date from the credit).
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from charity import audit
from charity.errors import UserError
from charity.text import normalize_name

from ..importing.errors import RowError
from ..importing.queries import filter_in
from ..models import Donation, Donor
from .matching import CHANNEL, counted_gifts, match_credits
from .models import Outcome, Source, Statement, StatementCredit
from .reading import StatementRejected, read_statement

IMPORTED = audit.describe("donations.statement.imported", "导入对账单")
CONFIRMED = audit.describe("donations.statement.confirmed", "确认对账匹配")
REJECTED = audit.describe("donations.statement.rejected", "否决对账匹配")
GIFTS_CREATED = audit.describe("donations.statement.gifts_created", "由到账记录创建捐赠")
# Words that mark a payer as an organisation, so a gift created from a bank credit is a unit's.
UNIT_WORDS = (
    "公司",
    "局",
    "院",
    "校",
    "学",
    "会",
    "委",
    "集团",
    "中心",
    "银行",
    "所",
    "厂",
    "站",
    "队",
    "部",
    "厅",
    "办",
    "社",
)


class ReconciliationError(UserError):
    """A decision that cannot be made in the credit's present state; the message says why."""


@dataclass
class Result:
    """What a file's import did, and where its credits now stand."""

    statement: Statement | None  # None when every credit had been imported before
    new: int
    repeated: int
    skipped: int
    counts: dict  # {"matched": n, "unarrived": n, "unmatched": n, "differs": n, "doubtful": n}


def import_statement(source_file, file_name, *, mapping=None, user=None):
    """Read, match and store a statement; StatementRejected (nothing stored) when it has errors."""
    parsed = read_statement(source_file, file_name, mapping)
    serials = [credit.serial for credit in parsed.credits]
    with transaction.atomic(), audit.explicit():
        known = set()
        for query in filter_in(StatementCredit.objects.filter(source=parsed.source), "serial", serials):
            known.update(query.values_list("serial", flat=True))
        fresh = [credit for credit in parsed.credits if credit.serial not in known]
        statement = None
        if fresh:
            statement = Statement.objects.create(
                source=parsed.source,
                file_name=file_name[:255],
                sha256=parsed.sha256,
                mapping=mapping if parsed.source == Source.BANK else None,
                uploaded_by=user if getattr(user, "pk", None) else None,
                first_day=min(c.received_on for c in parsed.credits),
                last_day=max(c.received_on for c in parsed.credits),
                credit_count=len(fresh),
                repeated_count=len(known),
            )
            credits = [
                StatementCredit(
                    statement=statement,
                    source=parsed.source,
                    serial=c.serial,
                    row_number=c.row_number,
                    received_on=c.received_on,
                    payer_name=c.payer_name,
                    payer_account=c.payer_account,
                    amount=c.amount,
                    memo=c.memo,
                )
                for c in fresh
            ]
            match_credits(credits, parsed.source)
            try:
                with transaction.atomic():
                    StatementCredit.objects.bulk_create(credits)
            except IntegrityError:
                # The same credits committed by another upload since they were looked up above.
                message = "同一批到账正在由另一人或另一个任务导入，请稍后重新上传；重新上传不会重复计入"
                raise StatementRejected([RowError(None, None, message)], file_name) from None
            counts = file_counts(parsed.source, serials, statement.first_day, statement.last_day)
            audit.record(
                IMPORTED,
                statement,
                actor=user,
                data={
                    "file_name": file_name,
                    "sha256": parsed.sha256,
                    "new": len(fresh),
                    "repeated": len(known),
                    **{key: counts[key] for key in ("matched", "doubtful", "differs", "unmatched")},
                },
            )
    first = min(c.received_on for c in parsed.credits)
    last = max(c.received_on for c in parsed.credits)
    return Result(
        statement, len(fresh), len(known), parsed.skipped, file_counts(parsed.source, serials, first, last)
    )


def file_counts(source, serials, first_day, last_day):
    """The four results for a file's credits (wherever imported), plus those awaiting a decision."""
    counts = dict.fromkeys(Outcome.values, 0)
    for query in filter_in(StatementCredit.objects.filter(source=source), "serial", serials):
        for outcome, (n, _total) in query.outcome_counts().items():
            counts[outcome] += n
    return {
        "matched": counts[Outcome.MATCHED],
        "unarrived": unarrived_gifts(source, first_day, last_day).count(),
        "unmatched": counts[Outcome.UNMATCHED],
        "differs": counts[Outcome.DIFFERS],
        "doubtful": counts[Outcome.DOUBTFUL],
    }


def counts_text(counts):
    """The four results and those awaiting a decision, as the page and the command say them."""
    return (
        f"已匹配 {counts['matched']} 笔；未到账 {counts['unarrived']} 笔；"
        f"无对应捐赠 {counts['unmatched']} 笔；金额不符 {counts['differs']} 笔；"
        f"待确认 {counts['doubtful']} 笔"
    )


def unarrived_gifts(source, first_day, last_day):
    """Gifts of the statement's channel recorded in its period that no credit answers (未到账)."""
    answered = StatementCredit.objects.filter(donation=OuterRef("pk"))
    return (
        counted_gifts()
        .filter(channel=CHANNEL[source], received_on__range=(first_day, last_day))
        .exclude(Exists(answered))
    )


def _locked(credit, allowed, refusal):
    locked = (
        StatementCredit.objects.select_for_update(of=("self",)).select_related("donation").get(pk=credit.pk)
    )
    if locked.state not in allowed:
        raise ReconciliationError(refusal.format(outcome=Outcome(locked.state).label))
    return locked


def confirm_credit(credit, user):
    """A 待确认 credit is the gift proposed: 已匹配."""
    with transaction.atomic(), audit.explicit():
        locked = _locked(credit, {Outcome.DOUBTFUL}, "这笔到账{outcome}，无需确认")
        locked.outcome = Outcome.MATCHED
        locked.reason = f"{locked.reason}（已确认）"[:300]
        locked.decided_by, locked.decided_at = user, timezone.now()
        locked.save(update_fields=["outcome", "reason", "decided_by", "decided_at"])
        audit.record(CONFIRMED, locked, actor=user, data={"donation": str(locked.donation)})
    return locked


def reject_credit(credit, user):
    """A 待确认 credit is not the gift proposed: 无对应捐赠, the gift free for another credit."""
    with transaction.atomic(), audit.explicit():
        locked = _locked(credit, {Outcome.DOUBTFUL}, "这笔到账{outcome}，不能否决")
        proposed = str(locked.donation)
        locked.outcome, locked.donation = Outcome.UNMATCHED, None
        locked.reason = f"已否决建议的捐赠“{proposed}”"[:300]
        locked.decided_by, locked.decided_at = user, timezone.now()
        locked.save(update_fields=["outcome", "donation", "reason", "decided_by", "decided_at"])
        audit.record(REJECTED, locked, actor=user, data={"donation": proposed})
    return locked


def create_gifts(credits, campaign, user, *, kind=None, name=None):
    """The gift each 无对应捐赠 credit is: one transaction, one audit entry, all or none.

    The donor is the one the payer's account paid for before, else the only donor of that name
    and kind, else a new one: named as the payer (kind from UNIT_WORDS, or `kind`), or, for a
    WeChat Pay order (no name in the bill), a person shown as 爱心人士, one per WeChat user.
    """
    with transaction.atomic(), audit.explicit():
        created = []
        for credit in credits:
            locked = _locked(credit, {Outcome.UNMATCHED}, "这笔到账{outcome}，不能再创建捐赠")
            donor = _donor_for(locked, kind, name)
            gift = Donation(
                donor=donor,
                campaign=campaign,
                amount=locked.amount,
                received_on=locked.received_on,
                channel=CHANNEL[locked.source],
                note=f"由{locked.get_source_display()}“{locked.statement.file_name}”的 {locked.serial} 创建"[
                    :500
                ],
                entered_by=user if getattr(user, "pk", None) else None,
            )
            try:
                gift.full_clean(exclude=["donor", "campaign"])
            except ValidationError as error:
                messages = "；".join(m for ms in error.message_dict.values() for m in ms)
                raise ReconciliationError(
                    f"第 {locked.row_number} 行（{locked.serial}）：{messages}"
                ) from None
            gift.save()
            locked.donation, locked.outcome = gift, Outcome.MATCHED
            locked.reason = "由本笔到账创建的捐赠"
            locked.decided_by, locked.decided_at = (
                (user if getattr(user, "pk", None) else None),
                timezone.now(),
            )
            try:
                locked.save(update_fields=["donation", "outcome", "reason", "decided_by", "decided_at"])
            except IntegrityError:
                raise ReconciliationError("这笔到账已有对应捐赠") from None
            created.append(gift)
        if created:
            audit.record(
                GIFTS_CREATED,
                created[0] if len(created) == 1 else None,
                actor=user,
                data={
                    "campaign": str(campaign),
                    "count": len(created),
                    "total": str(sum(g.amount for g in created)),
                    "ids": [g.pk for g in created][:200],
                },
            )
    return created


def _donor_for(credit, kind, name):
    earlier = (
        StatementCredit.objects.filter(outcome=Outcome.MATCHED, payer_account=credit.payer_account)
        .exclude(payer_account="")
        .exclude(donation__isnull=True)
        .values_list("donation__donor_id", flat=True)
        .first()
    )
    if earlier:
        return Donor.objects.get(pk=earlier)
    name = normalize_name(name or credit.payer_name)
    if not name:
        if credit.source != Source.WECHAT:
            raise ReconciliationError(f"第 {credit.row_number} 行没有付款人户名：请填写捐赠人名称")
        # The bill names nobody: the WeChat user (openid) is one person, shown as 爱心人士.
        tail = credit.payer_account[-6:] if credit.payer_account else credit.serial[-6:]
        return Donor.objects.create(
            kind=Donor.Kind.INDIVIDUAL, name=f"微信支付用户{tail}", display=Donor.Display.ANONYMOUS
        )
    kind = kind or (Donor.Kind.UNIT if any(word in name for word in UNIT_WORDS) else Donor.Kind.INDIVIDUAL)
    same = list(Donor.objects.filter(name=name, kind=kind)[:2])
    if len(same) == 1:
        return same[0]
    return Donor.objects.create(kind=kind, name=name)
