"""Each new credit to a recorded gift, with the reason staff read beside it.

In order, the first that answers decides:

1. A receipt number of a recorded gift in the memo (摘要/用途, or the WeChat Pay order's 商品名称
   and 商户数据包): that gift, 已匹配 when the amounts agree, 金额不符 when not.
2. Gifts of the statement's channel (银行转账, or 微信 for a WeChat Pay bill) of the same amount,
   recorded within DATE_WINDOW days of the credit: 已匹配 when exactly one is from the payer (the
   donor's name, or an account the donor paid from before); 待确认 (staff confirm or reject) when
   several are, or when none is but the amount and the date agree.
3. A gift of the payer in the window with another amount: 金额不符.
4. Otherwise 无对应捐赠: staff create the gift from the credit in one step.

A gift answers one credit at most (credit_one_per_donation): those already matched, in this file
or an earlier one, are left out. One query per step for the whole file, not one per credit.
"""

import datetime
import re
from collections import defaultdict

from django.db.models.functions import Upper

from charity.text import normalize_name

from ..importing.queries import filter_in
from ..models import Donation
from .models import Outcome, Source, StatementCredit

# A clerk records the day on the remittance slip or the donor's word; the bank books it a day or
# several later (weekends, holidays, transfers between banks).
DATE_WINDOW = datetime.timedelta(days=7)
NO_GIFT = "没有金额、日期和付款人相符的捐赠"
# A receipt number in a memo: letters, digits and dashes, as the federation numbers them.
_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9\-]{2,49}")
CHANNEL = {Source.BANK: Donation.Channel.BANK, Source.WECHAT: Donation.Channel.WECHAT}


def counted_gifts():
    """Gifts that money should have arrived for: not reversing entries, not reversed."""
    return Donation.objects.exclude(status__in=[Donation.Status.REVERSED, Donation.Status.REVERSAL])


def match_credits(credits, source):
    """Set outcome, donation and reason on each StatementCredit (unsaved changes)."""
    taken = set(StatementCredit.objects.filter(donation__isnull=False).values_list("donation_id", flat=True))
    unmatched = _by_receipt(credits, taken)
    if unmatched:
        _by_amount_date_and_payer(unmatched, source, taken)


def receipt_tokens(memo):
    """The words of a memo that could be a receipt number (HY2023-0001), upper-cased."""
    return {token.upper() for token in _TOKEN.findall(memo or "")}


def _by_receipt(credits, taken):
    tokens = [receipt_tokens(credit.memo) for credit in credits]
    wanted = set().union(*tokens)
    gifts = {}
    if wanted:
        found = counted_gifts().exclude(receipt_no="").annotate(receipt=Upper("receipt_no"))
        for query in filter_in(found.select_related("donor"), "receipt", wanted):
            for gift in query:
                gifts[gift.receipt] = gift
    rest = []
    for credit, words in zip(credits, tokens, strict=True):
        found = [gifts[t] for t in sorted(words) if t in gifts and gifts[t].pk not in taken]
        if not found:
            rest.append(credit)
            continue
        gift = found[0]
        said = f"摘要中有票据号“{gift.receipt_no}”"
        if gift.amount == credit.amount:
            _propose(credit, gift, Outcome.MATCHED, f"{said}，金额相同", taken)
        else:
            _propose(
                credit,
                gift,
                Outcome.DIFFERS,
                f"{said}，到账 {credit.amount} 元，登记 {gift.amount} 元",
                taken,
            )
    return rest


