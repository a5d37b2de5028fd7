"""The whole dataset as one portable archive, and back into an empty database.

For moving the portal to another machine or keeping a copy that does not depend on PostgreSQL's
version (pg_dump remains the everyday backup; see docs/deploy.md). The archive is a .tar.gz with:

- data.jsonl: every row of the project's apps and of users and groups, keys kept (published
  snapshots and audit entries refer to rows by id), foreign keys to content types and
  permissions by natural key, so they match the new database's own;
- media/: uploaded files (project photos);
- manifest.json: row counts per model, the SHA-256 of data.jsonl and the applied migrations, so a
  restore refuses an archive from another schema and proves it loaded everything.

Fields encrypted at rest (beneficiaries' identity numbers) stay encrypted in the archive: it
holds their ciphertext as the database does (charity/sealed.py), so the file alone reveals none,
and a restore needs the same RELIEF_ID_KEY. The manifest carries a token only that key opens,
so a restore with another key (or none) is refused before it writes anything. The archive is
created readable by its owner only (0600), whatever the umask.

Restoring runs in one transaction: all rows or none.
"""

import datetime
import hashlib
import io
import json
import os
import shutil
import tarfile
import tempfile
from collections import Counter
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.db.migrations.recorder import MigrationRecorder

from . import sealed
from .errors import UserError
from .roles import sync_roles

# Rows worth keeping; content types and permissions are recreated by migrate, sessions and
# Django's own admin log are not data of the federation.
APPS = ("auth.user", "auth.group", "charity", "donations", "campaigns", "relief")
EXCLUDE = ("contenttypes", "auth.permission", "sessions", "admin.logentry")
# What `migrate` alone puts in a new database (the report's sectors, the staff role groups): a
# database holding only these is empty, and the archive's own rows replace them.
SEEDED_BY_MIGRATIONS = ("donations.sector", "auth.group")
# Background jobs are working state (the queue, progress, files kept a day), not data to move.
TRANSIENT = ("charity.backgroundjob",)


class ExactEncoder(DjangoJSONEncoder):
    """Times to the microsecond: Django's encoder stops at milliseconds, and a restore must give
    back exactly what was there (audit entries are ordered by their time)."""

    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


class ArchiveError(UserError):
    """The archive cannot be written or restored; the message is for the user."""


def applied_migrations():
    return sorted(f"{app}.{name}" for app, name in MigrationRecorder(connection).applied_migrations())


def archived_models():
    models = []
    for label in APPS:
        if "." in label:
            models.append(apps.get_model(label))
        else:
            models.extend(apps.get_app_config(label).get_models())
    return [m for m in models if not m._meta.proxy and m._meta.label_lower not in TRANSIENT]


def export_archive(path):
    """Write the archive; returns the manifest.

    One consistent snapshot, even while staff keep working: on PostgreSQL every query of the
    export reads inside one REPEATABLE READ transaction, as pg_dump does. Rows are streamed
    2,000 at a time, so memory does not grow with the data.
    """
    with tempfile.TemporaryDirectory() as work:
        data = Path(work) / "data.jsonl"
        counts = Counter()
        with transaction.atomic(), sealed.as_stored(), data.open("w", encoding="utf-8") as stream:
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            for model in serializers.sort_dependencies([(None, archived_models())], allow_cycles=True):
                rows = model._base_manager.order_by("pk")
                counts[model._meta.label_lower] = rows.count()
                serializers.serialize(
                    "jsonl",
                    rows.iterator(chunk_size=2000),
                    stream=stream,
                    use_natural_foreign_keys=True,
                    cls=ExactEncoder,
                )
        manifest = {
            "format": 2,
            "counts": {label: n for label, n in sorted(counts.items()) if n},
            "data_sha256": file_sha256(data),
            "migrations": applied_migrations(),
            "sealed_key_check": {f.model._meta.label_lower: f.key_check() for f in _sealed_fields()},
        }
        with _private_file(path) as target, tarfile.open(fileobj=target, mode="w:gz") as archive:
            archive.add(data, arcname="data.jsonl")
            media = Path(settings.MEDIA_ROOT)
            if media.is_dir():
                archive.add(media, arcname="media")
            blob = json.dumps(manifest, ensure_ascii=False, indent=2).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(blob)
            archive.addfile(info, io.BytesIO(blob))
    return manifest


def _sealed_fields():
    return sealed.sealed_fields(archived_models())


