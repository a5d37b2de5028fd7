"""慈善资讯's public addresses, under /news/ (charity/urls.py includes them by name)."""

from django.urls import path

from . import feeds, views

app_name = "news"

urlpatterns = [
    path("", views.article_list, name="list"),
    path("<int:pk>/", views.article, name="article"),
    path("feed.atom", feeds.ArticleFeed(), name="feed"),
]