def _by_amount_date_and_payer(credits, source, taken):
    first = min(c.received_on for c in credits) - DATE_WINDOW
    last = max(c.received_on for c in credits) + DATE_WINDOW
    gifts = list(
        counted_gifts()
        .filter(received_on__range=(first, last), channel=CHANNEL[source])
        .select_related("donor")
        .order_by("received_on", "pk")
    )
    by_amount, by_name, by_donor = defaultdict(list), defaultdict(list), defaultdict(list)
    for gift in gifts:
        by_amount[gift.amount].append(gift)
        by_name[normalize_name(gift.donor.name)].append(gift)
        by_donor[gift.donor_id].append(gift)
    accounts = _known_accounts(by_donor)
    donors_of_account = defaultdict(set)
    for donor_id, known in accounts.items():
        for account in known:
            donors_of_account[account].add(donor_id)

    def open_near(candidates, credit):
        return [
            g
            for g in candidates
            if g.pk not in taken and abs(g.received_on - credit.received_on) <= DATE_WINDOW
        ]

    for credit in sorted(credits, key=lambda c: c.row_number):
        from_payer = list(by_name.get(credit.payer_name, [])) if credit.payer_name else []
        for donor_id in donors_of_account.get(credit.payer_account, ()) if credit.payer_account else ():
            from_payer += [g for g in by_donor[donor_id] if g not in from_payer]
        from_payer = open_near(from_payer, credit)
        same_amount = open_near(by_amount.get(credit.amount, []), credit)
        payers = [g for g in from_payer if g.amount == credit.amount]
        if len(payers) == 1:
            gift = payers[0]
            reason = f"金额相同，{_days(credit, gift)}，{_why_payer(credit, gift, accounts)}"
            _propose(credit, gift, Outcome.MATCHED, reason, taken)
        elif payers:
            gift = _nearest(credit, payers)
            reason = f"付款人有 {len(payers)} 笔同额捐赠，请确认是哪一笔；建议{_days(credit, gift)}的一笔"
            _propose(credit, gift, Outcome.DOUBTFUL, reason, taken)
        elif same_amount:
            gift = _nearest(credit, same_amount)
            payer = credit.payer_name or "（账单无户名）"
            reason = (
                f"金额相同，{_days(credit, gift)}，但付款人“{payer}”不是捐赠人“{gift.donor.name}”，请确认"
            )
            _propose(credit, gift, Outcome.DOUBTFUL, reason, taken)
        elif from_payer:
            gift = _nearest(credit, from_payer)
            reason = (
                f"{_why_payer(credit, gift, accounts)}，{_days(credit, gift)}，"
                f"到账 {credit.amount} 元，登记 {gift.amount} 元"
            )
            _propose(credit, gift, Outcome.DIFFERS, reason, taken)
        else:
            credit.outcome, credit.donation, credit.reason = Outcome.UNMATCHED, None, NO_GIFT


def _known_accounts(donor_ids):
    """{donor id: accounts (bank accounts, WeChat Pay user ids) its matched credits came from}."""
    found = defaultdict(set)
    credits = StatementCredit.objects.filter(outcome=Outcome.MATCHED).exclude(payer_account="")
    for query in filter_in(credits, "donation__donor_id", donor_ids):
        for donor_id, account in query.values_list("donation__donor_id", "payer_account"):
            found[donor_id].add(account)
    return found


def _from_payer(credit, gift, accounts):
    if credit.payer_account and credit.payer_account in accounts.get(gift.donor_id, ()):
        return True
    return bool(credit.payer_name) and normalize_name(gift.donor.name) == credit.payer_name


def _why_payer(credit, gift, accounts):
    if credit.payer_account and credit.payer_account in accounts.get(gift.donor_id, ()):
        return f"付款账号 {credit.payer_account} 是该捐赠人此前用过的账号"
    return f"付款人“{credit.payer_name}”即捐赠人"


def _nearest(credit, gifts):
    return min(gifts, key=lambda g: (abs(g.received_on - credit.received_on), g.pk))


def _days(credit, gift):
    days = abs((credit.received_on - gift.received_on).days)
    return "同一天" if days == 0 else f"日期相差 {days} 天"


def _propose(credit, gift, outcome, reason, taken):
    taken.add(gift.pk)
    credit.donation, credit.outcome, credit.reason = gift, outcome, reason[:300]
