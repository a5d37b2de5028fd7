"""Public pages of campaigns, sectors, honor rolls (光荣榜), rankings (慈善排行榜) and the gift look-up."""

from django.urls import path

from .views import lookup, public

app_name = "campaigns"

urlpatterns = [
    path("campaigns/", public.campaign_list, name="campaign_list"),
    path("campaigns/<int:pk>/", public.campaign_detail, name="campaign"),
    path("campaigns/<int:pk>/sectors/<int:sector_id>/", public.sector_detail, name="sector"),
    path("lookup/", lookup.gift_lookup, name="lookup"),
]
