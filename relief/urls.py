"""Public pages of relief projects, spending and disclosures (公示)."""

from django.urls import path  # noqa: F401 (patterns are added with relief.views)

app_name = "relief"

urlpatterns = []
