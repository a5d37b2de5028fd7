"""Public pages of campaigns, sectors, honor rolls (光荣榜), rankings (慈善排行榜) and the gift look-up."""

from django.urls import path

from .views import summary

app_name = "campaigns"

urlpatterns = [
    path("summary/<int:year>/", summary.annual_summary, name="annual_summary"),
    path("summary/verify/<str:code>/", summary.summary_verify, name="summary_verify"),
]
