"""The audit trail in the back office: one searchable list, and each object's own history."""

from django.contrib import admin
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html, format_html_join
from django_otp.plugins.otp_static import admin as _static_admin  # noqa: F401  (registered first, to unregister)
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp import admin as _totp_admin  # noqa: F401
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import (
    admin_identity,  # noqa: F401  (registers 网站信息)
    admin_jobs,  # noqa: F401  (registers the background jobs' pages)
)

# The apps' admins build on these; they live apart so that non-admin modules can import them.
from .admin_history import AuditHistoryMixin, NotFoundMixin  # noqa: F401
from .admin_lists import KeysFirstPaginator, SubquerySearchMixin
from .admin_readonly import ReadOnlyAdminMixin
from .audit import action_label
from .models import AuditEntry

# django-otp's own pages list every account's devices with their secret keys: an administrator
# could read a colleague's key there and make their codes. Staff enrol on their own page and a
# lost phone is reset with `manage.py reset_two_factor` (charity/two_factor/).
for otp_model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(otp_model):
        admin.site.unregister(otp_model)


class ActionFilter(admin.SimpleListFilter):
    title = "动作"
    parameter_name = "action"

    def lookups(self, request, model_admin):
        return [(code, action_label(code)) for code in AuditEntry.objects.action_codes()]

    def queryset(self, request, queryset):
        return queryset.filter(action=self.value()) if self.value() else queryset


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdminMixin, SubquerySearchMixin, admin.ModelAdmin):
    list_display = ["created_at", "actor_label", "action_name", "object_link", "summary"]
    list_filter = [ActionFilter, "content_type", "created_at"]
    search_fields = ["object_repr", "actor_label", "action", "object_id", "=data__sha256"]
    date_hierarchy = "created_at"
    list_select_related = ["content_type"]
    list_per_page = 100
    fields = ["created_at", "actor_label", "action_name", "object_link", "changes_table", "data_table"]
    readonly_fields = fields
    show_full_result_count = False  # counting a long history on every page is slow and not needed
    paginator = KeysFirstPaginator  # sorted pages without the content type joined (admin_lists.py)

    def lookup_allowed(self, lookup, value, request=None):
        # An object's history page links here filtered to that one object.
        return lookup == "object_id" or super().lookup_allowed(lookup, value, request)

    @admin.display(description="动作", ordering="action")
    def action_name(self, entry):
        return entry.action_label

    @admin.display(description="对象")
    def object_link(self, entry):
        if not entry.content_type_id or not entry.object_id:
            return entry.object_repr or "—"
        try:
            kind = entry.content_type
            url = reverse(f"admin:{kind.app_label}_{kind.model}_change", args=[entry.object_id])
        except NoReverseMatch:
            return entry.object_repr
        return format_html('<a href="{}">{}</a>', url, entry.object_repr)

    @admin.display(description="摘要")
    def summary(self, entry):
        parts = [f"{c['label']}：{c['before'] or '—'} → {c['after'] or '—'}" for c in entry.changes[:3]]
        if len(entry.changes) > 3:
            parts.append(f"等 {len(entry.changes)} 项")
        parts += [f"{label}：{value}" for label, value in entry.data_items[:4]]
        return "；".join(parts)

    @admin.display(description="修改内容")
    def changes_table(self, entry):
        rows = [(c["label"], c["before"], c["after"]) for c in entry.changes]
        return _table(["项目", "修改前", "修改后"], rows)

    @admin.display(description="数据")
    def data_table(self, entry):
        return _table(["项目", "值"], entry.data_items)


def _table(head, rows):
    if not rows:
        return "—"
    header = format_html_join("", "<th>{}</th>", ((h,) for h in head))
    cells = (format_html_join("", "<td>{}</td>", ((_or_dash(v),) for v in row)) for row in rows)
    body = format_html_join("", "<tr>{}</tr>", ((c,) for c in cells))
    return format_html("<table><thead><tr>{}</tr></thead><tbody>{}</tbody></table>", header, body)


def _or_dash(value):
    return "—" if value in (None, "") else value
