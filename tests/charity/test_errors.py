"""Every refusal meant for the user shares one base class, with its Chinese message."""

import pytest

from campaigns.services import SummaryError
from charity.backup import ArchiveError
from charity.errors import UserError
from charity.jobs import JobFailed
from charity.snapshots import SnapshotError
from donations.importing.errors import FileRejected
from donations.review import ReviewError
from donations.services import BatchStateError
from relief.photos import PhotoError


@pytest.mark.parametrize(
    "error_class",
    [ArchiveError, SnapshotError, SummaryError, ReviewError, BatchStateError, FileRejected, PhotoError],
)
def test_domain_errors_are_user_errors_with_their_message(error_class):
    error = error_class("这一期光荣榜已发布，不能再修改")
    assert isinstance(error, UserError)
    assert error.message == "这一期光荣榜已发布，不能再修改"
    assert str(error) == "这一期光荣榜已发布，不能再修改"


def test_a_failed_job_is_a_user_error_with_its_rows():
    error = JobFailed("导入失败", rows=[(3, "金额", "金额必须大于0")])
    assert isinstance(error, UserError)
    assert error.message == "导入失败"
    assert error.rows == [[3, "金额", "金额必须大于0"]]
