import os
import stat
import time

import pytest

from donations import pending_imports


@pytest.fixture
def folder(settings, tmp_path):
    settings.IMPORT_PENDING_DIR = tmp_path / "pending"
    settings.IMPORT_PENDING_MAX_AGE = 3600
    return settings.IMPORT_PENDING_DIR


@pytest.mark.django_db
def test_uploads_wait_in_a_private_folder(folder, campaign):
    pending = pending_imports.stash(
        data=b"PK\x03\x04 spreadsheet",
        file_name="名单.xlsx",
        campaign=campaign,
        allow_outside_dates=False,
        force=False,
    )
    path = folder / pending.file_storage
    assert path.read_bytes() == b"PK\x03\x04 spreadsheet"
    assert pending.read_file() == b"PK\x03\x04 spreadsheet"
    assert stat.S_IMODE(os.stat(folder).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


@pytest.mark.django_db
def test_abandoned_previews_are_purged_after_max_age(folder, campaign):
    def stash():
        return pending_imports.stash(
            data=b"x", file_name="a.csv", campaign=campaign, allow_outside_dates=False, force=False
        )

    old = folder / stash().file_storage
    two_hours_ago = time.time() - 7200
    os.utime(old, (two_hours_ago, two_hours_ago))
    fresh = folder / stash().file_storage  # stashing purges what is older than the limit
    assert not old.exists()
    assert fresh.exists()
