"""Trigram indexes for the admin's searches, created on PostgreSQL only.

The admin searches text with "contains, ignoring case": UPPER(column) LIKE UPPER('%word%'), which
no ordinary index serves, so with ten years of data every search read whole tables (1-4 s,
bench/admin_bench.py). PostgreSQL's pg_trgm indexes the three-character pieces of a text; a GIN
index over UPPER(column) answers exactly the admin's condition for words of three characters or
more (a full name, a unit's name, a receipt number, a telephone number). Shorter words (a
two-character name) have no three-character piece and still read the table, but only the
column's own table: charity.admin_lists.SubquerySearchMixin looks donors up before donations.

The indexes are declared in the models' Meta like any other; the extension is created by the
migration that adds them. On other databases (SQLite, for development) they create nothing.
"""

from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db.models.functions import Upper


class PostgresOnlyGinIndex(GinIndex):
    def create_sql(self, model, schema_editor, using="", **kwargs):
        if schema_editor.connection.vendor != "postgresql":
            return ""  # an empty statement: nothing to create
        return super().create_sql(model, schema_editor, using=using, **kwargs)

    def remove_sql(self, model, schema_editor, **kwargs):
        if schema_editor.connection.vendor != "postgresql":
            return ""
        return super().remove_sql(model, schema_editor, **kwargs)


def trigram_index(field, name, condition=None):
    """A trigram index serving `field__icontains` (UPPER(field) LIKE ...); with `condition`, a
    partial one (e.g. only non-empty values: the search adds `field <> ''`)."""
    return PostgresOnlyGinIndex(OpClass(Upper(field), name="gin_trgm_ops"), name=name, condition=condition)
