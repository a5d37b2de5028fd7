"""og:image cards of the relief pages (charity.images): money and titles only, never a person."""

from django.urls import reverse

from charity import images
from charity.money import count, wan, yuan

from ..models import Disbursement, Disclosure, ReliefProject


@images.card("relief_projects")
def project_list_card(pk):
    return images.Card(
        "救助项目", ["每一笔善款用在了哪里", "预算、定向捐赠、支出与受助人数"], reverse("relief:project_list")
    )


@images.card("relief_project")
def project_card(pk):
    project = ReliefProject.objects.with_money().filter(pk=pk).first()
    if project is None:
        return None
    return images.Card(
        project.name,
        [
            f"已支出 {wan(project.spent)} 万元",
            f"即 {yuan(project.spent)} 元",
            f"定向捐赠 {wan(project.directed)} 万元",
            f"即 {yuan(project.directed)} 元",
        ],
        reverse("relief:project", args=[pk]),
    )


@images.card("disclosures")
def disclosure_list_card(pk):
    return images.Card(
        "公示", ["受助名单与项目执行情况公示", "公示期内可提出异议"], reverse("relief:disclosure_list")
    )


@images.card("disclosure")
def disclosure_card(pk):
    disclosure = Disclosure.objects.filter(pk=pk, status=Disclosure.Status.PUBLISHED).first()
    if disclosure is None:
        return None
    return images.Card(
        disclosure.title,
        [f"公示期 {disclosure.objection_start:%Y-%m-%d} 至 {disclosure.objection_end:%Y-%m-%d}"],
        reverse("relief:disclosure", args=[pk]),
        version=disclosure.content_sha256,
    )


@images.card("relief_year")
def year_card(pk):
    spent = Disbursement.objects.for_year(pk)
    return images.Card(
        f"{pk}年收支情况",
        [
            f"救助支出 {wan(spent.total())} 万元",
            f"即 {yuan(spent.total())} 元",
            f"受助 {count(spent.people_helped())} 人次",
        ],
        reverse("relief:year", args=[pk]),
    )
