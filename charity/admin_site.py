"""The back office's admin site: its admin modules are imported when it is first needed.

Django's default AdminConfig imports every app's admin.py while the process starts, and with them
django-import-export, which loads openpyxl to see which formats it can offer: about 80 ms that
every command, the worker and the donation import paid without showing a single admin page
(`python -X importtime manage.py import_donations --help`). Here the URLconf discovers them
(charity/urls.py), before any admin page is served; the system checks discover them too, so
`manage.py check` checks every model admin whatever order it runs its checks in.
"""

from django.contrib import admin
from django.contrib.admin.apps import SimpleAdminConfig


class PortalAdminSite(admin.AdminSite):
    site_header = "慈善总会管理后台"
    site_title = "慈善总会管理后台"
    index_title = "工作台"
    # The sidebar repeats the index page's links and takes 276 px of a 1280 px screen, which the
    # donation list needs for its columns (tests/browser/test_admin_donation_list.py).
    enable_nav_sidebar = False

    def check(self, app_configs):
        admin.autodiscover()
        return super().check(app_configs)


class AdminConfig(SimpleAdminConfig):
    """django.contrib.admin, without importing the admin modules at start-up."""

    default_site = "charity.admin_site.PortalAdminSite"
