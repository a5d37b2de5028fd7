"""Foreign keys of an import's rows, checked once per referenced row instead of once per row.

PostgreSQL checks each foreign key of each inserted row with a trigger: for the 60,000-row bench
file (bench/import_bench.py) that is about 300,000 checks, queued during the COPYs and run at
commit, and it was 1.1 s of a 3.7 s import. Where the database role may set
session_replication_role (a superuser, or `GRANT SET ON PARAMETER session_replication_role`),
the COPYs run with those row triggers off and record what they wrote in a `References`. Before
commit, every row referenced that this import did not itself create is locked FOR KEY SHARE, as
the triggers would have locked it, and must be found; rows this import created exist because
their COPY succeeded, and nobody else can see or delete them before commit. The guarantee is the
triggers' own: a referenced row deleted by someone else before the lock is missing and fails the
import; one deleted after it waits for this transaction and then fails its own foreign-key check.

Without that right (or with IMPORT_SET_BASED_FK_CHECKS = False) nothing changes: the triggers
stay on and check each row at commit.
"""

from collections import defaultdict
from contextlib import contextmanager
from operator import itemgetter

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, connection


def set_based_checks_possible():
    if connection.vendor != "postgresql" or not settings.IMPORT_SET_BASED_FK_CHECKS:
        return False
    with connection.cursor() as cursor:
        if connection.pg_version >= 150000:
            cursor.execute("SELECT has_parameter_privilege('session_replication_role', 'SET')")
        else:
            cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        return bool(cursor.fetchone()[0])


@contextmanager
def row_triggers_off():
    """Yield a References for the block's COPYs to record into, or None if the triggers stay on."""
    if not set_based_checks_possible():
        yield None
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('session_replication_role', 'replica', true)")
    references = References()
    # If the block fails, the import's transaction (or savepoint) rolls back, and with it this
    # setting; only the way out on success needs to turn the triggers back on.
    yield references
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('session_replication_role', 'origin', true)")
    references.verify()


def foreign_keys(model):
    keys = [f for f in model._meta.concrete_fields if f.is_relation and f.db_constraint]
    for f in keys:
        # References compares referenced values with created primary keys and locks by them.
        if not f.target_field.primary_key:
            raise ImproperlyConfigured(f"{f} 引用的不是主键：导入的外键检查只支持引用主键")
    return keys


class References:
    """The ids an import's COPYs referred to, per foreign key, and the ids they created."""

    def __init__(self):
        self.referenced = defaultdict(set)  # foreign-key field -> ids
        self.created = defaultdict(set)  # model -> primary keys

    def record(self, model, attnames, rows, ids, constants):
        """Note one COPY: `rows` of `attnames` values, given `ids`, other columns `constants`."""
        self.created[model].update(ids)
        for f in foreign_keys(model):
            if f.attname in attnames:
                self.referenced[f].update(map(itemgetter(attnames.index(f.attname)), rows))
            elif constants.get(f.attname) is not None:
                self.referenced[f].add(constants[f.attname])

    def verify(self):
        """Lock every referenced row not created here; IntegrityError if one is missing."""
        wanted = defaultdict(set)
        for f, ids in self.referenced.items():
            ids.discard(None)
            wanted[f.related_model].update(ids - self.created[f.related_model])
        found = {model: lock(model, ids) for model, ids in wanted.items()}
        for f, ids in self.referenced.items():
            missing = ids - self.created[f.related_model] - found[f.related_model]
            if missing:
                model = f.model._meta
                raise IntegrityError(
                    f"{model.verbose_name}的“{f.verbose_name}”引用了 {len(missing)} 条"
                    f"已不存在的{f.related_model._meta.verbose_name}记录（可能刚被他人删除）"
                )


def lock(model, ids):
    """The ids among `ids` whose rows exist, each locked FOR KEY SHARE until commit."""
    if not ids:
        return set()
    meta = model._meta
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {quote(meta.pk.column)} FROM {quote(meta.db_table)} "
            f"WHERE {quote(meta.pk.column)} = ANY(%s) FOR KEY SHARE",
            [sorted(ids)],
        )
        return {pk for (pk,) in cursor.fetchall()}
