from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from charity.admin import AuditHistoryMixin
from charity.admin_columns import count_column, yuan_column
from charity.admin_publishing import PublicationAdminMixin
from charity.snapshots import SnapshotError
from charity.uploaded_pdfs import PdfRefused, checked_pdf
from donations.admin_spreadsheets import StaffSpreadsheetMixin

from . import calendar, services
from . import preview as disclosure_preview
from .forms import BeneficiaryForm, ErratumForm, ProjectPhotoForm, ShareFormSet
from .idnumbers import staff_hint
from .models import (
    Beneficiary,
    Disbursement,
    DisbursementShare,
    Disclosure,
    DisclosureErratum,
    FilingErratum,
    ProjectPhoto,
    ProjectYear,
    ReliefProject,
    StatutoryFiling,
)
from .organisation.models import BodyMember, NamedFund, OrganisationBody
from .resources import BeneficiaryResource, DisbursementResource, ReliefProjectResource


class PhotoInline(admin.TabularInline):
    model = ProjectPhoto
    extra = 0
    fields = ["thumbnail", "caption", "uploaded_at"]
    readonly_fields = ["thumbnail", "uploaded_at"]
    can_delete = True
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False  # photos go through 项目照片 → 添加, which checks and strips them

    @admin.display(description="照片")
    def thumbnail(self, photo):
        return format_html(
            '<img src="{}" alt="" style="max-height:80px">', reverse("relief:photo", args=[photo.pk, "small"])
        )


class ProjectYearInline(admin.TabularInline):
    """年度预算 of a project that runs over several years: the year report compares each year's
    budget, spending and people helped with the year before."""

    model = ProjectYear
    extra = 0
    fields = ["year", "budget"]


