"""The donation admin's review: locking confirmed gifts, confirming, reversing (mixed into DonationAdmin).

The rules live in donations/review.py and in Donation itself; this only shows them: a confirmed
gift's page is read-only for everybody, a reviewer confirms selected gifts with an action and
reverses one confirmed gift from its page (冲正, with a reason).
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from charity import admin_publications
from charity.money import yuan

from . import review
from .models import Donation


class ReversalForm(forms.Form):
    reason = forms.CharField(
        label="冲正原因",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="例如：金额录入错误（应为 1,000.00 元）、重复录入、捐赠人录错。原因会记入操作记录。",
    )


class DonationReviewMixin:
    def get_urls(self):
        reverse_view = self.admin_site.admin_view(self.reverse_view)
        return [
            path("<int:pk>/reverse/", reverse_view, name="donations_donation_reverse"),
            *super().get_urls(),
        ]

    # Locked gifts: nobody edits or deletes them, superusers included.

    def has_change_permission(self, request, obj=None):
        return not (obj is not None and obj.is_locked) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not (obj is not None and obj.is_locked) and super().has_delete_permission(request, obj)

    def delete_queryset(self, request, queryset):
        # The confirmation page already refuses a selection with a locked gift (its permission
        # check is per object); this keeps a locked gift out whatever calls it.
        queryset.filter(status=Donation.Status.PENDING).delete()

    def has_confirm_permission(self, request):
        return request.user.has_perm("donations.confirm_donation")

    def has_reverse_permission(self, request):
        return request.user.has_perm("donations.reverse_donation")

    @admin.display(description="审核", ordering="status")
    def status_label(self, donation):
        css = {"pending": "pending", "confirmed": "confirmed"}.get(donation.status, "reversed")
        return format_html('<span class="review-{}">{}</span>', css, donation.get_status_display())

    @admin.action(description="审核确认所选捐赠（确认后锁定，不能再修改）", permissions=["confirm"])
    def confirm_selected(self, request, queryset):
        try:
            count = review.confirm_donations(queryset.values_list("pk", flat=True), request.user)
        except review.ReviewError as refusal:
            self.message_user(request, refusal.message, messages.ERROR)
            return
        left = queryset.filter(status=Donation.Status.PENDING).count()
        text = f"已确认 {count} 笔捐赠"
        if left:
            text += f"；另有 {left} 笔属于尚未确认的导入批次，请在“导入批次”中确认整个批次"
        self.message_user(request, text, messages.SUCCESS if count else messages.WARNING)

    def reverse_view(self, request, pk):
        if not self.has_reverse_permission(request):
            raise PermissionDenied
        donation = self.get_object(request, str(pk))  # scoped: 404 outside a liaison's branch
        if donation is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, str(pk))
        if donation.status != Donation.Status.CONFIRMED:
            refusal = (
                "这笔捐赠尚未审核确认，可以直接修改或删除，不需要冲正"
                if donation.status == Donation.Status.PENDING
                else f"这笔捐赠{donation.get_status_display()}，不能冲正"
            )
            self.message_user(request, refusal, messages.WARNING)
            return redirect("admin:donations_donation_change", donation.pk)
        form = ReversalForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            reason = form.cleaned_data["reason"]
            done = []
            try:
                # Published documents that counted the gift get a draft 更正说明 afterwards.
                admin_publications.do_and_prepare_corrections(
                    request,
                    self,
                    lambda: done.append(review.reverse_donation(donation, reason, request.user)),
                    cause=f"冲正捐赠 #{donation.pk}：{reason}",
                )
            except review.ReviewError as refusal:
                form.add_error("reason", refusal.message)
            else:
                reversal = done[0]
                self.message_user(
                    request,
                    f"已冲正：新增冲正记录 #{reversal.pk}（{yuan(reversal.amount)} 元）。"
                    "如需更正，请由录入员重新录入正确的捐赠。",
                    messages.SUCCESS,
                )
                return redirect("admin:donations_donation_change", donation.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"冲正捐赠：{donation}",
            "donation": donation,
            "amount": yuan(donation.amount),
            "form": form,
            # What the reversal would contradict, found by doing it and rolling it back.
            "contradicted": admin_publications.would_contradict(
                lambda: review.reverse_donation(donation, "（核对已公布文件）", request.user),
                [review.ReviewError],
            ),
        }
        return TemplateResponse(request, "admin/donations/donation/reverse.html", context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = dict(extra_context or {})
        donation = self.get_object(request, object_id)
        if donation is not None and donation.status == Donation.Status.CONFIRMED:
            if self.has_reverse_permission(request):
                extra_context["reverse_url"] = reverse("admin:donations_donation_reverse", args=[donation.pk])
        if donation is not None and donation.is_locked:
            extra_context["locked_message"] = Donation.Status(donation.status).label
        return super().change_view(request, object_id, form_url, extra_context)
