"""Bring recorded gifts in line with the one attribution rule (donations/attribution.py).

Before the rule, the admin and the importer disagreed in two ways, and this fixes exactly those:

- a person giving on their own, entered in the admin, had no sector; the importer gave 个人.
  Gifts entered by hand (no import batch) without a sector now get what the rule gives: the
  donor's sector, their unit's, or 个人. Imported gifts without a sector were left so on purpose
  (未分配 in the file) and keep it.
- an imported unit without a 分会 cell got no branch; the admin gave the donor's. Every gift with
  a sector and no branch now gets the donor's branch, or for a person their unit's, when that
  branch belongs to the gift's sector.

Set-based: one UPDATE per step, whatever the number of rows.
"""

from django.db import migrations, models
from django.db.models import Case, F, OuterRef, Subquery, Value, When
from django.db.models.functions import Coalesce

PERSONAL = "个人"


def apply_rule(apps, schema_editor):
    Donation = apps.get_model("donations", "Donation")
    Donor = apps.get_model("donations", "Donor")
    Sector = apps.get_model("donations", "Sector")
    personal = Sector.objects.filter(name=PERSONAL).values_list("id", flat=True).first()
    integer = models.IntegerField()

    # An UPDATE cannot join, so each value the rule needs is a subquery on the donor.
    donor = Donor.objects.filter(pk=OuterRef("donor_id"))
    counted_sector = donor.annotate(
        counted=Coalesce(
            F("sector_id"),
            Case(
                When(kind="individual", employer__isnull=False, then=F("employer__sector_id")),
                When(kind="individual", then=Value(personal)),
                default=Value(None),
                output_field=integer,
            ),
            output_field=integer,
        )
    ).values("counted")[:1]
    Donation.objects.filter(batch__isnull=True, sector__isnull=True).update(sector_id=Subquery(counted_sector))

    own_branch = donor.filter(branch__sector_id=OuterRef("sector_id")).values("branch_id")[:1]
    unit_branch = donor.filter(kind="individual", employer__branch__sector_id=OuterRef("sector_id")).values(
        "employer__branch_id"
    )[:1]
    Donation.objects.filter(sector__isnull=False, branch__isnull=True).update(
        branch_id=Coalesce(Subquery(own_branch), Subquery(unit_branch), output_field=integer)
    )


class Migration(migrations.Migration):
    dependencies = [("donations", "0005_fewer_indexes_for_import_speed")]

    operations = [migrations.RunPython(apply_rule, migrations.RunPython.noop)]
