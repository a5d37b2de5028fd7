"""信息公开's public addresses, under /open/ (charity/urls.py includes them by name)."""

from django.urls import path

from . import views

app_name = "open"

urlpatterns = [
    path("", views.organisation, name="organisation"),
    path("documents/", views.document_list, name="documents"),
]
