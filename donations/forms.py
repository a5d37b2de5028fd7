from decimal import Decimal
from pathlib import PurePath

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.functional import cached_property

from campaigns.core import Campaign
from charity.admin_concurrency import VersionedModelForm
from charity.admin_lists import label_known_choices

from . import staff_lists
from .importing.options import ALLOW_OUTSIDE_DATES, FORCE, OUTSIDE_DATES_REASON, SEPARATE_STAFF_GIFTS
from .models import Donation, RemittanceLine

IMPORT_EXTENSIONS = (".xlsx", ".xls", ".csv")


def option_field(option):
    """A checkbox with the label and help the import's messages and the command's flag share."""
    return forms.BooleanField(label=option.label, required=False, help_text=option.help)


class DonationImportForm(forms.Form):
    campaign = forms.ModelChoiceField(
        Campaign.objects.all(), label="募捐活动", help_text="文件中的全部捐赠都计入这个活动"
    )
    file = forms.FileField(
        label="文件", help_text="Excel（.xlsx 或旧版 .xls）或 CSV（UTF-8 或 GBK），使用导入模板的表头"
    )
    allow_outside_dates = option_field(ALLOW_OUTSIDE_DATES)
    outside_dates_reason = forms.CharField(
        label=OUTSIDE_DATES_REASON.label, help_text=OUTSIDE_DATES_REASON.help, required=False, max_length=200
    )
    separate_staff_gifts = option_field(SEPARATE_STAFF_GIFTS)
    force = option_field(FORCE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            # A checkbox stands before its label ("☐ 强制导入…"), where a colon reads oddly.
            if isinstance(field, forms.BooleanField):
                field.label_suffix = ""

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if PurePath(upload.name).suffix.lower() not in IMPORT_EXTENSIONS:
            raise forms.ValidationError("只能导入 .xlsx、.xls 或 .csv 文件")
        if upload.size > settings.IMPORT_MAX_BYTES:
            raise forms.ValidationError(f"文件超过 {filesizeformat(settings.IMPORT_MAX_BYTES)} 的上限")
        return upload


class DonationForm(VersionedModelForm):
    """The donation page's form: the gift rules are Donation.clean()'s (donations/gift_rules.py);
    the checkbox is the importer's option of the same name, for one gift."""

    allow_outside_dates = option_field(ALLOW_OUTSIDE_DATES)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["allow_outside_dates"].label_suffix = ""

    def clean(self):
        cleaned = super().clean()
        self.instance.allow_outside_dates = bool(cleaned.get("allow_outside_dates"))
        if not self.instance.allow_outside_dates and "outside_dates_reason" in self.changed_data:
            # A reason only stands with the checkbox ticked; without it the date rule applies.
            cleaned["outside_dates_reason"] = ""
        return cleaned


class RemittanceLineFormSet(forms.BaseInlineFormSet):
    """The staff list on a donation's admin page (the remittance-line inline).

    Each line meets the staff-list rules of donations/staff_lists.py through RemittanceLine.clean(),
    with the donation as the page posts it (the add page's donor included); the total is checked
    here, over every line the page posts and those it does not show, so the page says what the
    importer and the 汇款明细 page say.
    """

    # A unit's staff list can run to thousands of lines, and each costs the page about 2 ms to
    # render (bench/admin_bench.py: 2,874 lines took 7-14 s). The page lists the first ones;
    # all of them are in 汇款明细, linked from the page (remittance_lines.html).
    shown_lines = 50

    def get_queryset(self):
        queryset = super().get_queryset()
        if not queryset.query.is_sliced:
            self._queryset = queryset = queryset[: self.shown_lines]
        return queryset

    @cached_property
    def line_total(self):
        return self.instance.lines.count() if self.instance.pk else 0

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        form.instance.total_checked_with_list = True
        return form

    def add_fields(self, form, index):
        super().add_fields(form, index)
        # Each line's person is named from the line itself, not with a query per line.
        label_known_choices(form, "donor")

    def clean(self):
        super().clean()
        donation = self.instance
        kept = [
            form
            for form in self.forms
            if not (self.can_delete and self._should_delete_form(form))
            and (form.instance.pk or form.has_changed())
        ]
        amounts = [getattr(form, "cleaned_data", {}).get("amount") for form in kept]
        if not kept or None in amounts or donation.amount is None:
            return  # nothing listed, or a bad cell already reported
        staff_lists.take_turns(donation)
        # Lines the page does not show (past the first `shown_lines`) still count.
        posted = [form.instance.pk for form in self.initial_forms if form.instance.pk]
        recorded = staff_lists.recorded_total(RemittanceLine, donation.pk, excluding=posted)
        message = staff_lists.over_remittance(
            donation.receipt_no, donation.amount, recorded + sum(amounts, Decimal("0.00")), recorded
        )
        if message:
            raise forms.ValidationError(message)


def liaison_checked_form(form_class, scope):
    """`form_class` refusing a record outside a branch liaison's branches (`scope`, branch ids).

    A donation is checked where it will count (the attribution rule decides the branch of a new
    gift from its donor when none is given), a donor by its own branch, which it must have.
    """

    class LiaisonForm(form_class):
        def clean(self):
            cleaned = super().clean()
            branch_id = self._counted_branch_id(cleaned)
            if branch_id not in scope:
                message = (
                    "只能录入本分会的捐赠：这笔捐赠将计入其他分会或未分配分会，请选择本分会的捐赠人或分会"
                    if self._meta.model is Donation
                    else "请选择本分会作为所属分会"
                )
                raise forms.ValidationError(message)
            return cleaned

        def _counted_branch_id(self, cleaned):
            branch = cleaned.get("branch")
            if self._meta.model is not Donation:
                return branch.pk if branch else None
            if self.instance.pk is not None:
                return branch.pk if branch else self.instance.branch_id
            donor = cleaned.get("donor")
            if donor is None:
                return None
            gift = Donation(donor=donor, sector=cleaned.get("sector"), branch=branch)
            return gift.counted_in()[1]

    LiaisonForm.__name__ = form_class.__name__
    return LiaisonForm
