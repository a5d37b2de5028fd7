"""manage.py annual_report: the 2019 and 2023 reports from the demo, as PDF and as Word."""

import io
import subprocess

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from campaigns.annual_report.prose import about
from campaigns.demo import load_demo
from charity.models import SiteIdentity
from tests.campaigns.pdf_text import pdf_text


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        load_demo()
        yield
        transaction.set_rollback(True)


pytestmark = pytest.mark.django_db

MONEY_2019 = (
    "2019年，募集善款总量（募集总额，含直接捐赠）2512万元，比上年增加812万元，增长47.8%"
    "（进入慈善总会账户的2005万元，比上年增加305万元，增长17.9%）。其中直接捐赠507万元"
)
BRANCHES_2019 = "13个慈善分会募捐总数比上年增加的有12个，增加404.49万元"
BRANCH_NAMED_2019 = "市直工委慈善分会493.52万元，比上年增加111.2万元"
HOUSING_2019 = (
    "住建系统207个单位参与，比上年增加115个单位，增长125.0%；捐款总数146.44万元，比上年增加71.68万元，增长95.9%。"
    "其中施工企业捐款46.72万元，局属单位捐款29.49万元"
)
RELIEF_2019 = (
    "全年实行救助的项目29个，救助支出2582.37万元（含2018年项目资金137.61万元），"
    "占本年度募集总额（含直接捐赠）的102.8%、占本年度进入总会账户的金额的128.8%，"
    "比上年增加800万元，增长44.9%，惠及200多万人次。"
)
RECURRING_2019 = "“慈善光明行”项目由20.4万元增加到100万元，救助对象由100人次变为500人次"
SECTION_2023 = (
    "2023年“慈善一日捐”于2023年8月28日正式启动，至2023年12月31日基本结束。",
    "有593家机关和企事业单位、近6万名爱心人士参与，募集资金1810.7035万元（募集总额，含直接捐赠），较上年度增长174.22万元",
    "其中：市直工委慈善分会捐款330.78万元、部队系统捐款40.01万元、常务理事单位捐款47.77万元",
    "与2022年度相比较，捐赠金额有提升的为：个人、教育系统",
    "与2022年度相比较，捐赠金额有降低的为：市直工委慈善分会、部队系统",
)


def make(year, path):
    out = io.StringIO()
    call_command("annual_report", str(year), "--output", str(path), stdout=out)
    assert f"已生成 {year} 年度工作报告：{path}" in out.getvalue()
    return path


def test_2019_states_the_money_branch_and_relief_paragraphs_from_data(demo, tmp_path):
    text = pdf_text(make(2019, tmp_path / "2019.pdf"))
    for sentence in (MONEY_2019, BRANCHES_2019, BRANCH_NAMED_2019, HOUSING_2019, RELIEF_2019, RECURRING_2019):
        assert sentence in text
    assert "衡阳市慈善总会2019年度工作报告衡阳市慈善总会办公室" in text  # the cover, from the site identity
    assert "自动生成" not in text


def test_2023_states_the_one_day_section_in_the_2023_reports_form(demo, tmp_path):
    text = pdf_text(make(2023, tmp_path / "2023.pdf"))
    for sentence in SECTION_2023:
        assert sentence in text
    assert "59,236" in text  # exact in the table, "近6万名" in prose


def test_the_cover_names_the_federation_from_the_site_identity(demo, tmp_path):
    SiteIdentity.objects.update_or_create(pk=1, defaults={"full_name": "某市慈善总会"})
    text = pdf_text(make(2019, tmp_path / "2019.pdf"))
    assert text.startswith("某市慈善总会2019年度工作报告某市慈善总会办公室")


def test_the_cover_carries_the_emblem_when_one_was_uploaded(demo, tmp_path, settings):
    from django.core.files.base import ContentFile
    from PIL import Image

    settings.MEDIA_ROOT = tmp_path / "media"
    buffer = io.BytesIO()
    Image.new("RGB", (64, 64), "#b3261e").save(buffer, "PNG")
    site, _ = SiteIdentity.objects.update_or_create(pk=1, defaults={"full_name": "衡阳市慈善总会"})
    site.emblem.save("emblem.png", ContentFile(buffer.getvalue()))
    path = make(2019, tmp_path / "2019.pdf")
    images = subprocess.run(
        ["pdfimages", "-list", "-f", "1", "-l", "1", str(path)], capture_output=True, text=True
    )
    assert len(images.stdout.strip().splitlines()) == 3  # the header lines and the emblem


def test_the_word_file_opens_in_libreoffice_with_the_same_figures(demo, tmp_path):
    make(2019, tmp_path / "2019.docx")
    subprocess.run(
        [
            "soffice",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path / "converted"),
            str(tmp_path / "2019.docx"),
        ],
        check=True,
        capture_output=True,
        timeout=180,
        env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    text = pdf_text(tmp_path / "converted" / "2019.pdf")
    for sentence in (MONEY_2019, BRANCHES_2019, HOUSING_2019, RELIEF_2019, RECURRING_2019):
        assert sentence in text
    assert "25,120,000.00" in text and "2019年度工作报告" in text


def test_the_file_type_comes_from_the_extension(tmp_path):
    with pytest.raises(CommandError, match="不支持的文件类型“.txt”：--output 须以 .pdf 或 .docx 结尾"):
        call_command("annual_report", "2019", "--output", str(tmp_path / "report.txt"))


@pytest.mark.parametrize(
    ("number", "written"),
    [
        (59_236, "近6万"),
        (2_010_017, "200多万"),
        (1_200_000, "120万"),
        (967, "967"),
        (57_000, "近6万"),
        (56_999, "5.6万多"),
        (350_123, "35万多"),
    ],
)
def test_headcounts_are_written_as_leadership_writes_them(number, written):
    assert about(number) == written
