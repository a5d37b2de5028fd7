"""Migration 0006 brings rows recorded under the old, disagreeing paths in line with the rule."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("donations", "0005_fewer_indexes_for_import_speed"), ("campaigns", "0001_initial")]
AFTER = [("donations", "0006_apply_attribution_rule")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def back_to_latest():
    """Leave the schema as every other test expects it, whatever migrations come after 0006."""
    yield
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_rows_recorded_before_the_rule_are_counted_by_it(report_sectors, back_to_latest):
    apps = migrate(BEFORE)
    Sector = apps.get_model("donations", "Sector")
    Branch = apps.get_model("donations", "Branch")
    Donor = apps.get_model("donations", "Donor")
    Donation = apps.get_model("donations", "Donation")
    Batch = apps.get_model("donations", "ImportBatch")
    Campaign = apps.get_model("campaigns", "Campaign")
    day = datetime.date(2023, 9, 1)
    campaign = Campaign.objects.create(name="2023年", year=2023, start_date=day, end_date=day)
    batch = Batch.objects.create(campaign=campaign, file_name="a.xlsx", sha256="0" * 64)
    state = Sector.objects.get(name="国资系统")
    branch = Branch.objects.create(name="一支部", sector=state)
    unit = Donor.objects.create(kind="unit", name="国资委", sector=state, branch=branch)
    pending = Donor.objects.create(kind="unit", name="未定单位")
    alone = Donor.objects.create(kind="individual", name="李四")
    staff = Donor.objects.create(kind="individual", name="王五", employer=unit)

    def gift(donor, sector=None, batch_=None):
        return Donation.objects.create(
            donor=donor, campaign=campaign, sector=sector, amount=1, received_on=day, batch=batch_
        ).pk

    by_hand_alone = gift(alone)  # the admin gave no sector; the rule gives 个人
    by_hand_staff = gift(staff)  # the admin gave no sector; the rule gives the unit's
    imported_unit = gift(unit, state, batch)  # the importer gave no branch; the rule gives the donor's
    unassigned_on_purpose = gift(unit, None, batch)  # 未分配 in a file: stays unassigned
    pending_unit = gift(pending)  # nothing to count it in yet

    apps = migrate(AFTER)
    Donation = apps.get_model("donations", "Donation")

    def counted(pk):
        row = Donation.objects.select_related("sector", "branch").get(pk=pk)
        return (row.sector.name if row.sector_id else None, row.branch.name if row.branch_id else None)

    assert counted(by_hand_alone) == ("个人", None)
    assert counted(by_hand_staff) == ("国资系统", "一支部")
    assert counted(imported_unit) == ("国资系统", "一支部")
    assert counted(unassigned_on_purpose) == (None, None)
    assert counted(pending_unit) == (None, None)
