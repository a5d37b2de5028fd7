"""What an admin action that changes the ledger does about published documents (issue #19).

Before: the confirmation lists the published documents the action would contradict, found by
running it in a transaction that is rolled back (publications.contradicted_by). After: a draft
更正说明 is prepared for each document it did contradict, and the user is told where they are.
"""

from django.contrib import messages
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html

from . import publications

CONFIRM_FIELD = "confirm_contradictions"


def confirmed(request):
    """The user has seen the list of contradicted publications and confirmed the action."""
    return request.POST.get(CONFIRM_FIELD) == "yes"


def would_contradict(action, refusals=()):
    """[Drift] the action would cause; [] when it is refused (the real run reports why)."""
    try:
        return publications.contradicted_by(action)
    except tuple(refusals):
        return []


def do_and_prepare_corrections(request, modeladmin, action, *, cause):
    """Run `action` for real, then draft 更正说明 for what it contradicted, and say so."""
    contradicted = publications.contradicted_by(action, dry_run=False)
    drafts = publications.prepare_corrections(contradicted, request.user, cause=cause)
    if drafts:
        try:
            url = reverse("admin:campaigns_correctiondraft_changelist") + "?status__exact=draft"
        except NoReverseMatch:  # the publication layer is not installed
            url = ""
        modeladmin.message_user(
            request,
            format_html(
                "此操作与 {} 份已公布文件不一致，已准备更正说明草稿：<a href='{}'>填写原因并发布</a>",
                len(drafts),
                url,
            ),
            messages.WARNING,
        )
    return drafts
