"""信息公开 for the public: who the federation is (organisation) and what it published (documents)."""

from django.shortcuts import render

from donations.models import Branch

from . import documents
from .models import NamedFund, OrganisationBody


def organisation(request):
    context = {
        "charter": documents.latest_charter(),
        "bodies": OrganisationBody.objects.prefetch_related("members"),
        # The branches themselves (not a sector's sub-groups), as the rules ask for 分支机构.
        "branches": Branch.objects.filter(active=True, parent=None).select_related("sector"),
        "funds": NamedFund.objects.all(),
    }
    return render(request, "relief/organisation.html", context)


def document_list(request):
    return render(request, "relief/documents.html", {"groups": documents.public_documents()})
