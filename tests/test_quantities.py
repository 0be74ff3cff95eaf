import re
from decimal import Decimal

import pytest

from extractor import tag_quantities


def find(doc, text: str, after: str = ""):
    """The quantity whose text is ``text``, first one after the words ``after``."""
    pos = doc.text.index(after) if after else 0
    for q in doc.quantities:
        if q.text == text and q.start >= pos:
            return q
    raise AssertionError(f"no quantity {text!r} after {after!r}")


def comp(q):
    return (q.comparison.direction, q.comparison.basis) if q.comparison else None


def test_herd_sentence(lc2402) -> None:
    herd = find(lc2402, "349.090 con")
    assert (herd.value, herd.unit, herd.scale, herd.kind, herd.qualifier) == (
        Decimal(349090),
        "con",
        1,
        "amount",
        "ước",
    )
    assert herd.comparison is None
    change = lc2402.quantities[lc2402.quantities.index(herd) + 1]
    assert (change.text, change.value, change.kind) == ("4,2%", Decimal("4.2"), "percent")
    assert comp(change) == ("increase", "same_period")
    poultry = find(lc2402, "1.807 nghìn con")
    assert (poultry.value, poultry.scale, poultry.unit) == (Decimal(1807), 1000, "con")


def test_money_with_scale_word(lc2402) -> None:
    q = find(lc2402, "3.127,371 tỷ đồng")
    assert (q.value, q.scale, q.unit, q.decimals) == (Decimal("3127.371"), 10**9, "đồng", 3)
    assert q.absolute == Decimal("3127371000000")
    retail = find(lc2402, "732,3 tỷ đồng")
    assert retail.qualifier == "ước"
    assert comp(lc2402.quantities[lc2402.quantities.index(retail) + 1]) == (
        "increase",
        "same_period",
    )


def test_fractions_and_rates(lc2402, docs) -> None:
    kids = find(lc2402, "779/9.872 trẻ")
    assert (kids.kind, kids.value, kids.denominator, kids.unit) == (
        "fraction",
        Decimal(779),
        Decimal(9872),
        "trẻ",
    )
    rate = lc2402.quantities[lc2402.quantities.index(kids) + 1]
    assert (rate.text, rate.kind, rate.comparison) == ("7,89%", "percent", None)
    files = find(lc2402, "3.355/5.423 hồ sơ")
    assert (files.value, files.denominator) == (Decimal(3355), Decimal(5423))
    assert find(lc2402, "44/44 bản").denominator == 44
    lao = docs["lao-cai-2024-02"]
    local = find(lao, "435/3.893 tỷ đồng")
    assert (local.kind, local.scale, local.denominator) == ("fraction", 10**9, Decimal(3893))
    typo = find(lao, "1110/952 tỷ đồng")
    assert typo.value == 1110 and typo.ambiguous == "no thousands grouping"


def test_source_errors_are_flagged_not_repaired(docs) -> None:
    area = find(docs["lai-chau-2023-annual"], "10.933.4m²")
    assert area.value == Decimal("10933.4") and area.unit == "m²"
    assert "mixed separators" in area.ambiguous
    power = find(docs["lao-cai-2024-02"], "11144,85 MW")
    assert power.value == Decimal("11144.85") and power.ambiguous == "no thousands grouping"
    missing_pct = find(docs["lao-cai-2024-02"], "10,88")
    assert missing_pct.ambiguous == "change without a unit"


@pytest.mark.parametrize(
    ("sample", "text", "after", "expected"),
    [
        ("lai-chau-2024-02", "5,9%", "732,3 tỷ", ("increase", "same_period")),
        ("lao-cai-2024-02", "9,62%", "175,66", ("decrease", "previous_period")),
        ("lao-cai-2024-02", "90,98%", "2.883,9", ("ratio", "previous_period")),
        ("lao-cai-2024-02", "134,6%", "1.528 tỷ", ("ratio", "same_period")),
        ("lao-cai-2024-02", "14,59%", "10.800 tấn", ("reach", "plan")),
        ("lao-cai-2024-02", "103,4%", "4.445 ha", ("ratio", "plan")),
        ("lao-cai-2024-02", "101,4%", "4.445 ha", ("ratio", "same_period")),
        ("lai-chau-2023-annual", "3,4%", "18.710 tấn", ("exceed", "plan")),
        ("lai-chau-2023-annual", "10,9%", "2.494 ha", ("exceed", "plan")),
        ("lai-chau-2024-02", "18%", "1.941,49", ("ratio", "budget")),
        ("lai-chau-2024-02", "6,6%", "300,448", ("increase", "same_period")),
        ("lai-chau-2023-annual", "6,9%", "18.710 tấn", ("increase", "same_period")),
        ("lai-chau-2021-01", "4,3 lần", "3,869", ("increase", "same_period")),
        ("lao-cai-2024-02", "3,8 lần", "1.206.581.000", ("times", "same_period")),
        ("lai-chau-2021-01", "27,2%", "28,9 tỷ", ("increase", "same_period")),
        ("lai-chau-2021-01", "41,6%", "28,9 tỷ", ("decrease", "same_period")),
        ("lai-chau-2024-02", "01 doanh nghiệp", "155 tỷ", ("increase", "same_period")),
        ("lai-chau-2023-annual", "2,6 điểm%", "90,3%", ("increase", "same_period")),
        ("lao-cai-2024-02", "0,03 điểm phần trăm", "0,81%", ("decrease", "other")),
    ],
)
def test_comparisons(docs, sample, text, after, expected) -> None:
    q = find(docs[sample], text, after)
    assert comp(q) == expected


