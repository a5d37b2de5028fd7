"""The whole dataset as one portable archive, and back into an empty database.

For moving the portal to another machine or keeping a copy that does not depend on PostgreSQL's
version (pg_dump remains the everyday backup; see the README). The archive is a .tar.gz with:

- data.jsonl: every row of the project's apps and of users and groups, keys kept (published
  snapshots and audit entries refer to rows by id), foreign keys to content types and
  permissions by natural key, so they match the new database's own;
- media/: uploaded files (project photos);
- manifest.json: row counts per model, the SHA-256 of data.jsonl and the applied migrations, so a
  restore refuses an archive from another schema and proves it loaded everything.

Restoring runs in one transaction: all rows or none.
"""

import datetime
import hashlib
import io
import json
import tarfile
import tempfile
from collections import Counter
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.db.migrations.recorder import MigrationRecorder

# Rows worth keeping; content types and permissions are recreated by migrate, sessions and
# Django's own admin log are not data of the federation.
APPS = ("auth.user", "auth.group", "charity", "donations", "campaigns", "relief")
EXCLUDE = ("contenttypes", "auth.permission", "sessions", "admin.logentry")
# Background jobs are working state (the queue, progress, files kept a day), not data to move.
TRANSIENT = ("charity.backgroundjob",)


class ExactEncoder(DjangoJSONEncoder):
    """Times to the microsecond: Django's encoder stops at milliseconds, and a restore must give
    back exactly what was there (audit entries are ordered by their time)."""

    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


class ArchiveError(Exception):
    def __init__(self, message):
        self.message = message
        super().__init__(message)


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
    """Write the archive; returns the manifest."""
    with tempfile.TemporaryDirectory() as work:
        data = Path(work) / "data.jsonl"
        with data.open("w", encoding="utf-8") as stream:
            for model in serializers.sort_dependencies([(None, archived_models())], allow_cycles=True):
                rows = model._base_manager.order_by("pk").iterator(chunk_size=2000)
                serializers.serialize(
                    "jsonl", rows, stream=stream, use_natural_foreign_keys=True, cls=ExactEncoder
                )
        counts = Counter()
        with data.open(encoding="utf-8") as rows:
            for line in rows:
                counts[json.loads(line)["model"]] += 1
        manifest = {
            "format": 1,
            "counts": dict(sorted(counts.items())),
            "data_sha256": hashlib.sha256(data.read_bytes()).hexdigest(),
            "migrations": applied_migrations(),
        }
        with tarfile.open(path, "w:gz") as archive:
            archive.add(data, arcname="data.jsonl")
            media = Path(settings.MEDIA_ROOT)
            if media.is_dir():
                archive.add(media, arcname="media")
            blob = json.dumps(manifest, ensure_ascii=False, indent=2).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(blob)
            archive.addfile(info, io.BytesIO(blob))
    return manifest


def restore_archive(path):
    """Load an archive into an empty database of the same schema; returns the manifest."""
    not_empty = [m._meta.label for m in archived_models() if m._default_manager.exists()]
    if not_empty:
        found = "、".join(not_empty[:5])
        raise ArchiveError(f"数据库不是空的（已有 {found} 等数据）：只能恢复到空数据库")
    with tempfile.TemporaryDirectory() as work, tarfile.open(path, "r:gz") as archive:
        archive.extractall(work, filter="data")
        manifest = json.loads((Path(work) / "manifest.json").read_text(encoding="utf-8"))
        data = Path(work) / "data.jsonl"
        if hashlib.sha256(data.read_bytes()).hexdigest() != manifest["data_sha256"]:
            raise ArchiveError("存档中的数据与清单的 SHA-256 不符：文件已损坏或被改动")
        missing = sorted(set(manifest["migrations"]) - set(applied_migrations()))
        if missing:
            names = "、".join(missing[:5])
            raise ArchiveError(f"存档来自更新的数据库结构，请先升级程序并 migrate；缺少迁移：{names}")
        with transaction.atomic():
            with data.open(encoding="utf-8") as rows:
                objects = list(serializers.deserialize("jsonl", rows, handle_forward_references=True))
            for obj in objects:
                obj.save()
            for obj in objects:
                if obj.deferred_fields:
                    obj.save_deferred_fields()
            loaded = Counter(obj.object._meta.label_lower for obj in objects)
            if dict(sorted(loaded.items())) != manifest["counts"]:
                raise ArchiveError("恢复的行数与清单不符，已全部撤销")
            _reset_sequences()
        media = Path(work) / "media"
        if media.is_dir():
            target = Path(settings.MEDIA_ROOT)
            for source in media.rglob("*"):
                if source.is_file():
                    destination = target / source.relative_to(media)
                    destination.parent.mkdir(parents=True, exist_ok=True)
                    destination.write_bytes(source.read_bytes())
    return manifest


def _reset_sequences():
    """Rows keep their ids; the sequences must continue after the highest one (PostgreSQL)."""
    statements = connection.ops.sequence_reset_sql(no_style(), archived_models())
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
