from django.conf import settings
from django.contrib import admin
from django.urls import path

from . import views

admin.site.site_header = "慈善总会管理后台"
admin.site.site_title = "慈善总会管理后台"
admin.site.index_title = "工作台"

urlpatterns = [
    path("", views.home, name="home"),
    path(settings.ADMIN_URL, admin.site.urls),
]
