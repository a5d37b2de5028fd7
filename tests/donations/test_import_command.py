"""`manage.py import_donations`: scripts outside the code rely on its name, options and exit codes."""

import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from donations.models import Donation, ImportBatch
from tests.donations.import_helpers import counts, person_row, unit_row, xlsx

pytestmark = pytest.mark.django_db

CORPUS = Path(__file__).resolve().parent / "import_corpus"


@pytest.fixture
def good_file(tmp_path):
    path = tmp_path / "捐赠.xlsx"
    rows = [unit_row("衡阳市教育局", "1000", 票据号="R-1"), person_row("张三", "100", 汇款票据号="R-1")]
    path.write_bytes(xlsx(rows).getvalue())
    return path


@pytest.fixture
def bad_file(tmp_path):
    path = tmp_path / "坏.xlsx"
    path.write_bytes(xlsx([person_row(金额="-1"), person_row(渠道="刷卡")]).getvalue())
    return path


def run(*args):
    from io import StringIO

    out, err = StringIO(), StringIO()
    call_command("import_donations", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_success_prints_one_line_summary(campaign, good_file):
    out, err = run(good_file, "--campaign", campaign.name)
    batch = ImportBatch.objects.get()
    assert out == (
        f"已导入，批次 #{batch.pk}：捐赠.xlsx，2 行，捐赠 1 笔，明细 1 行，新建捐赠人 2，合计 1,000.00 元，"
        "1 笔汇款明细未列全（余 900.00 元）\n"
    )
    assert err == ""


def test_dry_run_writes_nothing(campaign, good_file):
    out, _ = run(good_file, "--campaign", campaign.name, "--dry-run")
    assert out.startswith("检查通过（未写入）：捐赠.xlsx，2 行")
    assert counts() == (0, 0, 0, 0)


def test_bad_file_prints_every_error_and_writes_nothing(campaign, bad_file, capsys):
    with pytest.raises(CommandError) as failure:
        run(bad_file, "--campaign", campaign.name)
    assert failure.value.returncode == 1
    assert str(failure.value) == "文件 坏.xlsx：共 2 处错误，未写入任何数据"
    assert counts() == (0, 0, 0, 0)


def test_errors_go_to_stderr_one_per_line(campaign, bad_file):
    from io import StringIO

    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_donations", str(bad_file), "--campaign", campaign.name, stderr=err)
    assert err.getvalue().splitlines() == [
        "第 2 行，“金额”列：金额必须大于 0，实际为 -1",
        "第 3 行，“渠道”列：渠道“刷卡”无效，可选：银行转账、现金、微信、支付宝、实物、其他"
        "（同义写法见导入说明）",
    ]


def test_hostile_file_through_the_command(campaign):
    from io import StringIO

    err = StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_donations", str(CORPUS / "zip_bomb.xlsx"), "--campaign", campaign.name, stderr=err
        )
    assert "压缩炸弹" in err.getvalue()
    assert counts() == (0, 0, 0, 0)


def test_missing_campaign_lists_the_existing_ones(campaign, good_file):
    with pytest.raises(CommandError) as failure:
        run(good_file, "--campaign", "2024年慈善一日捐")
    assert str(failure.value) == "找不到募捐活动“2024年慈善一日捐”；现有活动：2023年慈善一日捐"
    assert failure.value.returncode == 2


def test_force_and_allow_outside_dates(campaign, tmp_path):
    path = tmp_path / "期外.xlsx"
    path.write_bytes(xlsx([person_row(捐赠日期="2023-01-05")]).getvalue())
    with pytest.raises(CommandError):
        run(path, "--campaign", campaign.name)
    with pytest.raises(CommandError):  # allowed, but nobody said why
        run(path, "--campaign", campaign.name, "--allow-outside-dates")
    reason = ("--outside-dates-reason", "补录2023年初的汇款")
    run(path, "--campaign", campaign.name, "--allow-outside-dates", *reason)
    with pytest.raises(CommandError):
        run(path, "--campaign", campaign.name, "--allow-outside-dates", *reason)
    run(path, "--campaign", campaign.name, "--allow-outside-dates", *reason, "--force")
    assert Donation.objects.count() == 2
    assert set(ImportBatch.objects.values_list("outside_dates_reason", flat=True)) == {"补录2023年初的汇款"}


@pytest.mark.postgres  # a second process cannot see SQLite's in-memory test database
@pytest.mark.django_db(transaction=True)
def test_exit_codes_of_the_real_process(report_sectors, campaign, bad_file, good_file):
    """Run as scripts do: a separate process on the same database, judged by exit code and streams."""
    import os

    from django.db import connection

    from donations.models import Sector

    # An earlier transactional test may have flushed the sectors the migration seeded.
    for name in ("教育系统", "个人"):
        Sector.objects.get_or_create(name=name)

    db = connection.settings_dict
    env = dict(os.environ, DATABASE_URL=f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}")
    command = [sys.executable, "manage.py", "import_donations"]
    bad = subprocess.run(
        [*command, str(bad_file), "--campaign", campaign.name], env=env, capture_output=True, text=True
    )
    assert bad.returncode == 1 and bad.stdout == ""
    assert "第 2 行，“金额”列：金额必须大于 0，实际为 -1" in bad.stderr
    good = subprocess.run(
        [*command, str(good_file), "--campaign", campaign.name], env=env, capture_output=True, text=True
    )
    assert good.returncode == 0, good.stderr
    assert good.stdout.startswith("已导入，批次 #") and len(good.stdout.splitlines()) == 1


def test_messages_name_the_commands_flags_not_the_admins_checkboxes(campaign, tmp_path):
    from io import StringIO

    path = tmp_path / "名单.xlsx"
    rows = [unit_row("衡阳市教育局", "300"), person_row("王小明", "200", 所在单位="衡阳市教育局")]
    path.write_bytes(xlsx(rows).getvalue())
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_donations", str(path), "--campaign", campaign.name, stderr=err)
    assert err.getvalue().rstrip().endswith("若确是员工另行捐赠，请在命令行加 --separate-staff-gifts")
    assert "请勾选" not in err.getvalue()
    run(path, "--campaign", campaign.name, "--separate-staff-gifts")
    assert Donation.objects.for_campaign(campaign).total() == 500

    err = StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_donations", str(path), "--campaign", campaign.name, "--separate-staff-gifts", stderr=err
        )
    assert "为避免重复录入已拒绝，如确需再次导入，请在命令行加 --force" in err.getvalue()
    assert "请勾选" not in err.getvalue()