def test_plan_value_in_parentheses(docs) -> None:
    lao = docs["lao-cai-2024-02"]
    plan = find(lao, "74.000 tấn", "14,59%")
    assert (plan.value, plan.unit, plan.comparison) == (Decimal(74000), "tấn", None)


def test_per_unit_is_not_a_quantity(docs) -> None:
    doctors = find(docs["lai-chau-2023-annual"], "13 bác sỹ/1 vạn dân")
    assert (doctors.value, doctors.unit, doctors.scale) == (Decimal(13), "bác sỹ/1 vạn dân", 1)


def test_synthetic_phrases() -> None:
    qs = tag_quantities(
        "Tỷ lệ che phủ rừng cao hơn 6,9 điểm % so với năm 2022; "
        "thành lập mới 45 doanh nghiệp, tăng 30 doanh nghiệp so với cùng kỳ.",
        report_year=2023,
    )
    assert [(q.text, q.kind, comp(q)) for q in qs] == [
        ("6,9 điểm %", "points", ("increase", "same_period")),
        ("45 doanh nghiệp", "amount", None),
        ("30 doanh nghiệp", "amount", ("increase", "same_period")),
    ]


def test_capital_added_is_a_level_named_so() -> None:
    """ "vốn tăng thêm X", "vốn cấp mới và tăng thêm X": the capital added, a level; "vốn
    đăng ký tăng thêm X so với cùng kỳ" is still a change."""
    qs = tag_quantities(
        "15 dự án điều chỉnh với số vốn tăng thêm 96,5 triệu USD; tổng vốn cấp mới và tăng "
        "thêm 298,08 triệu USD. Vốn đăng ký tăng thêm 12 triệu USD so với cùng kỳ.",
        report_year=2024,
    )
    assert [(q.text, comp(q)) for q in qs] == [
        ("15 dự án", None),
        ("96,5 triệu USD", None),
        ("298,08 triệu USD", None),
        ("12 triệu USD", ("increase", "same_period")),
    ]


def test_a_year_after_a_share_is_its_year_not_a_basis() -> None:
    qs = tag_quantities(
        "Tỷ trọng dịch vụ từ 27,5% năm 2020 lên 32,5% năm 2024, bằng 95% so với năm 2023.",
        report_year=2024,
    )
    assert [(q.text, comp(q)) for q in qs] == [
        ("27,5%", None),
        ("32,5%", None),
        ("95%", ("ratio", "same_period")),
    ]


def test_growth_is_an_increase_over_its_basis() -> None:
    """ "tăng trưởng X%" is a change, not a ratio; "cuối tháng trước" is last month."""
    qs = tag_quantities(
        "Huy động vốn được 13.664 tỷ đồng, tăng trưởng 1,19% so với cuối tháng trước, "
        "tương ứng tăng trưởng 13% so với cuối năm 2018.",
        report_year=2019,
    )
    assert [(q.text, comp(q)) for q in qs] == [
        ("13.664 tỷ đồng", None),
        ("1,19%", ("increase", "previous_period")),
        ("13%", ("increase", "other")),
    ]


@pytest.mark.parametrize(
    "sentence",
    [
        "Thực hiện Nghị quyết số 01/NQ-CP ngày 05/01/2024 của Chính phủ năm 2024.",
        "UBND tỉnh đã ban hành Kế hoạch số 287 ngày 19/01/2024.",
        "Theo Nghị định số 12/2023/NĐ-CP và Đề án số 06-ĐA/TU, Quyết định số 12 của tỉnh.",
        "Tăng cường phòng, chống dịch Covid-19 trong tháng 02/2024 và giai đoạn 2021-2030.",
        "Lễ hội lần thứ 23, đợt 1 năm 2024, Khóa 5 tại lớp 5, 9, 12.",
        "Công nhận trường đạt chuẩn mức 1, nâng lên mức 2, mức độ 3.",
        "Ngày Quốc tế Hạnh phúc 20/3/2024; kỷ niệm 94 năm ngày thành lập; tính chung 02 tháng.",
        "1. Về phát triển kinh tế",
        "(1) Vốn cân đối ngân sách địa phương",
    ],
)
def test_not_quantities(sentence: str) -> None:
    assert tag_quantities(sentence) == []


