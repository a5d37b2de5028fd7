from django.db import migrations, models

# Hand-written on purpose. The AlterField that makemigrations generates for dropping db_index
# makes Django's PostgreSQL schema editor also drop the partial unique index
# donor_unique_unit_name (one unit = one donor), because it drops every non-constraint index on
# the column. So the state changes here, and the database drops only the two plain indexes.
PLAIN_INDEXES = ("donations_donor_name_41ed21fb", "donations_donor_name_41ed21fb_like")


def drop_plain_name_indexes(apps, schema_editor):
    for name in PLAIN_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(name)}")


def restore_plain_name_indexes(apps, schema_editor):
    schema_editor.execute('CREATE INDEX "donations_donor_name_41ed21fb" ON "donations_donor" ("name")')
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            'CREATE INDEX "donations_donor_name_41ed21fb_like" ON "donations_donor" ("name" varchar_pattern_ops)'
        )


class Migration(migrations.Migration):
    dependencies = [
        ("donations", "0003_import_batch_options"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="donor",
                    name="name",
                    field=models.CharField(max_length=200, verbose_name="名称"),
                ),
            ],
            database_operations=[
                migrations.RunPython(drop_plain_name_indexes, restore_plain_name_indexes),
            ],
        ),
    ]
