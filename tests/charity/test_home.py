import pytest
from django.urls import reverse

from tests import factories


@pytest.mark.django_db
def test_home_lists_campaign_totals(client, reviewed_gifts, campaign):
    factories.donation(campaign_=campaign, amount="18107035.00")
    body = client.get(reverse("home")).content.decode()
    assert campaign.name in body
    assert "1810.7035" in body
