"""Public pages of campaigns, sectors, honor rolls (光荣榜), rankings (慈善排行榜) and the gift look-up."""

from django.urls import path

from .annual_report import views as year_report
from .views import cards, honor_rolls, lookup, public, rankings, summary

app_name = "campaigns"

urlpatterns = [
    path("campaigns/", public.campaign_list, name="campaign_list"),
    path("campaigns/<int:pk>/", public.campaign_detail, name="campaign"),
    path("campaigns/<int:pk>/sectors/<int:sector_id>/", public.sector_detail, name="sector"),
    path("lookup/", lookup.gift_lookup, name="lookup"),
    path("honor-rolls/", public.current_honor_rolls, name="current_honor_rolls"),
    path("campaigns/<int:campaign_id>/honor-rolls/", honor_rolls.honor_roll_list, name="honor_roll_list"),
    path("honor-rolls/<int:pk>/", honor_rolls.honor_roll, name="honor_roll"),
    path("honor-rolls/<int:pk>/print/", honor_rolls.honor_roll_print, name="honor_roll_print"),
    path("honor-rolls/<int:pk>/pdf/", honor_rolls.honor_roll_pdf, name="honor_roll_pdf"),
    path("honor-rolls/<int:pk>.csv", honor_rolls.honor_roll_csv, name="honor_roll_csv"),
    path("honor-rolls/<int:pk>.json", honor_rolls.honor_roll_json, name="honor_roll_json"),
    path("honor-rolls/<int:pk>/share-<int:page>.png", honor_rolls.honor_roll_png, name="honor_roll_png"),
    path("rankings/", rankings.ranking_list, name="ranking_list"),
    path("rankings/<int:pk>/", rankings.ranking, name="ranking"),
    path("rankings/<int:pk>.csv", rankings.ranking_csv, name="ranking_csv"),
    path("rankings/<int:pk>.json", rankings.ranking_json, name="ranking_json"),
    path("rankings/<int:pk>/<int:category_id>/", rankings.ranking_category, name="ranking_category"),
    path(
        "rankings/<int:pk>/<int:category_id>/share-<int:page>.png",
        rankings.ranking_png,
        name="ranking_png",
    ),
    # og:image cards: /cards/home.png, /cards/honor_roll/12.png (kinds: charity.images.card).
    path("cards/<slug:kind>.png", cards.card, name="card"),
    path("cards/<slug:kind>/<int:pk>.png", cards.card, name="card"),
    path("summary/<int:year>/", summary.annual_summary, name="annual_summary"),
    path("summary/<int:year>/v<int:version>/", summary.annual_summary_version, name="annual_summary_version"),
    path("summary/verify/<str:code>/", summary.summary_verify, name="summary_verify"),
    # 年度工作报告 (campaigns/annual_report/): the released files as stored, and their verification.
    # (The versions first: "v2" would also match <slug:fmt>.)
    path("report/<int:year>/v<int:version>/", year_report.year_report_version, name="year_report_version"),
    path(
        "report/<int:year>/v<int:version>/<slug:fmt>/",
        year_report.year_report_version,
        name="year_report_version_file",
    ),
    path("report/<int:year>/", year_report.year_report, name="year_report"),
    path("report/<int:year>/<slug:fmt>/", year_report.year_report, name="year_report_file"),
    path("report/verify/<str:code>/", year_report.year_report_verify, name="year_report_verify"),
]
