import pytest

from tests import factories
from tests.browser.conftest import screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def test_home_page_on_a_phone(live_server, phone):
    campaign = factories.campaign()
    factories.donation(campaign_=campaign, amount="18107035.00")
    phone.goto(live_server.url + "/")
    assert phone.locator("h1").inner_text() == "募捐活动"
    assert campaign.name in phone.locator("table").inner_text()
    assert "1810.7035" in phone.locator("table").inner_text()
    # Nothing wider than the phone's screen: no sideways scrolling.
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    # The page uses a font that has Chinese glyphs (not boxes).
    assert phone.evaluate("document.fonts.check('16px \"Noto Sans CJK SC\"')")
    screenshot(phone, "home-phone")
