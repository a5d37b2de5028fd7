"""查询我的捐款: exact look-ups, limited per address, answered in the same time whether found or not.

What each question may reveal, and to whom: docs/lookup-privacy.md.
"""

import time

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from charity.http import client_address

from .. import lookup
from ..forms import LookupForm


def over_limit(request):
    """Count this look-up against the address; True once it has used up its window's allowance."""
    key = f"lookup-count:{client_address(request)}"
    cache.add(key, 0, settings.LOOKUP_RATE_WINDOW)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, settings.LOOKUP_RATE_WINDOW)
        count = 1
    return count > settings.LOOKUP_RATE_LIMIT


@never_cache
def gift_lookup(request):
    started = time.monotonic()
    form = LookupForm(request.POST or None)
    context = {"form": form, "searched": False}
    status = 200
    if request.method == "POST":
        if over_limit(request):
            context["limited"] = True
            status = 429
        elif form.is_valid():
            data = form.cleaned_data
            if data["receipt_no"]:
                found = lookup.by_receipt(data["receipt_no"], data["name"], data["amount"])
            else:
                found = lookup.by_name_and_amount(data["name"], data["amount"], data["unit"])
            context.update(searched=True, found=found)
        else:
            status = 400  # the form's Chinese message says what to correct
        # A hit and a miss take the same time, so the answer time tells nothing either. No
        # sleep(0) when the time is up: it gives up the core, 2 ms on a busy machine.
        remaining = settings.LOOKUP_ANSWER_SECONDS - (time.monotonic() - started)
        if remaining > 0:
            time.sleep(remaining)
    return render(request, "campaigns/lookup.html", context, status=status)
