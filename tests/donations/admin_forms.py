"""What a browser posts for the donation admin's form (add page, or change page as opened)."""

from charity.admin_concurrency import row_version
from donations.models import Donation


def donation_form(gift, **changes):
    """The change form of `gift` as its page shows it now, with `changes`; a gift not saved yet
    (no pk) gives the add form's fields."""
    data = {
        "campaign": gift.campaign_id,
        "donor": gift.donor_id,
        "amount": str(gift.amount),
        "received_on": gift.received_on.isoformat(),
        "channel": gift.channel,
        "route": gift.route,
        "receipt_no": gift.receipt_no,
        "sector": gift.sector_id or "",
        "branch": gift.branch_id or "",
        "head_count": gift.head_count or "",
        "project": "",
        "note": gift.note,
        "lines-TOTAL_FORMS": "0",
        "lines-INITIAL_FORMS": "0",
    }
    if gift.pk is not None:
        data["row_version"] = row_version(Donation, gift.pk)  # as the page carries it
    return {**data, **changes}
