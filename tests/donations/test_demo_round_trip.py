"""The issue's own acceptance check: the demo data's export imports back with identical totals."""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

from campaigns.models import Campaign
from donations.importing import import_file
from donations.models import Donation, RemittanceLine

pytestmark = pytest.mark.django_db


def snapshot(campaign):
    donations = Donation.objects.for_campaign(campaign)
    by_sector = {row["sector__name"]: row["total"] for row in donations.totals_by_sector()}
    lines = sorted(
        RemittanceLine.objects.filter(remittance__campaign=campaign).values_list(
            "remittance__receipt_no", "donor__name", "amount", "anonymous"
        )
    )
    return by_sector, lines, donations.summary(), donations.filter(anonymous=True).count()


@pytest.mark.parametrize("file_format", ["xlsx", "csv"])
def test_demo_2023_export_imports_back_into_the_emptied_campaign(client, django_user_model, file_format):
    call_command("loaddemo", stdout=io.StringIO())
    admin_user = django_user_model.objects.get(username="admin")  # the demo's own account
    demo = Campaign.objects.get(name="2023年慈善一日捐")
    before = snapshot(demo)
    assert before[2]["total"] == Decimal("18107035.00")

    client.force_login(admin_user)
    url = reverse("admin:donations_donation_export", args=[file_format])
    response = client.get(url, {"campaign__id__exact": demo.pk})
    assert response.status_code == 200
    exported = b"".join(response.streaming_content) if response.streaming else response.content
    if file_format == "csv":  # a CSV has one sheet: the staff lines come as a second file
        response = client.get(
            reverse("admin:donations_donation_export", args=["lines-csv"]), {"campaign__id__exact": demo.pk}
        )
        lines = b"".join(response.streaming_content) if response.streaming else response.content

    # Back into the campaign it came from: every row's 活动 names it (another campaign would
    # refuse the file, see test_export_campaign_column).
    RemittanceLine.objects.filter(remittance__campaign=demo).delete()
    Donation.objects.filter(campaign=demo).delete()
    assert snapshot(demo)[2]["total"] == Decimal("0.00")
    batch = import_file(io.BytesIO(exported), file_name=f"demo.{file_format}", campaign=demo, user=admin_user)
    if file_format == "csv":
        import_file(io.BytesIO(lines), file_name="demo-lines.csv", campaign=demo, user=admin_user)

    assert snapshot(demo) == before
    assert batch.total_amount == Decimal("18107035.00")
    assert batch.new_donor_count == 0  # every donor matched, none duplicated
