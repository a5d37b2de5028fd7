"""The publication layer's two pages outside its namespace: the home page at the site's root and
the leadership dashboard in the admin's URL space. Included first by charity/urls.py (by name, so
the kernel imports no app); their URL names stay "home" and "admin_dashboard"."""

from django.conf import settings
from django.contrib import admin
from django.urls import path

from .views.dashboard import dashboard
from .views.home import home

urlpatterns = [
    path("", home, name="home"),
    # Before the admin's own URLs, whose catch-all would take it; admin_view: staff login required.
    path(f"{settings.ADMIN_URL}dashboard/", admin.site.admin_view(dashboard), name="admin_dashboard"),
]
