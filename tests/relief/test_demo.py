"""The relief demo: the 2019 report's projects, spending, 65 beneficiaries, disclosures, an erratum."""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import transaction

from relief.idnumbers import id_number_error
from relief.models import Beneficiary, Disbursement, Disclosure, DisclosureErratum, ReliefProject


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("loaddemo", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


pytestmark = pytest.mark.django_db


def test_projects_follow_the_2019_report(demo):
    projects = {p.name: p for p in ReliefProject.objects.with_money()}
    assert {"慈善光明行", "慈康项目", "春风行动", "慈惠民生保险", "贫困灾民住房保障"} <= set(projects)
    assert projects["慈善光明行"].partner_list == ["爱尔眼科"]
    # The projects also ran in 2018 and 2019 (campaigns/demo/early_years.py): 2023 alone here.
    in_2023 = {r["project__name"]: r for r in Disbursement.objects.for_year(2023).totals_by_project()}
    assert in_2023["慈善光明行"]["people"] == 500
    assert (in_2023["慈康项目"]["people"], in_2023["慈康项目"]["total"]) == (967, Decimal("1332600.00"))
    assert (in_2023["春风行动"]["people"], in_2023["春风行动"]["total"]) == (60, Decimal("230000.00"))
    assert in_2023["慈惠民生保险"]["total"] == Decimal("6000000.00")
    assert all(in_2023[name]["total"] <= projects[name].limit for name in in_2023)
    # Projects over several years have a budget per year (relief.ProjectYear): their spending of
    # 2018, 2019 and their own year stays within the sum, with no over-budget reason needed.
    across = [p for p in projects.values() if p.years.count() > 1]
    named = {"慈善光明行", "慈康项目", "春风行动", "慈惠民生保险", "贫困灾民住房保障"}
    assert named <= {p.name for p in across}
    assert all(p.spent <= p.limit for p in across)
    assert not Disbursement.objects.filter(paid_on__year__lt=2023).exclude(over_limit_reason="").exists()


def test_beneficiaries_disclosures_and_an_erratum(demo):
    people = list(Beneficiary.objects.all())
    assert len(people) >= 50
    assert all(id_number_error(p.id_number) is None for p in people)
    assert Disclosure.objects.filter(status=Disclosure.Status.PUBLISHED).count() == 6
    assert DisclosureErratum.objects.count() == 1
    assert Disbursement.objects.for_year(2023).totals_by_category()[0]["category"] == "medical"


def test_a_second_run_adds_nothing(demo):
    before = (Beneficiary.objects.count(), Disbursement.objects.count(), Disclosure.objects.count())
    call_command("loaddemo", stdout=io.StringIO())
    assert (Beneficiary.objects.count(), Disbursement.objects.count(), Disclosure.objects.count()) == before
