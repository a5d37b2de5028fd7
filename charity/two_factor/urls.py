"""Under the admin's address (charity/urls.py), before its catch-all; admin_view: staff only."""

from django.contrib import admin
from django.urls import path

from . import views

urlpatterns = [
    path("", admin.site.admin_view(views.status), name="two_factor"),
    path("verify/", admin.site.admin_view(views.verify), name="two_factor_verify"),
    path("enrol/", admin.site.admin_view(views.enrol), name="two_factor_enrol"),
    path("recovery-codes/", admin.site.admin_view(views.recovery_codes), name="two_factor_recovery_codes"),
    path(
        "recovery-codes/renew/",
        admin.site.admin_view(views.renew_recovery_codes),
        name="two_factor_renew_recovery_codes",
    ),
]
