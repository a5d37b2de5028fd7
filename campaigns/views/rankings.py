"""慈善排行榜: the published editions, one edition, one category, downloads and images."""

from django.db.models.fields.json import KT
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse

from charity import images

from ..models import RankingCategory, RankingEdition
from ..rankings import sharing
from .published import cached_page, errata_key, errata_of, published_or_404, stored_file


def ranking_list(request):
    editions = (
        RankingEdition.objects.filter(status=RankingEdition.Status.PUBLISHED)
        .order_by("-number")
        .values("pk", "number", "year", "published_at")
        .annotate(title=KT("content__title"))
    )
    return render(request, "campaigns/ranking_list.html", {"editions": editions})


def ranking(request, pk):
    edition = published_or_404(RankingEdition, pk)
    errata = errata_of(edition)

    def context():
        return {"edition": edition, "content": edition.content, "errata": errata}

    return cached_page(
        request, "campaigns/ranking.html", context, [edition.pk, edition.content_sha256, errata_key(errata)]
    )


def ranking_category(request, pk, category_id):
    edition = published_or_404(RankingEdition, pk, with_content=True)  # to know the category
    category = sharing.find_category(edition.content, category_id)
    if category is None:
        raise Http404("这一届排行榜没有这个类别")
    errata = errata_of(edition)

    def context():
        lines = sharing.share_lines(edition.content, category)
        pages = range(1, len(images.paginate(lines)) + 1)
        return {
            "edition": edition,
            "content": edition.content,
            "category": category,
            "errata": errata,
            "share_pages": pages,
        }

    parts = [edition.pk, edition.content_sha256, category_id, errata_key(errata)]
    return cached_page(request, "campaigns/ranking_category.html", context, parts)


def ranking_csv(request, pk):
    return stored_file(request, published_or_404(RankingEdition, pk), "csv")


def ranking_json(request, pk):
    return stored_file(request, published_or_404(RankingEdition, pk), "json")


def ranking_png(request, pk, category_id, page):
    return stored_file(request, published_or_404(RankingEdition, pk), f"png:{category_id}:{page}")


@images.card("ranking")
def ranking_card(pk):
    edition = RankingEdition.objects.filter(pk=pk, status=RankingEdition.Status.PUBLISHED).first()
    if edition is None:
        return None
    content = edition.content
    names = "、".join(c["name"] for c in content["categories"])
    return images.Card(
        content["title"],
        [f"{content['year']}年度", names],
        reverse("campaigns:ranking", args=[pk]),
        version=edition.content_sha256,
    )


@images.card("ranking_category")
def ranking_category_card(pk):
    category = (
        RankingCategory.objects.filter(pk=pk, edition__status=RankingEdition.Status.PUBLISHED)
        .select_related("edition")
        .first()
    )
    frozen = category and sharing.find_category(category.edition.content, category.pk)
    if not frozen:
        return None
    edition = category.edition
    top = [sharing.entry_label(e) for e in frozen["entries"][:3]]
    return images.Card(
        f"{edition.content['title']} · {frozen['name']}",
        top,
        reverse("campaigns:ranking_category", args=[edition.pk, category.pk]),
        version=edition.content_sha256,
    )


@images.card("rankings")
def ranking_list_card(pk):
    return images.Card(
        "慈善排行榜", ["每年一届，表彰为慈善事业作出贡献的单位和个人"], reverse("campaigns:ranking_list")
    )
