"""The chart module: SVG with Chinese labels as text, in report order, exact amounts, no scripts."""

from decimal import Decimal

from charity import charts


def test_sector_bars_keep_report_order_and_exact_labels():
    rows = [
        ("市直工委慈善分会", Decimal("3307800.00"), Decimal("3000000.00")),
        ("部队系统", Decimal("400100.00"), None),
    ]
    svg = charts.sector_bars(rows, title="2023年各版块捐款", series=("2023年", "2022年"))
    assert svg.startswith("<svg") and "<script" not in svg
    assert "2023年各版块捐款" in svg and "2022年" in svg
    # pygal draws bottom-up; the module reverses so the first sector is drawn at the top.
    assert svg.index("部队系统") < svg.index("市直工委慈善分会")
    assert ">330.78<" in svg and ">40.01<" in svg  # 万元 to the yuan, not float noise


def test_trend_line_labels_every_year():
    svg = charts.trend_line(
        [(2021, Decimal("15000000")), (2022, Decimal("16357000.5")), (2023, Decimal("18107035"))],
        title="历年募捐",
    )
    for label in ("2021", "2022", "2023", ">1810.7035<", ">1635.7001<"):  # 万元 to the yuan
        assert label in svg
    assert "<script" not in svg


def test_two_charts_in_one_document_have_distinct_anchors():
    # The PDF summary holds two charts; WeasyPrint warns about (and drops) anchors defined twice.
    import re

    first = charts.trend_line([(2022, Decimal("1")), (2023, Decimal("2"))], title="甲")
    second = charts.sector_bars([("个人", Decimal("1"), None)], title="乙", series=("2023年",))
    ids = [set(re.findall(r'id="([^"]+)"', svg)) for svg in (first, second)]
    assert ids[0] and ids[1] and not ids[0] & ids[1]
    assert 'id="activate-serie' not in first + second
