import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("campaigns", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="campaign",
            name="figures_changed_at",
            field=models.DateTimeField(
                auto_now_add=True, default=django.utils.timezone.now, editable=False, verbose_name="数据更新时间"
            ),
            preserve_default=False,
        ),
    ]
