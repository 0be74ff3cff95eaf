"""The period the rules backend gives a value, from phrasing found in real passages
(tests/relations_real, tests/relations_collected: Cao Bằng P01, Đà Nẵng P05/P09,
Thái Bình, Hà Tĩnh, Quảng Bình) and variants of our own (issue 21).

Each sentence is put in a monthly report: the default for a value with no period word
is `month`, so every `ytd` and `year` below is read from the words.
"""

from __future__ import annotations

import pytest

from extractor import extract
from extractor.document import analyse_bytes
from extractor.metadata import ReportMeta


def periods(sentence: str) -> dict[str, str]:
    text = f"BÁO CÁO tình hình kinh tế - xã hội tháng 9 năm 2024\n\nI. Kinh tế\n{sentence}\n"
    meta = ReportMeta(province="Lai Châu", year=2024, month=9, kind="monthly")
    doc = analyse_bytes(text.encode("utf-8"), "report.txt", meta)
    return {f.text: f.period for f in extract(doc).facts}


@pytest.mark.parametrize(
    ("sentence", "value", "period"),
    [
        # real: the months to date open the sentence, far from the value
        (
            "Trong 10 tháng đầu năm 2012, khách du lịch đến Cao Bằng ước đạt 387.236 lượt, "
            "tăng 17% so với cùng kỳ năm 2011.",
            "387.236 lượt",
            "ytd",
        ),
        (
            "Tổng số khách du lịch do cơ sở lữ hành phục vụ 6 tháng ước đạt 636 nghìn lượt, "
            "tăng gần 4,5% so với cùng kỳ.",
            "636 nghìn lượt",
            "ytd",
        ),
        (
            "Số lượt khách do cơ sở lữ hành phục vụ trong 11 tháng đạt hơn 1,3 triệu lượt.",
            "1,3 triệu lượt",
            "ytd",
        ),
        (
            "Tổng doanh thu dịch vụ lưu trú, ăn uống 10 tháng qua đạt hơn 22.561 tỷ đồng.",
            "22.561 tỷ đồng",
            "ytd",
        ),
        (
            "Kim ngạch xuất khẩu 8 tháng năm 2022 của tỉnh ước đạt 1,533 tỷ USD, tăng gần 28% "
            "so với cùng kỳ năm trước.",
            "1,533 tỷ USD",
            "ytd",
        ),
        # variants: a year that opens its sentence
        ("Năm 2017, tổng thu ngân sách trên địa bàn đạt 2.345 tỷ đồng.", "2.345 tỷ đồng", "year"),
        ("Trong năm 2023, toàn tỉnh trồng mới 1.250 ha rừng.", "1.250 ha", "year"),
        ("Ước cả năm, tổng vốn đầu tư đạt 9.870 tỷ đồng.", "9.870 tỷ đồng", "year"),
        # not the months to date, not the year: the report's month stays
        (
            "Tháng 9 năm 2024, doanh thu bán lẻ hàng hóa đạt 1.234 tỷ đồng.",
            "1.234 tỷ đồng",
            "month",
        ),
        ("Số trẻ 18 tháng tuổi được tiêm sởi – rubella là 762 trẻ.", "762 trẻ", "month"),
        ("Đào tạo nghề trình độ sơ cấp và dưới 3 tháng cho 326 người.", "326 người", "month"),
        ("Dự kiến 6 tháng cuối năm thu hút thêm 120 dự án.", "120 dự án", "month"),
        (
            "Chương trình Xuân Biên phòng ấm lòng dân bản năm 2024 đã đến với 44 bản.",
            "44 bản",
            "month",
        ),
        (
            "Doanh thu tăng 5% so với 9 tháng năm 2023, đạt 1.111 tỷ đồng trong tháng.",
            "1.111 tỷ đồng",
            "month",
        ),
    ],
)
def test_the_period_a_value_is_of(sentence: str, value: str, period: str) -> None:
    found = periods(sentence)
    assert found.get(value) == period, found