def test_no_marker_or_page_number_leaks_into_a_quantity(docs) -> None:
    for doc in docs.values():
        removed = [r for r in doc.clean.removed if r.kind in {"marker", "page-number"}]
        for q in doc.quantities:
            glued = re.search(r"[^\W\d_]\d+$", q.text)  # "con1", "tấn2" (but "m3" is a unit)
            assert not glued or q.text.endswith(("m2", "m3")), q.text
            assert not re.search(r"[¹²³⁴⁵⁶⁷⁸⁹⁰]", q.text.replace("m²", "").replace("m³", ""))
            s, e = doc.clean.source_span(q.start, q.end)
            for r in removed:
                assert not (s <= r.start < e), (q.text, doc.source.text[r.start : r.end])


def test_quantities_in_footnotes_know_their_footnote(lc2402) -> None:
    buffalo = find(lc2402, "92.400 con")
    assert lc2402.footnote_of(buffalo.start).number == 1
    assert lc2402.section_of(buffalo.start).label == "a"  # where the marker stands
    herd = find(lc2402, "349.090 con")
    assert lc2402.footnote_refs[herd.id] == 1
    cases = find(lc2402, "09 vụ")
    assert lc2402.footnote_refs[cases.id] == 4


def test_ids_are_sequential_and_spans_exact(docs) -> None:
    for doc in docs.values():
        assert [q.id for q in doc.quantities] == [
            f"q{i}" for i in range(1, len(doc.quantities) + 1)
        ]
        for q in doc.quantities:
            assert doc.text[q.start : q.end] == q.text


@pytest.mark.parametrize(
    "text",
    [
        # as printed at the end of statistics-office articles and in report footers
        "Nguồn: https://thongkelaichau.gso.gov.vn/default.aspx?tabid=706&ItemID=13412 đạt 7 ha",
        "Chi tiết xem tại www.gso.gov.vn/Default.aspx?tabid=382&ItemID=19041, đạt 7 ha",
        "xem laichau.gov.vn/bao-cao-ktxh-thang-9-2024/tin-12345.html; đạt 7 ha",
        "Mọi ý kiến gửi về vp2024@laichau.gov.vn. Diện tích đạt 7 ha",
    ],
)
def test_the_numbers_of_a_web_address_or_an_email_are_no_figures(text: str) -> None:
    """Numbers inside a URL ("...aspx?id=12345&cat=67") or an e-mail were facts."""
    assert [q.text for q in tag_quantities(text)] == ["7 ha"]


def test_a_figure_beside_a_dot_or_an_at_sign_is_still_read() -> None:
    qs = tag_quantities("Giá trị đạt 1.234 tỷ đồng.Tăng 5% so với cùng kỳ; tỷ lệ 9 @ 10 điểm")
    assert [q.text for q in qs][:2] == ["1.234 tỷ đồng", "5%"]


@pytest.mark.parametrize(
    ("text", "figures"),
    [
        # as printed in the samples (Lai Châu 2023, 2024-02) and variants of our own
        ("Trẻ em < 1 tuổi TCĐĐ 8 loại vắc xin 412 trẻ", ["8 loại", "412 trẻ"]),
        ("tỷ lệ trẻ em dưới 5 tuổi suy dinh dưỡng còn 17,5%", ["17,5%"]),
        ("Tiêm chủng cho đối tượng từ 12 đến 17 tuổi được 2.345 người", ["2.345 người"]),
        ("phổ cập giáo dục mầm non cho trẻ 5 tuổi: 108/108 xã đạt chuẩn", ["108/108 xã"]),
        ("Trẻ 18 tháng tuổi tiêm sởi – rubella 762 trẻ", ["762 trẻ"]),
        ("người từ 60 tuổi trở lên được tặng quà là 1.200 người", ["1.200 người"]),
        # an age that is the figure stays
        ("Tuổi thọ trung bình đạt 73,5 tuổi", ["73,5 tuổi"]),
        ("tuổi thọ người dân đạt trên 74 tuổi", ["74 tuổi"]),
        ("độ tuổi bình quân của lao động là 38 tuổi", ["38 tuổi"]),
    ],
)
def test_an_age_that_names_a_group_is_no_figure(text: str, figures: list[str]) -> None:
    """ "18 tuổi" that only says who is counted became a fact of its own (issue 21)."""
    assert [q.text for q in tag_quantities(text)] == figures
