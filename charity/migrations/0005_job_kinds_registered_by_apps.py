# Only the choices change: the kinds of background job are registered by the apps that own them
# (charity.jobs.register) instead of listed by the kernel; the stored values stay the same.

from django.db import migrations, models

import charity.models


class Migration(migrations.Migration):
    dependencies = [
        ("charity", "0004_published_artifacts"),
    ]

    operations = [
        migrations.AlterField(
            model_name="backgroundjob",
            name="kind",
            field=models.CharField(
                choices=charity.models.job_kind_choices, max_length=32, verbose_name="类型"
            ),
        ),
    ]
