import re

import pytest

from extractor import ReportMeta, analyse, parse_period, read_metadata

from .helpers import SAMPLES


@pytest.mark.parametrize(
    ("sample", "province", "kind", "period"),
    [
        ("lai-chau-2021-01", "Lai Châu", "monthly", "2021-01"),
        ("lai-chau-2023-annual", "Lai Châu", "annual", "2023"),
        ("lai-chau-2024-02", "Lai Châu", "monthly", "2024-02"),
        ("lao-cai-2024-02", "Lào Cai", "monthly", "2024-02"),
    ],
)
def test_sample_metadata(docs, sample, province, kind, period) -> None:
    meta = docs[sample].meta
    assert (meta.province, meta.kind, meta.period) == (province, kind, period)


def test_province_and_period_given_by_the_user_only_fill_in_what_the_report_lacks(
    tmp_path,
) -> None:
    given = ReportMeta(province="Điện Biên").merged(parse_period("2024-03"))
    doc = analyse(SAMPLES / "lai-chau-2024-02.txt", given)
    assert (doc.meta.province, doc.meta.period) == ("Lai Châu", "2024-02")  # the report's own
    silent = tmp_path / "silent.txt"
    silent.write_text("Tổng mức bán lẻ hàng hóa ước đạt 593,09 tỷ đồng.\n", "utf-8")
    doc = analyse(silent, given)
    assert (doc.meta.province, doc.meta.kind, doc.meta.period) == (
        "Điện Biên",
        "monthly",
        "2024-03",
    )
    # the period is one value: a report that names its year keeps it, month and all
    annual = ReportMeta(year=2023, kind="annual")
    assert annual.filled_from(parse_period("2024-03")) == annual


def test_text_that_does_not_say_gives_none() -> None:
    meta = read_metadata("Một số nội dung khác", "không có tên tỉnh")
    assert meta == ReportMeta()


@pytest.mark.parametrize(
    ("title", "kind", "period"),
    [
        (
            "BÁO CÁO Tình hình kinh tế - xã hội quý I năm 2024 của tỉnh Sơn La",
            "quarterly",
            "2024-Q1",
        ),
        ("BÁO CÁO Tình hình kinh tế - xã hội 6 tháng đầu năm 2024", "half_year", "2024-H1"),
        ("KẾ HOẠCH phát triển kinh tế - xã hội năm 2025", "plan", "2025"),
        # a news passage measuring a figure against the plan is no plan (Tiền Giang, S12)
        ("Trong 10 tháng của năm 2020 có 637 doanh nghiệp, đạt 98% kế hoạch", "annual", "2020"),
        ("Sở Kế hoạch và Đầu tư cho biết năm 2017 có 85 doanh nghiệp", "annual", "2017"),
        # Cần Thơ (E11): the month printed with a dash
        ("ước đến cuối tháng 5-2021, tổng dư nợ cho vay đạt 112.500 tỉ đồng", "monthly", "2021-05"),
        (
            "Sơn La, ngày 05 tháng 03 năm 2024 BÁO CÁO Tình hình tháng 02 năm 2024",
            "monthly",
            "2024-02",
        ),
    ],
)
def test_kinds_from_titles(title, kind, period) -> None:
    meta = read_metadata(title.replace("ngày 05 tháng 03 năm 2024", ""), title)
    assert (meta.kind, meta.period) == (kind, period)


def test_parse_period_errors() -> None:
    with pytest.raises(ValueError, match="YYYY-MM"):
        parse_period("Feb 2024")
    with pytest.raises(ValueError, match=re.escape("01..12")):
        parse_period("2024-13")
