"""数据看板 in the back office: read only, for leadership (permission campaigns.view_dashboard)."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse

from .. import dashboard as figures


def dashboard(request):
    if not request.user.has_perm("campaigns.view_dashboard"):
        raise PermissionDenied
    campaign_id = request.GET.get("campaign")
    board = figures.dashboard(int(campaign_id) if campaign_id and campaign_id.isdigit() else None)
    context = {**admin.site.each_context(request), "title": "数据看板", "board": board}
    return TemplateResponse(request, "admin/dashboard.html", context)
