"""更正说明草稿 in the back office: listed, completed (reason, figures) and published or discarded.

The decisions are services (corrections/drafts.py); this page only collects the reason and the
figures. Drafts are made by the system (after an action, or from the drift check), never added.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from charity.admin import NotFoundMixin
from charity.admin_readonly import ReadOnlyAdminMixin
from charity.snapshots import SnapshotError, format_changes, parse_changes

from .corrections import drafts
from .models import CorrectionDraft

DECIDE_PERMISSION = "campaigns.publish_correctiondraft"


class DecisionForm(forms.Form):
    reason = forms.CharField(
        label="更正原因（公开显示）",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 80}),
        help_text="例如：导入批次“……”重复导入，已撤销。发布时必填。",
    )
    text = forms.CharField(
        label="补充说明（公开显示，可选）",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 80}),
    )
    changes = forms.CharField(
        label="更正前后的数字",
        required=False,
        widget=forms.Textarea(attrs={"rows": 8, "cols": 80}),
        help_text="每行一项，写成“项目：原公布 → 更正后”。已按账目填好，一般不需要修改。",
    )
    discard_reason = forms.CharField(
        label="放弃原因（仅内部记录）", required=False, widget=forms.Textarea(attrs={"rows": 2, "cols": 80})
    )


@admin.register(CorrectionDraft)
class CorrectionDraftAdmin(ReadOnlyAdminMixin, NotFoundMixin, admin.ModelAdmin):
    list_display = ["title", "cause", "status", "created_at", "created_by", "decide_link"]
    list_filter = ["status"]
    list_select_related = ["created_by"]
    readonly_fields = [
        "title", "public_link", "cause", "changes_table", "status", "reason", "text", "discard_reason",
        "created_at", "created_by", "decided_at", "decided_by",
    ]  # fmt: skip
    fields = readonly_fields

    @admin.display(description="处理")
    def decide_link(self, draft):
        if draft.status != CorrectionDraft.Status.DRAFT:
            return draft.get_status_display()
        url = reverse("admin:campaigns_correctiondraft_decide", args=[draft.pk])
        return format_html('<a href="{}">填写原因并发布</a>', url)

    @admin.display(description="公开页面")
    def public_link(self, draft):
        return format_html('<a href="{}" target="_blank">{}</a>', draft.url, draft.url) if draft.url else "—"

    @admin.display(description="更正前后的数字")
    def changes_table(self, draft):
        return format_changes(draft.changes) or "—"

    def get_urls(self):
        decide = self.admin_site.admin_view(self.decide_view)
        return [
            path("<int:pk>/decide/", decide, name="campaigns_correctiondraft_decide"),
            path(
                "prepare/",
                self.admin_site.admin_view(self.prepare_view),
                name="campaigns_correctiondraft_prepare",
            ),
            *super().get_urls(),
        ]

    def prepare_view(self, request):
        """Drafts for every published document that no longer agrees with the ledger (the
        dashboard's button; check_publications --draft does the same)."""
        if not request.user.has_perm(DECIDE_PERMISSION):
            raise PermissionDenied
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        prepared = drafts.prepare_all_drafts(request.user)
        if prepared:
            done = f"已准备 {len(prepared)} 份更正说明草稿，请填写原因后发布"
            self.message_user(request, done, messages.SUCCESS)
        else:
            self.message_user(request, "全部已公布文件与账目一致，不需要更正说明", messages.INFO)
        return redirect(reverse("admin:campaigns_correctiondraft_changelist") + "?status__exact=draft")

    @staticmethod
    def _changes(draft, typed):
        """The figures as typed; the draft's own when left as prefilled (exactly as computed)."""
        if typed.strip() == format_changes(draft.changes).strip():
            return None
        return parse_changes(typed)

    def decide_view(self, request, pk):
        if not request.user.has_perm(DECIDE_PERMISSION):
            raise PermissionDenied
        draft = get_object_or_404(CorrectionDraft, pk=pk)
        if draft.status != CorrectionDraft.Status.DRAFT:
            self.message_user(request, f"这份草稿{draft.get_status_display()}", messages.WARNING)
            return redirect("admin:campaigns_correctiondraft_change", draft.pk)
        initial = {"reason": draft.reason, "text": draft.text, "changes": format_changes(draft.changes)}
        form = DecisionForm(request.POST or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                if "_discard" in request.POST:
                    drafts.discard_draft(draft, request.user, reason=data["discard_reason"])
                    done = "已放弃这份更正说明草稿"
                else:
                    drafts.publish_draft(
                        draft,
                        request.user,
                        reason=data["reason"],
                        text=data["text"],
                        changes=self._changes(draft, data["changes"]),
                    )
                    url = draft.url
                    done = format_html("更正说明已发布，公众可在 <a href='{}'>{}</a> 看到", url, url)
            except SnapshotError as refusal:
                form.add_error(None, refusal.message)
            else:
                self.message_user(request, done, messages.SUCCESS)
                return redirect("admin:campaigns_correctiondraft_changelist")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"更正说明：{draft.title}",
            "draft": draft,
            "form": form,
        }
        return TemplateResponse(request, "admin/campaigns/correctiondraft/decide.html", context)
