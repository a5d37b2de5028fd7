"""The Atom feed of 慈善资讯 (django.contrib.syndication): the 20 newest published articles."""

import datetime

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed

from charity import identity

from .models import Article

ITEMS = 20


class ArticleFeed(Feed):
    feed_type = Atom1Feed

    def title(self):
        return f"{identity.current().full_name} · 慈善资讯"

    def subtitle(self):
        return f"{identity.current().full_name}的工作动态、通知公告、光荣榜和项目动态"

    def author_name(self):
        return identity.current().full_name

    def link(self):
        return reverse("news:list")

    def items(self):
        return Article.objects.published()[:ITEMS]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.content.get("summary", "")

    def item_link(self, item):
        return reverse("news:article", args=[item.pk])

    def item_pubdate(self, item):
        # The article's own date (midnight, local time): the list and the feed agree on the order.
        return timezone.make_aware(datetime.datetime.combine(item.date, datetime.time()))

    def item_updateddate(self, item):
        return item.published_at

    def item_categories(self, item):
        return [item.get_category_display()]
