from django.shortcuts import render

from campaigns.models import Campaign


def home(request):
    campaigns = Campaign.objects.with_totals().order_by("-year", "-start_date")[:6]
    return render(request, "home.html", {"campaigns": campaigns})
