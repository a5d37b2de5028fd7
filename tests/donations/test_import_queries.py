import pytest

from donations.importing.queries import filter_in
from donations.models import Donor


@pytest.mark.django_db
@pytest.mark.parametrize(
    "names", [["甲单位", "乙单位"], ["甲单位", "有\x1f分隔符"], ["甲单位", ""], ["有\x1f分隔符"]]
)
def test_filter_in_finds_exactly_the_named_rows(names):
    # bulk_create skips save()'s normalising, which would turn the separator into a space.
    Donor.objects.bulk_create(
        Donor(kind=Donor.Kind.UNIT, name=n) for n in ["甲单位", "乙单位", "丙单位", "有\x1f分隔符"]
    )
    found = {
        name
        for query in filter_in(Donor.objects.all(), "name", names)
        for name in query.values_list("name", flat=True)
    }
    assert found == {n for n in names if n}
