"""合并重复记录 on a donor's page (mixed into DonorAdmin): choose the other record and which one
survives, preview what moves, confirm by POST (donations/merging.py)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path

from . import merging
from .models import Donor

CANDIDATES = 20


class MergeForm(forms.Form):
    other = forms.IntegerField(label="另一条记录的编号", min_value=1)
    keep = forms.ChoiceField(
        label="保留哪一条",
        choices=[
            ("this", "保留本记录（另一条并入本记录后删除）"),
            ("other", "保留另一条（本记录并入后删除）"),
        ],
        initial="this",
        widget=forms.RadioSelect,
    )


class DonorMergeMixin:
    def get_urls(self):
        merge = self.admin_site.admin_view(self.merge_view)
        return [path("<int:pk>/merge/", merge, name="donations_donor_merge"), *super().get_urls()]

    def has_merge_permission(self, request):
        return request.user.has_perm("donations.merge_donor")

    def merge_view(self, request, pk):
        if not self.has_merge_permission(request):
            raise PermissionDenied
        donors = self.get_queryset(request)  # scoped: another branch's record is not found
        donor = donors.filter(pk=pk).first()
        if donor is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, str(pk))
        form = MergeForm(request.POST if request.method == "POST" else (request.GET or None))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"合并重复记录：{donor}",
            "donor": donor,
            "form": form,
            "candidates": likely_duplicates(donors, donor),
        }
        if form.is_valid():
            other = donors.filter(pk=form.cleaned_data["other"]).first()
            if other is None:
                form.add_error("other", "没有这个编号的捐赠人，或不在您的权限范围内")
            else:
                survivor, duplicate = (
                    (donor, other) if form.cleaned_data["keep"] == "this" else (other, donor)
                )
                try:
                    if request.method == "POST":
                        plan = merging.merge_donors(survivor, duplicate, request.user)
                        self.message_user(
                            request,
                            f"已将“{plan.merged}”并入本记录：捐赠 {plan.donations} 笔、"
                            f"汇款明细 {plan.lines} 条、劝募跟进 {plan.follow_ups} 条、职工 {plan.staff} 人",
                            messages.SUCCESS,
                        )
                        return redirect("admin:donations_donor_change", survivor.pk)
                    context["plan"] = merging.plan_merge(survivor, duplicate)
                except merging.MergeRefused as refusal:
                    form.add_error(None, refusal.message)
        return TemplateResponse(request, "admin/donations/donor/merge.html", context)


def likely_duplicates(donors, donor):
    """Records of the same kind with the same name, credit code or telephone: what a clerk would
    look for by hand first."""
    same = Donor.objects.none()
    for value, field in [(donor.name, "name"), (donor.credit_code, "credit_code"), (donor.phone, "phone")]:
        if value:
            same = same | donors.filter(**{field: value})
    return list(
        same.filter(kind=donor.kind).exclude(pk=donor.pk).select_related("employer", "sector")[:CANDIDATES]
    )
