"""The 对账 pages: statements and their results, the upload, staff's decisions; column mappings.

Who: those with donations.reconcile_statement (录入员) upload and decide; 审核员 read the results.
A branch liaison never sees them, whatever it was granted: a statement is the federation's own
account, every branch's money in one file (docs/roles.md).
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from charity.admin import AuditHistoryMixin
from charity.admin_columns import count_column

from ..scoping import liaison_branch_ids
from . import services
from .forms import CreateGiftsForm, StatementUploadForm
from .models import Outcome, Statement, StatementCredit, StatementMapping
from .reading import StatementRejected

SECTIONS = [
    (Outcome.DOUBTFUL, "待确认", "金额和日期相符、付款人不能确定的到账：请确认或否决建议的捐赠"),
    (Outcome.DIFFERS, "金额不符", "找到了对应的捐赠，但到账金额与登记金额不同：请核实后更正捐赠或联系付款人"),
    (
        Outcome.UNMATCHED,
        "无对应捐赠",
        "到账了却没有登记的捐赠：可以直接由到账记录创建捐赠（渠道和日期自动填入）",
    ),
    (Outcome.MATCHED, "已匹配", "到账与登记的捐赠一致"),
]


def unconfined(user):
    return liaison_branch_ids(user) is None


@admin.register(StatementMapping)
class StatementMappingAdmin(AuditHistoryMixin, admin.ModelAdmin):
    list_display = [
        "name",
        "date_column",
        "payer_name_column",
        "amount_column",
        "memo_column",
        "serial_column",
    ]
    search_fields = ["name"]

    def has_module_permission(self, request):
        return unconfined(request.user) and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return unconfined(request.user) and super().has_view_permission(request, obj)


@admin.register(Statement)
class StatementAdmin(AuditHistoryMixin, admin.ModelAdmin):
    list_display = [
        "file_name",
        "source",
        "first_day",
        "last_day",
        "new_credits",
        "repeated",
        "uploaded_by",
        "uploaded_at",
    ]
    list_filter = ["source"]
    list_select_related = ["uploaded_by"]
    search_fields = ["file_name", "sha256"]
    new_credits = count_column("credit_count", "新到账笔数")
    repeated = count_column("repeated_count", "已导入过")

    def has_module_permission(self, request):
        return unconfined(request.user) and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return unconfined(request.user) and super().has_view_permission(request, obj)

    def has_add_permission(self, request):
        return False  # a statement is made by uploading its file (upload_view)

    def has_change_permission(self, request, obj=None):
        return False  # what staff change is a credit's outcome, through the decisions below

    def has_delete_permission(self, request, obj=None):
        return False  # the record of what reached the account is kept

    def has_reconcile_permission(self, request):
        return request.user.has_perm("donations.reconcile_statement") and unconfined(request.user)

    def get_urls(self):
        def route(pattern, view, name):
            return path(pattern, self.admin_site.admin_view(view), name=f"donations_statement_{name}")

        return [
            route("upload/", self.upload_view, "upload"),
            route("<int:statement_id>/credits/<int:credit_id>/<slug:decision>/", self.decide_view, "decide"),
            route("<int:statement_id>/create-gifts/", self.create_all_view, "create_gifts"),
        ] + super().get_urls()

    def changelist_view(self, request, extra_context=None):
        extra = {"may_reconcile": self.has_reconcile_permission(request), **(extra_context or {})}
        return super().changelist_view(request, extra)

    # The statement's page is its results.
    def change_view(self, request, object_id, form_url="", extra_context=None):
        statement = self.get_object(request, object_id)
        if statement is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_view_permission(request, statement):
            raise PermissionDenied
        credits = list(
            statement.credits.select_related("donation__donor", "donation__campaign", "decided_by")
        )
        sections = [
            (label, note, outcome, [c for c in credits if c.state == outcome])
            for outcome, label, note in SECTIONS
        ]
        unarrived = services.unarrived_gifts(statement.source, statement.first_day, statement.last_day)
        counts = statement.credits.outcome_counts()
        return TemplateResponse(
            request,
            "admin/donations/statement/results.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": f"对账结果：{statement.file_name}",
                "statement": statement,
                "counts": {o: counts[o][0] for o in Outcome.values},
                "sections": sections,
                "unarrived": unarrived.select_related("donor", "campaign").order_by("received_on", "pk"),
                "may_reconcile": self.has_reconcile_permission(request),
                "gift_form": CreateGiftsForm(),
                "has_view_permission": True,
            },
        )

    def upload_view(self, request):
        if not self.has_reconcile_permission(request):
            raise PermissionDenied
        form = StatementUploadForm(request.POST or None, request.FILES or None)
        errors = []
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                result = services.import_statement(
                    upload, upload.name, mapping=form.cleaned_data["mapping"], user=request.user
                )
            except StatementRejected as failure:
                errors = failure.errors
                messages.error(request, failure.message)
            else:
                summary = services.counts_text(result.counts)
                if result.statement is None:
                    repeated = f"全部 {result.repeated} 笔到账此前已导入，未作任何改动"
                    messages.info(request, f"已读入 {upload.name}：{repeated}。{summary}")
                    return redirect("admin:donations_statement_changelist")
                repeated = f"（另有 {result.repeated} 笔此前已导入，未重复计入）" if result.repeated else ""
                message = f"已读入 {upload.name}：新到账 {result.new} 笔{repeated}。{summary}"
                messages.success(request, message)
                return redirect("admin:donations_statement_change", result.statement.pk)
        return TemplateResponse(
            request,
            "admin/donations/statement/upload.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": "导入对账单",
                "form": form,
                "errors": errors,
            },
        )

    def decide_view(self, request, statement_id, credit_id, decision):
        if not self.has_reconcile_permission(request):
            raise PermissionDenied
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        credit = get_object_or_404(StatementCredit, pk=credit_id, statement_id=statement_id)
        try:
            if decision == "confirm":
                services.confirm_credit(credit, request.user)
                messages.success(request, f"已确认：{credit} 即捐赠“{credit.donation}”")
            elif decision == "reject":
                services.reject_credit(credit, request.user)
                messages.success(request, f"已否决建议的捐赠：{credit} 现为“无对应捐赠”")
            elif decision == "create":
                form = CreateGiftsForm(request.POST)
                if not form.is_valid():
                    messages.error(request, "请选择计入的活动")
                else:
                    data = form.cleaned_data
                    [gift] = services.create_gifts(
                        [credit], data["campaign"], request.user, kind=data["kind"] or None, name=data["name"]
                    )
                    messages.success(request, f"已由到账记录创建捐赠“{gift}”（待审核）")
            else:
                raise PermissionDenied
        except services.ReconciliationError as error:
            messages.error(request, error.message)
        return redirect(
            reverse("admin:donations_statement_change", args=[statement_id]) + f"#credit-{credit_id}"
        )

    def create_all_view(self, request, statement_id):
        if not self.has_reconcile_permission(request):
            raise PermissionDenied
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        statement = get_object_or_404(Statement, pk=statement_id)
        form = CreateGiftsForm(request.POST)
        if not form.is_valid():
            messages.error(request, "请选择计入的活动")
        else:
            credits = list(
                statement.credits.with_state().filter(current=Outcome.UNMATCHED).order_by("row_number")
            )
            try:
                gifts = services.create_gifts(credits, form.cleaned_data["campaign"], request.user)
            except services.ReconciliationError as error:
                messages.error(request, f"{error.message}；未创建任何捐赠")
            else:
                messages.success(request, f"已由 {len(gifts)} 笔到账创建捐赠（待审核）")
        return redirect("admin:donations_statement_change", statement_id)
