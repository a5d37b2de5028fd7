"""The audit trail in the back office: one searchable list, and each object's own history."""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import admin_jobs  # noqa: F401  (registers the background jobs' pages)
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

# An object's history page shows its newest entries; the full list is one click away.
HISTORY_LIMIT = 500


class NotFoundMixin:
    """A record that does not exist, or that this account may not see, answers 404.

    Django's admin redirects to its index with a message instead, which tells whoever asked that
    the record may exist elsewhere as much as "not found" does; a plain 404 tells nothing.
    """

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        raise Http404("记录不存在")


class AuditHistoryMixin(NotFoundMixin):
    """The admin's 历史 page shows the object's audit entries; Django's own LogEntry is not written.

    One audit trail: charity.audit already records every save and delete of a tracked model, with
    before and after values, so the admin's own change messages would only be a second, poorer one.
    """

    object_history_template = "admin/audit/object_history.html"

    def history_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        entries = AuditEntry.objects.for_object(obj)
        context = {
            **self.admin_site.each_context(request),
            "title": f"修改记录：{obj}",
            "subtitle": None,
            "object": obj,
            "opts": self.opts,
            "entries": entries[:HISTORY_LIMIT],
            "entry_count": entries.count(),
            "all_entries_url": _audit_list_url(obj),
            "preserved_filters": self.get_preserved_filters(request),
            **(extra_context or {}),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.object_history_template, context)

    def log_addition(self, request, obj, message):
        return None

    def log_change(self, request, obj, message):
        return None

    def log_deletions(self, request, queryset):
        return None


def _audit_list_url(obj):
    content_type = ContentType.objects.get_for_model(obj, for_concrete_model=False)
    url = reverse("admin:charity_auditentry_changelist")
    return f"{url}?{urlencode({'content_type__id__exact': content_type.pk, 'object_id': obj.pk})}"


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

