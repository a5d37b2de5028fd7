"""Foreign keys of an import's rows, checked once per column instead of once per row.

PostgreSQL checks each foreign key of each inserted row with a trigger: for the 60,000-row bench
file (bench/import_bench.py) that is about 300,000 checks, queued during the COPYs and run at
commit, and it was 1.1 s of a 3.7 s import. Where the database role may set
session_replication_role (a superuser, or `GRANT SET ON PARAMETER session_replication_role`),
the COPYs run with those row triggers off, and `verify` then checks every foreign-key column of
the batch's rows with one statement per table: it locks the referenced rows FOR KEY SHARE, as the
triggers would have, and fails unless every reference was found. The guarantee is the triggers'
own: a referenced row deleted by someone else before the lock is missing and fails the import;
one deleted after it waits for this transaction and then fails its own foreign-key check.

Without that right (or with IMPORT_SET_BASED_FK_CHECKS = False) nothing changes: the triggers
stay on and check each row at commit.
"""

from contextlib import contextmanager

from django.conf import settings
from django.db import IntegrityError, connection

from donations.models import Donation, Donor, RemittanceLine

# The tables an import writes by COPY, each with the column pointing to the batch that wrote it.
WRITTEN = ((Donor, "source_batch"), (Donation, "batch"), (RemittanceLine, "batch"))


def batch_column(model):
    """The column marking the rows of `model` a batch created, or None."""
    for written, field in WRITTEN:
        if written is model:
            return model._meta.get_field(field).column
    return None


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
def row_triggers_off(batch):
    """Run the block with row triggers off if allowed; then check its references per column."""
    if not set_based_checks_possible():
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('session_replication_role', 'replica', true)")
    # If the block fails, the import's transaction (or savepoint) rolls back, and with it this
    # setting; only the way out on success needs to turn the triggers back on.
    yield
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('session_replication_role', 'origin', true)")
    verify(batch)


def verify(batch):
    """Lock and count every row the batch's rows refer to; IntegrityError if one is missing."""
    for model, field in WRITTEN:
        check_table(model, model._meta.get_field(field).column, batch.pk)


def foreign_keys(model):
    return [f for f in model._meta.concrete_fields if f.is_relation and f.db_constraint]


def check_table(model, marker, batch_id):
    quote = connection.ops.quote_name
    keys = foreign_keys(model)
    columns = ", ".join(quote(f.column) for f in keys)
    parts = [
        f"rows AS MATERIALIZED (SELECT {columns} FROM {quote(model._meta.db_table)} "
        f"WHERE {quote(marker)} = %(batch)s)"
    ]
    counts = []
    for n, f in enumerate(keys):
        target = f.related_model._meta
        target_column = quote(f.target_field.column)
        column = quote(f.column)
        parts.append(f"r{n} AS (SELECT DISTINCT {column} AS id FROM rows WHERE {column} IS NOT NULL)")
        table = quote(target.db_table)
        candidates = f"SELECT id FROM r{n}"
        own = batch_column(f.related_model)
        if own:
            # Rows this batch created are this transaction's own: nobody else can see, lock or
            # delete them. They are found with one join and only the others are locked, one by
            # one: locking 60,000 new donors took longer than finding them.
            parts.append(
                f"o{n} AS (SELECT p.{target_column} AS id FROM {table} p "
                f"WHERE p.{quote(own)} = %(batch)s AND p.{target_column} IN (SELECT id FROM r{n}))"
            )
            candidates = f"SELECT id FROM r{n} EXCEPT SELECT id FROM o{n}"
        parts.append(
            f"k{n} AS (SELECT p.{target_column} FROM {table} p "
            f"WHERE p.{target_column} IN ({candidates}) FOR KEY SHARE OF p)"
        )
        counts.append(f"(SELECT count(*) FROM r{n})")
        counts.append(f"(SELECT count(*) FROM k{n})" + (f" + (SELECT count(*) FROM o{n})" if own else ""))
    sql = f"WITH {', '.join(parts)} SELECT {', '.join(counts)}"
    with connection.cursor() as cursor:
        cursor.execute(sql, {"batch": batch_id})
        found = cursor.fetchone()
    for n, f in enumerate(keys):
        referenced, present = found[2 * n], found[2 * n + 1]
        if referenced != present:
            raise IntegrityError(
                f"{model._meta.verbose_name}的“{f.verbose_name}”引用了 {referenced - present} 条"
                f"已不存在的{f.related_model._meta.verbose_name}记录（可能刚被他人删除）"
            )
