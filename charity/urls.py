from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from . import views

admin.site.site_header = "慈善总会管理后台"
admin.site.site_title = "慈善总会管理后台"
admin.site.index_title = "工作台"
# The sidebar repeats the index page's links and takes 276 px of a 1280 px screen, which the
# donation list needs for its columns (tests/browser/test_admin_donation_list.py).
admin.site.enable_nav_sidebar = False
# Django's "显示计数" (facets) counts every choice of every filter over the whole list, with no
# limit: on the donation list of ten years (1,000,000 gifts) one of its queries ran for more than
# ten minutes. The sum above the donation list (campaigns/facets.py) answers what staff need.
for model_admin in admin.site._registry.values():
    model_admin.show_facets = admin.ShowFacets.NEVER

# The error page in the site's style, with its name and hotlines (charity/views.py).
handler500 = "charity.views.server_error"

urlpatterns = [
    # The home page and the admin's dashboard (campaigns/root_urls.py): the publication layer's.
    path("", include("campaigns.root_urls")),
    path("contact/", views.contact, name="contact"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon),
    path(f"{settings.ADMIN_URL}two-factor/", include("charity.two_factor.urls")),
    path(settings.ADMIN_URL, admin.site.urls),
    path("", include("campaigns.urls")),
    path("relief/", include("relief.urls")),
]
