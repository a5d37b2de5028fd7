from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.cache import cache_control, never_cache

from campaigns.models import AnnualSummaryRelease, HonorRollIssue
from campaigns.selectors import campaign_figures, current_campaign, same_day_last_year, under_review
from campaigns.views.public import sector_chart
from charity import images
from charity.money import count, wan, yuan


def home(request):
    campaign = current_campaign()
    context = {
        "campaign": campaign,
        "released_summary_year": AnnualSummaryRelease.objects.order_by("-year")
        .values_list("year", flat=True)
        .first(),
    }
    if campaign is not None:
        figures = campaign_figures(campaign)
        context.update(
            figures=figures,
            under_review=under_review(campaign),
            same_day=same_day_last_year(campaign),
            chart=sector_chart(campaign, figures),
            # Without its content: a frozen issue is megabytes of JSON the home page does not show.
            latest_issue=HonorRollIssue.objects.filter(status=HonorRollIssue.Status.PUBLISHED)
            .select_related("campaign")
            .defer("content")
            .order_by("-published_at", "-pk")
            .first(),
        )
    return render(request, "home.html", context)


@images.card("home")
def home_card(pk):
    campaign = current_campaign()
    if campaign is None:
        return images.Card("市慈善总会", ["慈善一日捐、光荣榜与善款去向"], reverse("home"))
    figures = campaign_figures(campaign)
    return images.Card(
        campaign.name,
        [
            f"已募集 {wan(figures.total)} 万元",
            f"即 {yuan(figures.total)} 元",
            f"{count(figures.units)} 家单位、{count(figures.head_count)} 人参与",
        ],
        reverse("home"),
    )


@cache_control(max_age=86400, public=True)
def robots_txt(request):
    # The look-up answers only exact questions; crawlers have no business asking any.
    lines = ["User-agent: *", f"Disallow: /{settings.ADMIN_URL}", "Disallow: /lookup/", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


def favicon(request):
    # Resolved per request: with the manifest storage of production, static() needs collectstatic,
    # which has not run when the URLconf is first imported (manage.py check, migrate).
    return HttpResponsePermanentRedirect(static("charity/favicon.svg"))


@never_cache
def healthz(request):
    """For load balancers and monitoring: 200 when the database and the cache answer, else 503."""
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        checks["database"] = "ok"
    except Exception as exc:  # any failure is the answer, not an error page
        checks["database"] = f"error: {type(exc).__name__}"
    try:
        cache.set("healthz", "ok", 10)
        checks["cache"] = "ok" if cache.get("healthz") == "ok" else "error: value not kept"
    except Exception as exc:
        checks["cache"] = f"error: {type(exc).__name__}"
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse({"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503)
