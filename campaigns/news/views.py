"""慈善资讯 for the public: the list (by category, with pages), an article, the Atom feed (feeds.py)
and the share card of an article. An article page shows its frozen content and its errata only."""

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from charity import images
from charity.page_cache import reads_query

from .models import Article

PER_PAGE = 15


@reads_query("category", "page")
def article_list(request):
    categories = Article.Category
    category = request.GET.get("category")
    articles = Article.objects.published().defer("content", "body")
    if category in categories.values:
        articles = articles.filter(category=category)
    else:
        category = None
    page = Paginator(articles, PER_PAGE).get_page(request.GET.get("page"))
    context = {"page": page, "category": category, "categories": categories.choices}
    return render(request, "campaigns/news/article_list.html", context)


def article(request, pk):
    found = get_object_or_404(Article, pk=pk, status=Article.Status.PUBLISHED)
    context = {"article": found, "content": found.content, "errata": list(found.errata.all())}
    return render(request, "campaigns/news/article.html", context)


@images.card("news")
def article_card(pk):
    found = Article.objects.published().filter(pk=pk).first()
    if found is None:
        return None
    lines = [f"{found.get_category_display()} · {found.date:%Y年%m月%d日}", found.content.get("summary", "")]
    url = reverse("news:article", args=[found.pk])
    return images.Card(found.title, lines, url, version=found.content_sha256)
