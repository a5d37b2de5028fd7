from django.db import migrations


def create_roles(apps, schema_editor):
    from charity.roles import create_all_permissions, sync_roles

    # On a fresh database the permissions do not exist yet: Django creates them after the last
    # migration (post_migrate).
    create_all_permissions(apps, using=schema_editor.connection.alias)
    sync_roles(apps, strict=False)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("charity", "0001_audit_entry"),
        ("donations", "0008_review_status_and_branch_liaisons"),
        ("campaigns", "0005_permissions_for_roles"),
        ("relief", "0003_permissions_for_roles"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
