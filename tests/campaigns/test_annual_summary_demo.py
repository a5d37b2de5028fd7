"""The 2023 summary of the demo data: the published report's figures, to the fen, on a machine with no
Chinese font (fontconfig sees no font at all), read back with pdftotext, pdffonts and pdftoppm."""

import io
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.template.loader import render_to_string

from campaigns import services
from campaigns.annual_summary.figures import annual_summary
from campaigns.demo import figures as report
from campaigns.demo import load_demo
from campaigns.models import Campaign
from charity.money import percent_change, wan, yuan
from donations.models import Donation

from .pdf_text import pdf_fonts, pdf_text

ARTIFACTS = Path(settings.BASE_DIR) / "tests" / "artifacts"
NO_FONTS = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig><cachedir>{cache}</cachedir></fontconfig>
"""
RENDER = """
import sys, django
django.setup()
from charity import pdf
html = open(sys.argv[1], encoding="utf-8").read()
open(sys.argv[2], "wb").write(pdf.render_html(html).content)
"""
# The 2023 report: "与2022年度相比较，捐赠金额有提升的为：…", in its (the sectors') order.
REPORT_RISING = (
    "个人、教育系统、民宗系统、民营企业、市场监督管理系统、"
    "司法系统、卫健系统、文旅广系统、松木经开区、民主党派"
)
REPORT_FALLING = (
    "市直工委慈善分会、部队系统、常务理事单位、高校系统、公安系统、国资系统、金融系统、民政系统、人社系统、"
    "社会组织、祁商会慈善分会、高新区、住建系统"
)


def render_without_system_fonts(html, tmp_path):
    """Render in a fresh process whose fontconfig knows no font: only the shipped one can be used."""
    (tmp_path / "fonts.conf").write_text(NO_FONTS.format(cache=tmp_path / "cache"))
    (tmp_path / "summary.html").write_text(html, encoding="utf-8")
    target = tmp_path / "summary.pdf"
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "charity.settings",
        "PYTHONPATH": str(settings.BASE_DIR),
        "FONTCONFIG_FILE": str(tmp_path / "fonts.conf"),
    }
    if shutil.which("fc-list"):
        assert subprocess.run(["fc-list"], env=env, capture_output=True, text=True).stdout.strip() == ""
    subprocess.run(
        [sys.executable, "-c", RENDER, str(tmp_path / "summary.html"), str(target)],
        env=env,
        cwd=settings.BASE_DIR,
        check=True,
        timeout=120,
    )
    return target


@pytest.mark.django_db
def test_demo_2023_summary_matches_the_report_and_the_database(tmp_path):
    load_demo()
    summary = annual_summary(2023)
    html = render_to_string(services.PDF_TEMPLATE, services.summary_context(summary))
    path = render_without_system_fonts(html, tmp_path)
    text = pdf_text(path)

    donations = Donation.objects.filter(campaign__year=2023)
    assert summary.total == report.TOTAL_2023 == sum(d.amount for d in donations)
    assert "募集资金1810.7035万元（18,107,035.00元）" in text
    assert "较上年度增长174.22万元（1,742,200.00元，增长10.6%）" in text
    assert f"有{report.PARTICIPATING_UNITS_2023}家机关和企事业单位、{summary.head_count:,}人次" in text
    assert summary.units == report.PARTICIPATING_UNITS_2023

    last = 0
    for name, amount in report.SECTOR_TOTALS_2023.items():
        previous = report.SECTOR_TOTALS_2022[name]
        assert sum(d.amount for d in donations.filter(sector__name=name)) == amount
        change, percent = amount - previous, percent_change(amount, previous)
        sign = "+" if change > 0 else ""
        row = f"{name}{yuan(amount)}{yuan(previous)}{sign}{yuan(change)}{sign}{percent}%"
        assert row in text, row
        assert text.index(row) > last  # report order
        last = text.index(row)
    unassigned = f"未分配版块{yuan(report.UNASSIGNED_2023)}{yuan(report.UNASSIGNED_2022)}"
    assert unassigned in text and text.index(unassigned) > last
    assert "合计18,107,035.0016,364,835.00+1,742,200.00+10.6%100.0%" in text
    assert wan(report.UNASSIGNED_2023) == "10.3435"  # 1810.7035 − 1800.36, the report's gap

    # The generated sentences say what the report typed by hand.
    assert f"与2022年度相比较，捐赠金额有提升的为：{REPORT_RISING}。" in text
    assert f"与2022年度相比较，捐赠金额有降低的为：{REPORT_FALLING}。" in text

    # Only the shipped font is in the file, embedded; headers, footers and charts use it too.
    fonts = pdf_fonts(path)
    assert fonts and all(embedded for _, _, embedded in fonts)
    assert {name.split("+")[1] for name, _, _ in fonts} <= {
        "Noto-Sans-SC",
        "Noto-Sans-SC-Bold",
        "Noto-Sans-SC-Oblique",
    }
    assert "2023年各版块捐款（万元）" in text and "历年慈善一日捐募集总额（万元）" in text
    assert "校验码" + summary.display_code in text and "第2页/共" in text

    # Pages as a person sees them (tests/artifacts/, not committed): page 1 is the cover.
    ARTIFACTS.mkdir(exist_ok=True)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "2", str(path), str(ARTIFACTS / "annual-summary")],
        check=True,
    )
    assert (ARTIFACTS / "annual-summary-1.png").stat().st_size > 10_000


@pytest.mark.django_db
def test_the_command_makes_the_summary_of_every_year_of_the_demo_data(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    load_demo()
    years = sorted(set(Campaign.objects.values_list("year", flat=True)))
    assert years == [2018, 2019, 2022, 2023]  # 2018 and 2022 have no year before them to compare with
    for year in years:
        target, out = tmp_path / f"{year}.pdf", io.StringIO()
        call_command("annual_summary", str(year), "--output", str(target), "--fresh", stdout=out)
        text = pdf_text(target)
        one_day = Donation.objects.filter(campaign__year=year, campaign__kind=Campaign.Kind.ONE_DAY)
        total = sum(d.amount for d in one_day)
        assert f"{year}年度慈善一日捐工作总结" in text
        assert f"募集资金{wan(total)}万元（{yuan(total)}元）" in text
        assert f"已生成 {year} 年度总结：{target}（" in out.getvalue()
    assert "2021年度没有慈善一日捐数据，本年度不作同比比较。" in pdf_text(tmp_path / "2022.pdf")
    assert "与2022年度相比较，捐赠金额有提升的为：" in pdf_text(tmp_path / "2023.pdf")
