"""The staff-list rules (汇款明细): what a line of a unit's remittance must meet, however it arrives.

A unit sends one transfer for its staff and a list of who gave what; the money counts once, in
the remittance, and the lines only credit the people. Three rules, one wording, three callers:
RemittanceLine.clean() (the 汇款明细 page and any script that validates), the donation page's
staff list (forms.RemittanceLineFormSet, which checks the total over all the lines it posts) and
the importer (donations/importing/remittances.py and validation.py, which checks whole files at
once). A line:

1. stands only under a unit's gift: an individual's gift is that person's own;
2. names a person, never a unit;
3. never makes the lines add up to more than their remittance (someone would be credited with
   money that never arrived); less is fine, the rest are staff who were not listed.
"""

from decimal import Decimal

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import transaction

from charity.money import money_sum, to_yuan

LINE_DONOR_NOT_PERSON = "汇款明细只列个人：单位不能作为汇款明细的捐赠人；单位自己的捐赠请单独录入为一笔捐赠"


def under_individual(receipt_no=""):
    """Why no line may stand under the gift of an individual (`receipt_no`: the gift's, if any)."""
    subject = f"票据号“{receipt_no}”" if receipt_no else "这笔捐赠"
    return f"{subject}是个人捐赠，不是单位汇款，不能有汇款明细：汇款明细只用于单位代职工汇款时逐人列出"


def over_remittance(receipt_no, amount, listed, recorded=Decimal("0.00")):
    """None, or why lines adding up to `listed` 元 may not stand under a remittance of `amount`.

    `recorded` is the part of `listed` in lines stored before (not posted with these), said so
    that whoever reads the message can find them.
    """
    if amount is None or listed is None or listed <= amount:
        return None
    amount, listed, recorded = to_yuan(amount), to_yuan(listed), to_yuan(recorded)
    subject = f"汇款“{receipt_no}”" if receipt_no else "汇款"
    earlier = f"（含此前已录入明细 {recorded} 元）" if recorded else ""
    return (
        f"{subject}金额 {amount} 元，明细合计 {listed} 元{earlier}，"
        f"超出 {listed - amount} 元；明细不能多于汇款"
    )


def take_turns(remittance):
    """Wait for whoever else is adding lines to the remittance's campaign, then hold the turn.

    Two clerks (or a clerk and an import) could each see room for their line and together pass
    the total. The importer holds its campaign's row locked for its whole transaction; a line
    entered by hand takes the same lock, so the stored lines it counts stay what they are until
    it is saved. Only inside a transaction (the admin's pages run in one): outside, a lock would
    end at once.
    """
    if remittance.campaign_id is None or not transaction.get_connection().in_atomic_block:
        return
    campaign = type(remittance)._meta.get_field("campaign").related_model
    list(campaign._base_manager.select_for_update().filter(pk=remittance.campaign_id).values_list("pk"))


def recorded_total(line_model, remittance_id, excluding=()):
    """What the stored lines of a remittance add up to, leaving out the lines `excluding` (ids)."""
    if remittance_id is None:
        return Decimal("0.00")
    lines = line_model._base_manager.filter(remittance_id=remittance_id).exclude(pk__in=excluding)
    return to_yuan(lines.aggregate(total=money_sum())["total"])  # SQLite sums lose the fen places


def check_line(line, *, with_total=True):
    """Raise ValidationError when `line` breaks a staff-list rule; `with_total` False leaves the
    total to a caller that checks all the lines of a list together."""
    errors = []
    remittance = _related(line, "remittance")
    giver = _related(remittance, "donor") if remittance is not None else None
    if giver is not None and giver.kind != giver.Kind.UNIT:
        errors.append(under_individual(remittance.receipt_no))
    person = _related(line, "donor")
    if person is not None and person.kind != person.Kind.INDIVIDUAL:
        errors.append(LINE_DONOR_NOT_PERSON)
    if with_total and remittance is not None and line.amount is not None and not errors:
        take_turns(remittance)
        recorded = recorded_total(type(line), remittance.pk, excluding=[line.pk] if line.pk else [])
        message = over_remittance(
            remittance.receipt_no, remittance.amount, recorded + to_yuan(line.amount), recorded
        )
        if message:
            errors.append(message)
    if errors:
        raise ValidationError(errors)


def _related(obj, name):
    try:
        return getattr(obj, name)
    except ObjectDoesNotExist:  # not chosen (yet), or a choice the form refused
        return None
