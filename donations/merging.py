"""Merging two donor records that are the same unit or person (CiviCRM's dedupe and merge).

Staff choose the record that survives; everything the other one holds moves to it (its gifts,
the staff lines naming it, its follow-ups, for a unit the people recorded as its staff, and
whatever else names it, such as a ranking edition's candidates), its
contact details fill the survivor's blanks, and it is deleted: one transaction, one audit entry.
Refused for a unit and a person, and for two records that the public would name differently
(an anonymous donor's gifts must not move under a name shown in public).
"""

from dataclasses import dataclass

from django.db import transaction

from campaigns.freshness import figures_changed
from charity import audit
from charity.errors import UserError

from .models import Donation, Donor, FollowUp, RemittanceLine

MERGED = audit.describe("donations.donor.merged", "合并重复的捐赠人")
# Filled from the merged record where the survivor has nothing.
FILLED = ["credit_code", "contact_person", "phone", "address", "sector", "branch", "employer"]


class MergeRefused(UserError):
    """The two records cannot be merged; the message says why."""


@dataclass
class MergePlan:
    """What a merge would move from `duplicate` to `survivor`, for the preview and the audit entry."""

    survivor: Donor
    duplicate: Donor
    donations: int
    lines: int
    follow_ups: int
    staff: int
    filled: list  # [(field name, label, value the survivor receives)]
    others: list  # [(what, how many)] of other records naming it (ranking candidates …): they move too

    def __post_init__(self):
        self.merged = f"{self.duplicate.name}（#{self.duplicate.pk}）"  # kept: a deleted row has no pk

    def as_data(self):
        return {
            "merged": self.merged,
            "donations": self.donations,
            "lines": self.lines,
            "follow_ups": self.follow_ups,
            "staff": self.staff,
            **{str(what): n for what, n in self.others},
        }


def plan_merge(survivor, duplicate):
    """The MergePlan of merging `duplicate` into `survivor`, or MergeRefused."""
    if survivor.pk == duplicate.pk:
        raise MergeRefused("请选择另一条记录：一条记录不能与自己合并")
    if survivor.kind != duplicate.kind:
        raise MergeRefused(
            f"“{survivor.name}”是{survivor.get_kind_display()}，“{duplicate.name}”是"
            f"{duplicate.get_kind_display()}：单位和个人不能合并"
        )
    if (survivor.display, survivor.alias.strip()) != (duplicate.display, duplicate.alias.strip()):
        raise MergeRefused(
            "两条记录的公开显示方式不同（"
            f"{survivor.get_display_display()} / {duplicate.get_display_display()}）："
            "合并后一方的捐赠会以另一方的方式公开。请先在其中一条记录上改为相同的公开显示方式，再合并"
        )
    filled = []
    for name in FILLED:
        field = Donor._meta.get_field(name)
        if not getattr(survivor, field.attname) and getattr(duplicate, field.attname):
            if name == "employer" and duplicate.employer_id == survivor.pk:
                continue
            filled.append((name, field.verbose_name, getattr(duplicate, name)))
    known = {(Donation, "donor"), (RemittanceLine, "donor"), (FollowUp, "donor"), (Donor, "employer")}
    others = []
    for model, name in references():
        if (model, name) not in known:
            n = model._base_manager.filter(**{name: duplicate}).count()
            if n:
                others.append((model._meta.verbose_name, n))
    return MergePlan(
        survivor=survivor,
        duplicate=duplicate,
        donations=Donation.objects.filter(donor=duplicate).count(),
        lines=RemittanceLine.objects.filter(donor=duplicate).count(),
        follow_ups=FollowUp.objects.filter(donor=duplicate).count(),
        staff=Donor.objects.filter(employer=duplicate).count(),
        filled=filled,
        others=others,
    )


def references():
    """(model, field name) of every foreign key to a donor, in any app: gifts, staff lines,
    follow-ups, a unit's staff, and what higher layers keep (a ranking edition's candidates),
    which the ledger cannot import but must not leave pointing at a deleted record."""
    return [
        (relation.related_model, relation.field.name)
        # include_hidden: a key declared with related_name="+" (RankingEntry.donor) has no reverse
        # accessor and is left out of related_objects, but still refers to the donor.
        for relation in Donor._meta.get_fields(include_hidden=True)
        if relation.auto_created and not relation.concrete and (relation.one_to_many or relation.one_to_one)
    ]


def merge_donors(survivor, duplicate, user):
    """Move everything of `duplicate` to `survivor` and delete `duplicate`; returns the MergePlan.

    Gifts move with update(): a confirmed gift stays as it was confirmed (amount, date, where it
    counts); only the record of who gave it changes, which is what the merge is for, and the
    audit entry says so. The campaigns' figures are stamped as changed (names on public pages).
    """
    with transaction.atomic(), audit.explicit():
        locked = {
            d.pk: d for d in Donor.objects.select_for_update().filter(pk__in=[survivor.pk, duplicate.pk])
        }
        if len(locked) != 2:
            raise MergeRefused("其中一条记录已不存在（可能刚被他人合并或删除），请刷新后重试")
        survivor, duplicate = locked[survivor.pk], locked[duplicate.pk]
        plan = plan_merge(survivor, duplicate)
        campaigns = set(Donation.objects.filter(donor=duplicate).values_list("campaign_id", flat=True))
        campaigns |= set(
            RemittanceLine.objects.filter(donor=duplicate).values_list("remittance__campaign_id", flat=True)
        )
        for model, name in references():
            model._base_manager.filter(**{name: duplicate}).update(**{name: survivor})
        changes = []
        for name, label, value in plan.filled:
            setattr(survivor, name, value)
            changes.append({"field": name, "label": str(label), "before": "", "after": str(value)})
        duplicate.delete()  # before the survivor takes its credit code (unique)
        survivor.save()
        figures_changed(*campaigns)
        audit.record(MERGED, survivor, actor=user, data=plan.as_data(), changes=changes)
    return plan
