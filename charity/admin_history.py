"""Mixins every app's model admins build on, apart from charity/admin.py's registrations, so
that modules outside the admin (donations/scoping.py) can use them without registering pages."""

from django.contrib.admin.utils import unquote
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import urlencode

from .models import AuditEntry

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
