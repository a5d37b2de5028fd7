"""An uploaded file between its preview and its confirmation.

The file and the check's result are kept in django-import-export's temporary storage
(IMPORT_EXPORT_TMP_STORAGE_CLASS; a temporary folder by default). The session holds only the
storage names under a random token, so a request can never name a file of its own choosing
and one clerk's upload is invisible to another.
"""

import json
import os
import tempfile
import time
import uuid
from dataclasses import asdict, dataclass, fields

from django.conf import settings
from django.utils.module_loading import import_string
from import_export.tmp_storages import TempFolderStorage

SESSION_KEY = "donation_imports"


def pending_folder():
    folder = settings.IMPORT_PENDING_DIR
    os.makedirs(folder, mode=0o700, exist_ok=True)
    return folder


class PendingFolderStorage(TempFolderStorage):
    """Uploaded files waiting for confirmation, in a private folder of the portal's data.

    The files list donors by name, so they live beside the database (mode 0600 in a 0700
    folder) rather than in the shared system temp folder, and a preview nobody confirmed or
    cancelled is purged after IMPORT_PENDING_MAX_AGE seconds (see purge_stale).
    """

    def save(self, data):
        with self._open(mode="wb" if isinstance(data, bytes) else "w") as file:
            file.write(data)

    def get_full_path(self):
        # Names come from our own session data, never from a request; basename() all the same.
        return os.path.join(pending_folder(), os.path.basename(self.name))

    def _open(self, mode="r"):
        if not self.name:
            descriptor, path = tempfile.mkstemp(dir=pending_folder(), prefix="import-")
            os.close(descriptor)
            self.name = os.path.basename(path)
        return open(self.get_full_path(), mode, encoding=self.encoding)


def purge_stale(now=None):
    """Remove pending files older than IMPORT_PENDING_MAX_AGE; returns how many were removed."""
    if not issubclass(_storage_class(), PendingFolderStorage):
        return 0
    cutoff = (now or time.time()) - settings.IMPORT_PENDING_MAX_AGE
    removed = 0
    with os.scandir(pending_folder()) as entries:
        for entry in entries:
            if entry.is_file() and entry.stat().st_mtime < cutoff:
                os.remove(entry.path)
                removed += 1
    return removed


def _storage_class():
    storage_class = getattr(settings, "IMPORT_EXPORT_TMP_STORAGE_CLASS", TempFolderStorage)
    return import_string(storage_class) if isinstance(storage_class, str) else storage_class


def _storage(name=None):
    return _storage_class()(name=name, read_mode="rb")


@dataclass
class PendingImport:
    token: str
    file_name: str
    campaign_id: int
    allow_outside_dates: bool
    force: bool
    file_storage: str
    plan_storage: str = ""
    separate_staff_gifts: bool = False
    outside_dates_reason: str = ""

    def read_file(self):
        return _storage(self.file_storage).read()

    def read_plan(self):
        """The stored check result, or None when the temporary storage no longer has it."""
        try:
            data = _storage(self.plan_storage).read()
        except FileNotFoundError:
            return None
        return json.loads(data) if data else None  # the cache storage answers None once expired

    def save_plan(self, plan_data):
        if self.plan_storage:
            _storage(self.plan_storage).remove()
        storage = _storage()
        storage.save(json.dumps(plan_data, ensure_ascii=False).encode())
        self.plan_storage = storage.name


PENDING_FIELDS = {field.name for field in fields(PendingImport)}


def stash(
    *,
    data,
    file_name,
    campaign,
    allow_outside_dates,
    force,
    separate_staff_gifts=False,
    outside_dates_reason="",
):
    """Keep an uploaded file for this session; returns its PendingImport (not yet saved)."""
    purge_stale()
    storage = _storage()
    storage.save(data)
    return PendingImport(
        token=uuid.uuid4().hex,
        file_name=file_name,
        campaign_id=campaign.pk,
        allow_outside_dates=allow_outside_dates,
        force=force,
        file_storage=storage.name,
        separate_staff_gifts=separate_staff_gifts,
        outside_dates_reason=outside_dates_reason,
    )


def remember(request, pending):
    imports = request.session.get(SESSION_KEY, {})
    imports[pending.token] = asdict(pending)
    request.session[SESSION_KEY] = imports


def load(request, token):
    """The pending import with this token in this session, or None (expired, done, or not ours)."""
    data = request.session.get(SESSION_KEY, {}).get(token)
    if not data:
        return None
    # Keys of an older version of PendingImport (a session from before an upgrade) are dropped.
    return PendingImport(**{name: value for name, value in data.items() if name in PENDING_FIELDS})


def discard(request, pending):
    remove_files(pending)
    forget(request, pending)


def forget(request, pending):
    """Take the import out of the session; its files stay (a confirmed import's job reads them)."""
    imports = request.session.get(SESSION_KEY, {})
    imports.pop(pending.token, None)
    request.session[SESSION_KEY] = imports


def remove_files(pending):
    for name in (pending.file_storage, pending.plan_storage):
        if name:
            try:
                _storage(name).remove()
            except FileNotFoundError:
                pass