@contextmanager
def _private_file(path):
    """A new file readable by its owner only, created so (os.open with mode 0600): a chmod after
    the fact leaves a moment where the umask's 0644 lets anyone read what is already written.
    Written under a temporary name beside it and renamed at the end, so an existing archive is
    replaced whole (its old mode goes with it) and a failed export leaves no half archive."""
    path = Path(path)
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as stream:
            yield stream
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def file_sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def restore_archive(path):
    """Load an archive into an empty database of the same schema; returns the manifest."""
    not_empty = [
        m._meta.label
        for m in archived_models()
        if m._meta.label_lower not in SEEDED_BY_MIGRATIONS and m._default_manager.exists()
    ]
    if not_empty:
        found = "、".join(not_empty[:5])
        raise ArchiveError(f"数据库不是空的（已有 {found} 等数据）：只能恢复到空数据库")
    with tempfile.TemporaryDirectory() as work, tarfile.open(path, "r:gz") as archive:
        _extract_files(archive, Path(work))
        manifest = json.loads((Path(work) / "manifest.json").read_text(encoding="utf-8"))
        data = Path(work) / "data.jsonl"
        if file_sha256(data) != manifest["data_sha256"]:
            raise ArchiveError("存档中的数据与清单的 SHA-256 不符：文件已损坏或被改动")
        missing = sorted(set(manifest["migrations"]) - set(applied_migrations()))
        if missing:
            names = "、".join(missing[:5])
            raise ArchiveError(f"存档来自更新的数据库结构，请先升级程序并 migrate；缺少迁移：{names}")
        _check_sealed_key(manifest)
        with transaction.atomic(), _stored_times_kept(), sealed.as_stored():
            _clear_seeded_rows()
            loaded = _load_rows(data)
            if dict(sorted(loaded.items())) != manifest["counts"]:
                raise ArchiveError("恢复的行数与清单不符，已全部撤销")
            _reset_sequences()
            # An archive from an older version brings its roles as they were then.
            sync_roles()
        media = Path(work) / "media"
        if media.is_dir():
            target = Path(settings.MEDIA_ROOT)
            for source in media.rglob("*"):
                if source.is_file():
                    destination = target / source.relative_to(media)
                    destination.parent.mkdir(parents=True, exist_ok=True)
                    destination.write_bytes(source.read_bytes())
    return manifest


def _extract_files(archive, work):
    """Write the archive's regular files under `work`, refusing anything else.

    By hand rather than extractall(filter="data"), which Python 3.11.2 (the production
    interpreter) lacks, and without a filter extractall follows the archive's word: absolute
    names, "..", links pointing out of the folder, devices. Only plain files and folders with
    plain relative names are accepted; contents are copied, never the owner or mode.
    """
    for member in archive.getmembers():
        name = PurePosixPath(member.name)
        if name.is_absolute() or not name.parts or ".." in name.parts or "\\" in member.name:
            raise ArchiveError(f"存档中的条目名称不安全（{member.name}），未恢复任何数据")
        if member.isdir():
            continue
        if not member.isfile():
            raise ArchiveError(f"存档中有不允许的条目（{member.name}：链接或设备文件），未恢复任何数据")
        target = work.joinpath(*name.parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        with archive.extractfile(member) as source, target.open("wb") as destination:
            shutil.copyfileobj(source, destination)


def _check_sealed_key(manifest):
    """Refuse before writing anything when encrypted values in the archive would be unreadable."""
    checks = manifest.get("sealed_key_check", {})
    for field in _sealed_fields():
        label = field.model._meta.label_lower
        if manifest["counts"].get(label) and label in checks:
            try:
                field.check_key(checks[label])
            except ValueError as refusal:
                raise ArchiveError(str(refusal)) from None


BATCH = 1000


@contextmanager
def _stored_times_kept():
    """bulk_create fills auto_now / auto_now_add fields with the current time; a restore must
    keep the archived ones (audit entries are ordered by theirs)."""
    fields = [
        f
        for model in archived_models()
        for f in model._meta.concrete_fields
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]
    for f in fields:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


def _load_rows(data):
    """Insert the archive's rows in the order written, a batch of one model at a time.

    Streamed: rows are read, inserted and forgotten, so a decade of donations needs no more memory
    than a batch. bulk_create sends no signals, so nothing is audited or stamped again, and the
    ids are the archived ones. Foreign keys are checked at commit (both databases create them
    deferrable), so a row may point at one further down the file; natural keys (users, content
    types, permissions) are looked up as their rows arrive, after the users themselves.
    """
    loaded, batch, later = Counter(), [], []

    def flush():
        if batch:
            model = type(batch[0].object)
            model._base_manager.bulk_create([item.object for item in batch])
            for item in batch:
                for name, values in (item.m2m_data or {}).items():
                    getattr(item.object, name).set(values)
            loaded[model._meta.label_lower] += len(batch)
            batch.clear()

    with data.open(encoding="utf-8") as rows:
        for item in serializers.deserialize("jsonl", rows, handle_forward_references=True):
            if batch and (type(item.object) is not type(batch[0].object) or len(batch) >= BATCH):
                flush()
            batch.append(item)
            if item.deferred_fields:
                later.append(item)
        flush()
    for item in later:
        item.save_deferred_fields()
    return loaded


def _clear_seeded_rows():
    """Remove what migrate seeded, quietly: a delete() would send signals, and the audit trail and
    the campaigns' freshness stamps must come back exactly as archived."""
    for label in SEEDED_BY_MIGRATIONS:
        model = apps.get_model(label)
        for field in model._meta.many_to_many:
            field.remote_field.through._base_manager.all()._raw_delete(connection.alias)
        model._base_manager.all()._raw_delete(connection.alias)


def _reset_sequences():
    """Rows keep their ids; the sequences must continue after the highest one (PostgreSQL)."""
    statements = connection.ops.sequence_reset_sql(no_style(), archived_models())
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
