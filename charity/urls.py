from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from . import views

# The apps' admin modules register their pages now, not at start-up (charity/admin_site.py).
admin.autodiscover()
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
    # The public uploads (emblem, QR code, news pictures and files, 信息公开's documents); nginx may
    # serve these folders itself (docs/deploy.md).
    path(f"{settings.MEDIA_URL.strip('/')}/<path:path>", views.public_upload, name="public_upload"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon),
    path(f"{settings.ADMIN_URL}two-factor/", include("charity.two_factor.urls")),
    path(settings.ADMIN_URL, admin.site.urls),
    path("", include("campaigns.urls")),
    path("relief/", include("relief.urls")),
    # 慈善资讯: the publication layer's (campaigns/news/), included by name.
    path("news/", include("campaigns.news.urls")),
    # 信息公开: the organisation and its statutory documents (relief/organisation/), by name.
    path("open/", include("relief.organisation.urls")),
]
