"""Public pages of relief projects, spending and disclosures (公示)."""

from django.urls import path

from .views import (
    cards,  # noqa: F401 (registers the pages' og:image cards)
    disclosures,
    downloads,
    projects,
    years,
)

app_name = "relief"

urlpatterns = [
    path("", projects.project_list, name="project_list"),
    path("projects/<int:pk>/", projects.project, name="project"),
    path("photos/<int:pk>/<str:size>.jpg", projects.photo, name="photo"),
    path("disclosures/", disclosures.disclosure_list, name="disclosure_list"),
    path("disclosures/<int:pk>/", disclosures.disclosure, name="disclosure"),
    path("disclosures/<int:pk>.csv", downloads.disclosure_csv, name="disclosure_csv"),
    path("disclosures/<int:pk>.xlsx", downloads.disclosure_xlsx, name="disclosure_xlsx"),
    path("disclosures/<int:pk>.json", downloads.disclosure_json, name="disclosure_json"),
    path("years/", years.latest_year, name="years"),
    path("years/<int:year>/", years.year, name="year"),
]