@admin.register(ReliefProject)
class ReliefProjectAdmin(AuditHistoryMixin, StaffSpreadsheetMixin, admin.ModelAdmin):
    resource_classes = [ReliefProjectResource]  # 导入/导出 Excel (docs/staff/import-export.md)
    list_display = [
        "name",
        "category",
        "years_label",
        "status",
        "budget_yuan",
        "directed_yuan",
        "spent_yuan",
        "balance_yuan",
        "people_count",
    ]
    list_filter = ["status", "category", "year"]
    search_fields = ["name", "partners"]
    ordering = ["-year", "name"]
    inlines = [ProjectYearInline, PhotoInline]
    fieldsets = [
        (None, {"fields": ["name", "category", "status", "partners", "description"]}),
        ("时间与预算", {"fields": [("year", "end_year"), ("start_date", "end_date"), "budget"]}),
    ]

    budget_yuan = yuan_column("budget", "预算（元）")
    directed_yuan = yuan_column("directed", "定向捐赠（元）")
    spent_yuan = yuan_column("spent", "已支出（元）")
    balance_yuan = yuan_column("balance", "余额（元）")
    people_count = count_column("people", "受助人次")

    @admin.display(description="年度", ordering="year")
    def years_label(self, project):
        return project.years_label

    def get_queryset(self, request):
        return super().get_queryset(request).with_money()

    def get_urls(self):
        calendar_view = self.admin_site.admin_view(self.calendar_view)
        return [path("calendar/", calendar_view, name="relief_calendar"), *super().get_urls()]

    def calendar_view(self, request):
        """法定公开日历: every duty with its deadline, what was published, the overdue ones flagged."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        found = calendar.duties()
        context = {
            **self.admin_site.each_context(request),
            "title": "法定信息公开日历",
            "duties": found,
            "overdue": sum(1 for d in found if d.overdue),
            "opts": self.opts,
        }
        return TemplateResponse(request, "admin/relief/calendar.html", context)


@admin.register(ProjectPhoto)
class ProjectPhotoAdmin(AuditHistoryMixin, admin.ModelAdmin):
    form = ProjectPhotoForm
    list_display = ["__str__", "project", "uploaded_at"]
    list_filter = ["project"]

    def get_form(self, request, obj=None, **kwargs):
        if obj is not None:  # an existing photo: only its caption changes
            kwargs["form"] = admin.ModelAdmin.form
            kwargs["fields"] = ["caption"]
        return super().get_form(request, obj, **kwargs)

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        photo = services.add_photo(obj.project, None, obj.caption, request.user, prepared=form.prepared)
        obj.pk, obj.large, obj.small = photo.pk, photo.large, photo.small


class ShareInline(admin.TabularInline):
    model = DisbursementShare
    formset = ShareFormSet
    extra = 1
    autocomplete_fields = ["beneficiary"]


@admin.register(Disbursement)
class DisbursementAdmin(AuditHistoryMixin, StaffSpreadsheetMixin, admin.ModelAdmin):
    resource_classes = [DisbursementResource]
    list_display = ["voucher_no", "project", "paid_on", "amount_yuan", "people_helped", "purpose"]
    list_filter = ["project", "paid_on"]
    search_fields = ["voucher_no", "purpose", "project__name"]
    date_hierarchy = "paid_on"
    inlines = [ShareInline]
    amount_yuan = yuan_column("amount", "金额（元）")


@admin.register(Beneficiary)
class BeneficiaryAdmin(AuditHistoryMixin, StaffSpreadsheetMixin, admin.ModelAdmin):
    # Identity numbers leave masked and come in checked as this form checks them (relief/resources.py).
    resource_classes = [BeneficiaryResource]
    form = BeneficiaryForm
    list_display = ["name", "id_hint", "district", "group", "received_yuan"]
    list_filter = ["district", "group", "name_withheld"]
    search_fields = ["name"]
    received_yuan = yuan_column("received", "累计受助（元）")

    @admin.display(description="身份证号码")
    def id_hint(self, person):
        return staff_hint(person.id_number)

    def get_queryset(self, request):
        return super().get_queryset(request).with_received()


class ErratumInline(admin.TabularInline):
    model = DisclosureErratum
    extra = 0
    fields = ["published_at", "reason", "text", "changes", "published_by"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False  # through the 发布更正说明 button, which calls the service


@admin.register(Disclosure)
class DisclosureAdmin(PublicationAdminMixin, AuditHistoryMixin, admin.ModelAdmin):
    list_display = ["title", "project", "kind", "status", "objection_start", "objection_end", "published_at"]
    list_filter = ["status", "kind", "project"]
    search_fields = ["title", "project__name"]
    inlines = [ErratumInline]
    preview_function = disclosure_preview.preview
    publish_service = services.publish_disclosure
    change_form_template = "admin/relief/disclosure_change_form.html"
    fields = [
        "project", "kind", "title", ("period_start", "period_end"), ("objection_start", "objection_end"),
        "objection_contact", "summary", "staff_note", "status", "published_at", "content_sha256",
    ]  # fmt: skip
    readonly_fields = ["status", "published_at", "content_sha256"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.is_published:
            return [f for f in self.fields if isinstance(f, str) and f != "staff_note"] + [
                "period_start", "period_end", "objection_start", "objection_end"
            ]  # fmt: skip
        return self.readonly_fields

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not (obj and obj.is_published)

    def get_urls(self):
        erratum = self.admin_site.admin_view(self.erratum_view)
        return [path("<int:pk>/erratum/", erratum, name="relief_disclosure_erratum"), *super().get_urls()]

    def erratum_view(self, request, pk):
        if not self.has_publish_permission(request):
            raise PermissionDenied
        disclosure = get_object_or_404(Disclosure, pk=pk)
        form = ErratumForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                data = form.cleaned_data
                services.publish_disclosure_erratum(
                    disclosure, data["text"], request.user, reason=data["reason"], changes=data["changes"]
                )
            except SnapshotError as exc:
                form.add_error(None, exc.message)
            else:
                self.message_user(request, "更正说明已发布", messages.SUCCESS)
                return redirect("admin:relief_disclosure_change", disclosure.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": f"发布更正说明：{disclosure}",
            "disclosure": disclosure,
            "form": form,
            "opts": self.opts,
        }
        return TemplateResponse(request, "admin/relief/erratum_form.html", context)


class StatutoryFilingForm(forms.ModelForm):
    class Meta:
        model = StatutoryFiling
        fields = ["kind", "year", "campaign", "title", "document", "published_on", "where"]

    def clean_document(self):
        upload = self.cleaned_data.get("document")
        if not isinstance(upload, UploadedFile):
            return upload
        try:
            return checked_pdf(upload)
        except PdfRefused as refusal:
            raise forms.ValidationError(refusal.message) from refusal


class FilingErratumInline(admin.StackedInline):
    """A published document's 更正说明: added here, published on saving, never edited or removed."""

    model = FilingErratum
    fields = ["reason", "text", "published_at", "published_by"]
    readonly_fields = ["published_at", "published_by"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return obj is not None and bool(obj.document) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(StatutoryFiling)
class StatutoryFilingAdmin(AuditHistoryMixin, admin.ModelAdmin):
    list_display = ["__str__", "kind", "year", "campaign", "published_on", "where", "has_document"]
    list_filter = ["kind", "year"]
    form = StatutoryFilingForm
    inlines = [FilingErratumInline]

    def get_readonly_fields(self, request, obj=None):
        # A published document is never replaced (StatutoryFiling.save): a correction is an erratum.
        return ["document"] if obj is not None and obj.document else []

    @admin.display(description="本网站公布", boolean=True)
    def has_document(self, filing):
        return bool(filing.document)

    def save_formset(self, request, form, formset, change):
        if formset.model is not FilingErratum:
            return super().save_formset(request, form, formset, change)
        for erratum in formset.save(commit=False):
            erratum.filing = form.instance
            erratum.published_by = request.user
            erratum.save()
            self.message_user(request, "更正说明已发布", messages.SUCCESS)


class BodyMemberInline(admin.TabularInline):
    model = BodyMember
    extra = 0
    fields = ["position", "name", "affiliation", "order"]


@admin.register(OrganisationBody)
class OrganisationBodyAdmin(AuditHistoryMixin, admin.ModelAdmin):
    """信息公开's bodies and members: the administrator's, as the site identity is."""

    list_display = ["name", "kind", "term", "order"]
    inlines = [BodyMemberInline]


@admin.register(NamedFund)
class NamedFundAdmin(AuditHistoryMixin, admin.ModelAdmin):
    list_display = ["name", "founder", "founded_on", "order"]
