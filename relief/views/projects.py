from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render

from donations.models import Donation

from ..models import Disbursement, Disclosure, ProjectPhoto, ReliefProject


def project_list(request):
    projects = ReliefProject.objects.with_money().order_by("-year", "name")
    return render(request, "relief/project_list.html", {"projects": projects})


def project(request, pk):
    """Where a directed gift went: the project's money and every disbursement, no person named."""
    project = get_object_or_404(ReliefProject.objects.with_money(), pk=pk)
    disbursements = Disbursement.objects.for_project(project).order_by("-paid_on", "-id")
    context = {
        "project": project,
        "disbursements": disbursements,
        "directed_gifts": Donation.objects.public().filter(project=project).standing().count(),
        "disclosures": project.disclosures.filter(status=Disclosure.Status.PUBLISHED).order_by(
            "-objection_start"
        ),
        "photos": project.photos.all(),
    }
    return render(request, "relief/project.html", context)


def photo(request, pk, size):
    """A project photo as stored: re-encoded, without EXIF (relief/photos.py)."""
    if size not in ("large", "small"):
        raise Http404
    photo = get_object_or_404(ProjectPhoto, pk=pk)
    response = FileResponse(getattr(photo, size).open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "public, max-age=86400"
    return response
