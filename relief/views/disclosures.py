from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from ..models import Disclosure


def published(pk):
    """A disclosure the public may see: published ones only; a draft is a 404."""
    return get_object_or_404(
        Disclosure.objects.filter(status=Disclosure.Status.PUBLISHED).select_related("project"), pk=pk
    )


def disclosure_list(request):
    disclosures = (
        Disclosure.objects.filter(status=Disclosure.Status.PUBLISHED)
        .select_related("project")
        .order_by("-objection_start", "-id")
    )
    return render(
        request, "relief/disclosure_list.html", {"disclosures": disclosures, "today": timezone.localdate()}
    )


def disclosure(request, pk):
    disclosure = published(pk)
    context = {
        "disclosure": disclosure,
        "content": disclosure.content,
        "errata": disclosure.errata.all(),
        "status": disclosure.objection_status(),
        "open": disclosure.in_objection_period(),
    }
    return render(request, "relief/disclosure.html", context)
