"""Public pages of campaigns, sectors, honor rolls (光荣榜), rankings (慈善排行榜) and the gift look-up."""

from django.urls import path  # noqa: F401 (patterns are added by the modules of campaigns.views)

app_name = "campaigns"

urlpatterns = []
