from django.db import migrations

# A frozen copy: a migration must not change when donations/sectors.py is edited later.
SECTORS = [
    "市直工委慈善分会",
    "部队系统",
    "常务理事单位",
    "高校系统",
    "个人",
    "公安系统",
    "国资系统",
    "教育系统",
    "金融系统",
    "民政系统",
    "民宗系统",
    "民营企业",
    "人社系统",
    "市场监督管理系统",
    "司法系统",
    "卫健系统",
    "文旅广系统",
    "社会组织",
    "祁商会慈善分会",
    "高新区",
    "松木经开区",
    "民主党派",
    "住建系统",
]


def seed(apps, schema_editor):
    Sector = apps.get_model("donations", "Sector")
    for order, name in enumerate(SECTORS, start=1):
        Sector.objects.get_or_create(name=name, defaults={"order": order})


def unseed(apps, schema_editor):
    Sector = apps.get_model("donations", "Sector")
    Sector.objects.filter(name__in=SECTORS, donations__isnull=True, donors__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("donations", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
