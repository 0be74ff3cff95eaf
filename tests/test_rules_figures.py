"""What the rules make of real phrasing beyond the samples (issue 21): changes printed
with no level as facts of their own, periods set by the text before the sentence, stocks
held at a date, names that name the measure, and the columns a pivot needs.

The sentences are from real passages (tests/relations_real, tests/relations_collected,
tests/gold/periods: Quảng Ninh P17, Cần Thơ, Đà Nẵng P06, Long An P13, Trà Vinh P14,
Điện Biên P10, Cao Bằng P02/P03) or variants of our own, marked as such.
"""

from __future__ import annotations

from extractor import extract
from extractor.catalog import load_catalog
from extractor.document import Document, analyse_bytes
from extractor.extraction.revision import _unit_fits
from extractor.metadata import ReportMeta
from extractor.records import Fact


def document(body: str, meta: ReportMeta | None = None) -> Document:
    """``body`` as a user's file: its metadata read from its own text unless given."""
    return analyse_bytes(body.encode("utf-8"), "passage.txt", meta)


def monthly(body: str) -> Document:
    text = f"BÁO CÁO tình hình kinh tế - xã hội tháng 9 năm 2024\n\nI. Kinh tế\n{body}\n"
    return document(text, ReportMeta(province="Lai Châu", year=2024, month=9, kind="monthly"))


def facts(doc: Document) -> dict[str, Fact]:
    return {f.text: f for f in extract(doc).facts}


# --- changes printed with no level ---------------------------------------------------


def test_an_industrial_production_index_and_its_sectors_are_facts() -> None:
    """Statistics-office phrasing: the headline IIP change and the sector changes of its
    "Trong đó:" list, each a row with its measure, basis and period."""
    got = facts(
        monthly(
            "Chỉ số sản xuất công nghiệp (IIP) tháng 9 tăng 2,35% so tháng trước. Trong đó: "
            "Khai khoáng tăng 1,20%; chế biến, chế tạo tăng 2,5%; sản xuất và phân phối điện "
            "giảm 0,8%."
        )
    )
    iip = got["2,35%"]
    assert (iip.indicator, iip.code, iip.period) == (
        "Chỉ số sản xuất công nghiệp (IIP)",
        "iip_change",
        "month",
    )
    assert (iip.measure, iip.basis, iip.direction) == ("change_pct", "previous_period", "increase")
    assert got["1,20%"].indicator == "Chỉ số sản xuất công nghiệp (IIP) - Khai khoáng"
    assert got["2,5%"].indicator.endswith("- chế biến, chế tạo")
    power = got["0,8%"]
    assert (power.direction, power.period, power.code) == ("decrease", "month", None)


def test_two_changes_of_a_price_index_are_two_rows() -> None:
    """Cần Thơ (batch E): "CPI tháng 4-2024 ... tăng 0,36% so với tháng trước và tăng
    3,9% so với cùng kỳ năm trước"; then the average of the months to date."""
    got = facts(
        document(
            "(CT) - Theo Cục Thống kê TP Cần Thơ, chỉ số giá tiêu dùng (CPI) tháng 4-2024 của "
            "thành phố tăng 0,36% so với tháng trước và tăng 3,9% so với cùng kỳ năm trước. "
            "Chỉ số giá bình quân 4 tháng năm 2024 tăng 3,26% so với bình quân cùng kỳ năm "
            "trước.\n"
        )
    )
    month, year_ago = got["0,36%"], got["3,9%"]
    assert month.code == year_ago.code == "cpi_change"
    assert (month.basis, year_ago.basis) == ("previous_period", "same_period")
    assert month.period == year_ago.period == "month"
    assert got["3,26%"].period == "ytd"


def test_growth_printed_as_a_rate_keeps_its_sectors() -> None:
    """Our variant of the issue's "GRDP 6 tháng ước đạt 6,5%": the growth is named GRDP,
    in the catalog's words (not "6 tháng đầu năm"), the sectors after "trong đó" are rows
    of their own."""
    got = facts(
        monthly(
            "GRDP 6 tháng ước đạt 6,5%, trong đó khu vực nông, lâm nghiệp và thủy sản tăng "
            "3,1%; khu vực công nghiệp và xây dựng tăng 8,2%."
        )
    )
    assert (got["6,5%"].indicator, got["6,5%"].period, got["6,5%"].measure) == (
        "Tốc độ tăng tổng sản phẩm trên địa bàn (GRDP)",
        "ytd",
        "rate",
    )
    farm = got["3,1%"]
    assert (farm.code, farm.period, farm.measure) == ("grdp_agriculture", "ytd", "change_pct")
    assert got["8,2%"].code == "grdp_industry_construction"


def test_a_change_of_the_level_before_it_stays_its_comparison() -> None:
    """A change after a level is that level's comparison, as before; one in a bracket
    after a verb ("tăng mạnh (trên 40%)") is a remark, not a row."""
    got = facts(
        monthly(
            "Tổng mức bán lẻ hàng hóa ước đạt 3.470 tỷ đồng, tăng 0,6% so với tháng trước. "
            "Sức mua thời điểm giáp tết lại tăng mạnh (trên 40%)."
        )
    )
    assert [c.text for c in got["3.470 tỷ đồng"].comparisons] == ["0,6%"]
    assert "0,6%" not in got
    assert got.get("40%") is None or got["40%"].measure not in ("change_pct", "index")


# --- periods --------------------------------------------------------------------------


def test_a_period_named_before_the_first_figure_holds_for_the_sentences_after() -> None:
    """Đà Nẵng P06: "trong 5 tháng đầu năm 2024, tổng lượng khách ... " then a sentence
    with no period word of its own."""
    got = facts(
        document(
            "(QNO) - Theo Cục Thống kê TP.Đà Nẵng, trong 5 tháng đầu năm 2024, tổng lượng "
            "khách lưu trú tại Đà Nẵng ước đạt 3.785 lượt, tăng 22,9% so cùng kỳ năm trước. "
            "Trong đó, khách trong nước đạt 2.281 nghìn lượt, tăng 20,4%; khách quốc tế đạt "
            "1.504 nghìn lượt.\n"
        )
    )
    assert {got[t].period for t in ("3.785 lượt", "2.281 nghìn lượt", "1.504 nghìn lượt")} == {
        "ytd"
    }


def test_clauses_after_a_semicolon_go_on_with_the_month_the_first_named() -> None:
    """Lạng Sơn H01, in a report whose own period is the year: "Diện tích thu hoạch
    trong tháng ước 837,5 ha ...; năng suất lúa đạt 46,87 tạ/ha ...; sản lượng đạt
    3.925,0 tấn" are the month's harvest, yield and output; a new sentence is not."""
    got = facts(
        document(
            "Báo cáo tình hình kinh tế - xã hội năm 2023\n\nCây ngô: Diện tích thu hoạch trong "
            "tháng ước 837,5 ha, tăng 0,58% so với cùng kỳ; năng suất lúa đạt 46,87 tạ/ha, "
            "tăng 0,25%; sản lượng đạt 3.925,0 tấn, tăng 0,83%. Sản lượng cả năm đạt 9.100 "
            "tấn.\n"
        )
    )
    assert [got[t].period for t in ("837,5 ha", "46,87 tạ/ha", "3.925,0 tấn")] == ["month"] * 3
    assert got["9.100 tấn"].period == "year"


def test_words_that_look_like_a_period_but_name_something_else() -> None:
    """Real phrasing where a period word is part of a name or of another figure's unit:
    Bắc Ninh E03 "5.500-5.700 USD/năm và tổng thu ngân sách ... 56.834 tỷ đồng" (the
    target's, not a year's), Cà Mau W11 "chi từ nguồn vốn chương trình, mục tiêu 1.424
    tỉ đồng" (the programmes, not a target), Nam Định Z09 "cây hàng năm khác còn lại
    552 ha" (annual crops, not a year); and the words that do say it: Sóc Trăng P19
    "diện tích lúa cả năm đạt 332.000 ha", Gia Lai P11 "30.000 tỉ đồng/năm"."""
    got = facts(
        monthly(
            "Theo đó, tỉnh phấn đấu GRDP bình quân đầu người đạt 5.500-5.700 USD/năm và tổng "
            "thu ngân sách nhà nước trên địa bàn đạt hơn 56.834 tỷ đồng.\n"
            "Tổng chi ngân sách đến ngày 29/9 là 11.259 tỉ đồng, đạt 96% dự toán; chi từ "
            "nguồn vốn chương trình, mục tiêu 1.424 tỉ đồng, đạt 84% dự toán.\n"
            "Diện tích gieo trồng rau màu vụ Mùa đạt 8.811 ha; cây hàng năm khác còn lại 552 "
            "ha.\n"
            "Nhờ diện tích lúa cả năm đạt 332.000 ha nên sản lượng tăng mạnh.\n"
            "Ngành cà phê mang về giá trị trung bình hơn 30.000 tỉ đồng/năm.\n"
        )
    )
    assert got["56.834 tỷ đồng"].period == "plan"
    assert got["1.424 tỉ đồng"].period == got["11.259 tỉ đồng"].period == "ytd"
    assert got["552 ha"].period == got["8.811 ha"].period == "ytd"
    assert got["332.000 ha"].period == "year"
    assert got["30.000 tỉ đồng/năm"].period == "year"


def test_a_level_at_a_point_in_time_keeps_its_date_through_its_changes() -> None:
    """Vĩnh Long Z16: "Chỉ số tồn kho tại thời điểm 01/8/2013 ... tăng 6,96% so với
    tháng trước và tăng 61,56% so với cùng thời điểm năm trước": inventory at a date, not
    a month's flow; a flow's change on the month before is still the month's."""
    got = facts(
        monthly(
            "Chỉ số tồn kho tại thời điểm 01/8/2013 của ngành công nghiệp chế biến, chế tạo "
            "tăng 6,96% so với tháng trước và tăng 61,56% so với cùng thời điểm năm trước. "
            "Chỉ số sản xuất công nghiệp tăng 2,1% so với tháng trước.\n"
        )
    )
    assert (got["6,96%"].period, got["61,56%"].period) == ("as_of", "as_of")
    assert got["2,1%"].period == "month"


def test_a_bracket_after_the_same_period_prints_the_earlier_level() -> None:
    """Đắk Lắk C07: "tăng 7,9 % so với cùng kỳ năm trước (lũy kế 12 tháng năm 2019 đạt
    16.500 tỷ đồng)" is last year's level (``other``); a bracket of parts after the same
    basis is not (Thanh Hóa P31 "(trong đó khách quốc tế đạt 7.540 lượt khách ...)")."""
    got = facts(
        monthly(
            "Lũy kế 9 tháng ước thực hiện đạt 17.805 tỷ đồng, tăng 7,9 % so với cùng kỳ năm "
            "trước (lũy kế 9 tháng năm 2023 đạt 16.500 tỷ đồng), đạt 78,4 % kế hoạch năm. "
            "Lũy kế 9 tháng đón 29.500 lượt khách, tăng 12% so với cùng kỳ năm 2023 (trong "
            "đó khách quốc tế đạt 7.540 lượt khách, tăng 28%).\n"
        )
    )
    assert (got["17.805 tỷ đồng"].period, got["16.500 tỷ đồng"].period) == ("ytd", "other")
    assert got["7.540 lượt khách"].period == "ytd"


def test_a_sentence_opening_on_trong_do_lists_the_parts_of_the_level_before() -> None:
    """Lào Cai's "Dư nợ ... ước đạt 56.800 tỷ đồng, tăng 2,15% so với cuối năm 2023.
    Trong đó, dư nợ doanh nghiệp đạt 19.400 tỷ đồng" and Lai Châu's "Khai thác gỗ:
    1.573,6 m3; trong đó, khai thác chính 1.363,2 m3": the parts of the one level before.
    Not when the sentence before has two levels (Hậu Giang F15: the month's and the
    year's so far) or prints its total only as a change (Đà Nẵng C04)."""
    got = facts(
        monthly(
            "Dư nợ đến 29/9/2024 ước đạt 56.800 tỷ đồng, tăng 2,15% so với cuối năm 2023. "
            "Trong đó, dư nợ doanh nghiệp đạt 19.400 tỷ đồng.\n"
            "Khai thác gỗ: 1.573,6 m3; trong đó, khai thác chính 1.363,2 m3, khai thác cây "
            "phân tán 210,4 m3.\n"
            "Ước tổng chi ngân sách tháng 9 được 1.439.323 triệu đồng, luỹ kế được 7.526.569 "
            "triệu đồng. Trong đó, chi xây dựng cơ bản được 856.561 triệu đồng.\n"
            "Tính chung 9 tháng, tổng mức bán lẻ tăng 11,8% so với cùng kỳ năm trước. Trong "
            "đó doanh thu bán lẻ hàng hóa ước đạt 23.628 tỷ đồng.\n"
        )
    )
    loans, timber = got["56.800 tỷ đồng"], got["1.573,6 m3"]
    assert got["19.400 tỷ đồng"].parent == loans.id
    assert got["19.400 tỷ đồng"].period == "as_of"
    assert got["1.363,2 m3"].parent == got["210,4 m3"].parent == timber.id
    assert got["856.561 triệu đồng"].parent is None
    assert got["23.628 tỷ đồng"].parent is None
    # a text opening on "Trong đó" has no level before it
    alone = facts(monthly("Trong đó, khách quốc tế ước đạt 1,2 triệu lượt."))
    assert alone["1,2 triệu lượt"].parent is None


def test_a_figure_aimed_at_is_a_target() -> None:
    """Trà Vinh E15: "để đảm bảo 100% người nghèo và cận nghèo được nhận quà Tết" is
    what the province aims at, not a result (the gifts given are)."""
    got = facts(
        monthly(
            "Dịp Tết Nguyên đán này, để đảm bảo 100% người nghèo và cận nghèo được nhận quà "
            "Tết, tỉnh trao tặng trên 25.000 suất quà Tết.\n"
        )
    )
    assert got["100%"].period == "plan"
    gifts = next(f for f in got.values() if f.value == 25000)
    assert gifts.period != "plan"


def test_the_start_of_a_month_is_a_date_not_that_months_figure() -> None:
    """An Giang W09: "đến đầu tháng 10 đã xuống giống 11.463ha" is the season's sowing to
    that date, not October's."""
    got = facts(monthly("Đối với rau màu, đến đầu tháng 10 đã xuống giống 11.463ha.\n"))
    assert got["11.463ha"].period == "ytd"


def test_a_figure_compared_with_the_month_before_is_the_months() -> None:
    """Gia Lai M11 and Lào Cai's sample: after a sentence of figures to date, "đạt 85,5
    điểm, tăng 8,48 điểm so với tháng 7" and "Tổng thu từ khách du lịch đạt khoảng 1.875
    tỷ đồng, tăng 12% so với tháng trước" are the month's; a figure compared with the
    same period of last year keeps the frame (our variant)."""
    got = facts(
        monthly(
            "Lũy kế từ đầu năm đến tháng 9, toàn tỉnh có 135 dự án với tổng vốn hơn 74.300 "
            "tỷ đồng. Chỉ số phục vụ người dân, doanh nghiệp đạt 85,5 điểm, tăng 8,48 điểm so "
            "với tháng 8. Tổng thu từ khách du lịch đạt khoảng 1.875 tỷ đồng, tăng 12% so với "
            "tháng trước. Doanh thu lưu trú đạt 640 tỷ đồng, tăng 9% so với cùng kỳ.\n"
        )
    )
    assert (got["85,5 điểm"].period, got["1.875 tỷ đồng"].period) == ("month", "month")
    assert got["640 tỷ đồng"].period == "ytd"


def test_a_count_of_targets_set_is_no_result() -> None:
    """Hải Dương H08 "UBND tỉnh Hải Dương đề ra 15 chỉ tiêu kinh tế - xã hội năm 2025",
    Bắc Ninh E03 "quyết nghị 16 nghị quyết", "kỳ họp đã xác định 18 chỉ tiêu": the size
    of a set of targets (``other``); targets met are the period's result (Nghệ An F05
    "có 27/28 chỉ tiêu chủ yếu đạt và vượt kế hoạch")."""
    got = facts(
        monthly(
            "UBND tỉnh đề ra 15 chỉ tiêu kinh tế - xã hội năm 2025. Kỳ họp đã xem xét, quyết "
            "nghị 16 nghị quyết quan trọng. Trong năm 2024, có 27/28 chỉ tiêu chủ yếu đạt và "
            "vượt kế hoạch đề ra.\n"
        )
    )
    assert (got["15"].period, got["16"].period) == ("other", "other")
    assert got["27/28"].period == "year"


def test_a_growth_rate_it_rose_from_is_an_earlier_periods() -> None:
    """Ninh Thuận Z13: "từ mức sơ bộ tăng 7,85% của 6 tháng đầu năm đã tăng lên 8,67%
    của 9 tháng đầu năm": 7,85% is the half year's, printed to compare."""
    got = facts(
        monthly(
            "Tăng trưởng kinh tế đã cải thiện, từ mức sơ bộ tăng 7,85% của 6 tháng đầu năm đã "
            "tăng lên 8,67% của 9 tháng đầu năm.\n"
        )
    )
    assert got["7,85%"].period == "other"
    assert got["8,67%"].period == "ytd"


def test_the_year_of_a_basis_is_not_the_figures() -> None:
    """Ninh Bình E08: "trong 5 ngày nghỉ lễ, ... tăng 48,9% so với dịp nghỉ lễ năm 2024,
    trong đó có trên 124.000 lượt khách quốc tế": the holiday's visitors, not 2024's."""
    got = facts(
        monthly(
            "Trong 5 ngày nghỉ lễ, toàn tỉnh ước đón trên 700.000 lượt du khách, tăng 48,9% "
            "so với dịp nghỉ lễ năm 2024, trong đó có trên 124.000 lượt khách quốc tế.\n"
        )
    )
    assert got["124.000 lượt khách"].period == got["700.000 lượt"].period == "other"


def test_a_paragraph_opened_by_a_period_singled_out_is_that_periods() -> None:
    """Khánh Hòa L04 and TP.HCM Z14: "Riêng quý 3 năm 2024, ... 3,8 triệu lượt. Trong đó,
    khách quốc tế ..."; the quarter holds for its paragraph, not for the next one (our
    variant), and "riêng" inside a sentence still frames nothing after it."""
    got = facts(
        monthly(
            "9 tháng năm 2024, toàn tỉnh đón khoảng 9 triệu lượt khách lưu trú.\n"
            "Riêng quý 3 năm 2024, tổng lượt khách ước đạt 3,8 triệu lượt. Trong đó, khách "
            "quốc tế ước đạt 1,2 triệu lượt. Tổng doanh thu du lịch ước đạt hơn 18.092 tỷ "
            "đồng.\n"
            "Khách nội địa ước đạt 5,4 triệu lượt.\n"
            "Lũy kế 9 tháng đạt 1.500 tỷ đồng; riêng tháng 9 đạt 200 tỷ đồng. Doanh thu "
            "lưu trú ước đạt 90 tỷ đồng.\n"
        )
    )
    quarter = ("3,8 triệu lượt", "1,2 triệu lượt", "18.092 tỷ đồng")
    assert [got[t].period for t in quarter] == ["quarter"] * 3
    assert got["5,4 triệu lượt"].period != "quarter"
    assert (got["200 tỷ đồng"].period, got["90 tỷ đồng"].period) == ("month", "ytd")


def test_a_year_to_date_clause_after_a_months_figure_does_not_carry_on() -> None:
    """The monthly reports' shape: "trong tháng ... , lũy kế ..." sets only its clause."""
    got = facts(
        monthly(
            "Sản lượng cây ăn quả trong tháng ước đạt 2.200 tấn, lũy kế từ đầu năm đạt 4.200 "
            "tấn. Sản lượng thủy sản ước đạt 150 tấn."
        )
    )
    assert (got["2.200 tấn"].period, got["4.200 tấn"].period) == ("month", "ytd")
    assert got["150 tấn"].period == "month"


def test_quarters_and_the_whole_year() -> None:
    """Quảng Ninh P16 ("quý I/2023"), Cao Bằng P03 ("tính đến hết tháng 12/2019")."""
    got = facts(
        document(
            "Quý II/2024, tổng sản phẩm trên địa bàn tăng 6,2% so với cùng kỳ. Theo số liệu "
            "tính đến hết tháng 12/2019, toàn tỉnh đón 1.549.346 lượt khách.\n"
        )
    )
    assert (got["6,2%"].period, got["6,2%"].indicator) == ("quarter", "tổng sản phẩm trên địa bàn")
    assert got["1.549.346 lượt khách"].period == "year"


def test_levels_held_at_a_date_and_events_counted_to_date() -> None:
    """Long An P13: firms operating "đến nay" are a stock; firms founded "từ đầu năm đến
    nay" and firms suspending are counts of events to date."""
    got = facts(
        monthly(
            "Từ đầu năm đến nay, trên địa bàn tỉnh có thêm 1.180 doanh nghiệp thành lập mới. "
            "Cùng thời gian này, trên địa bàn tỉnh có 180 doanh nghiệp đăng ký tạm ngừng kinh "
            "doanh. Đến nay, trên địa bàn tỉnh có 8.350 doanh nghiệp đăng ký hoạt động."
        )
    )
    assert got["8.350 doanh nghiệp"].period == "as_of"
    assert got["1.180 doanh nghiệp"].period == "ytd"
    assert got["180 doanh nghiệp"].period != "as_of"
    assert got["8.350 doanh nghiệp"].indicator == "doanh nghiệp đăng ký hoạt động"


def test_the_items_of_a_list_of_things_held_take_its_period() -> None:
    """Trà Vinh P14: "Trong đó có trên 100 cơ sở ...; 01 trang trại ..." — the items after
    the first have no verb of their own."""
    got = facts(
        monthly(
            "Trong đó có trên 100 cơ sở, trang trại chăn nuôi heo; 01 trang trại chăn nuôi dê "
            "quy mô lớn; 36 cơ sở chăn nuôi gia cầm."
        )
    )
    assert {got[t].period for t in ("100 cơ sở", "01 trang trại", "36 cơ sở")} == {"as_of"}
    assert got["01 trang trại"].indicator == "trang trại chăn nuôi dê quy mô lớn"


def test_a_part_takes_the_period_of_its_total() -> None:
    """Our variant: the total's period is worded, its parts' are not."""
    got = facts(
        monthly(
            "Lũy kế 9 tháng, tổng thu ngân sách nhà nước đạt 812 tỷ đồng. Trong đó: thu nội "
            "địa 700 tỷ đồng; thu từ hoạt động xuất nhập khẩu 112 tỷ đồng."
        )
    )
    assert {got[t].period for t in ("812 tỷ đồng", "700 tỷ đồng", "112 tỷ đồng")} == {"ytd"}
    assert (got["700 tỷ đồng"].code, got["112 tỷ đồng"].code) == (
        "budget_domestic_revenue",
        "budget_trade_revenue",
    )


def test_the_reference_date_of_a_stock() -> None:
    got = facts(
        monthly(
            "Tính đến ngày 20/9/2024, tổng dư nợ tín dụng đạt 21.500 tỷ đồng. Tổng đàn trâu "
            "hiện có 45.000 con."
        )
    )
    debt = got["21.500 tỷ đồng"]
    assert (debt.period, debt.period_date) == ("as_of", "2024-09-20")
    herd = got["45.000 con"]
    assert (herd.period, herd.period_date, herd.code) == ("as_of", None, "buffalo_herd")


def test_a_disbursement_in_a_text_read_as_a_plan_is_no_plan() -> None:
    """Điện Biên P10: a passage that opens on the year's allocation reads as a plan; the
    sums disbursed "đến hết tháng 6" are what was done to date."""
    got = facts(
        document(
            "Tổng vốn đầu tư ngân sách Nhà nước năm 2025 được Thủ tướng Chính phủ giao cho "
            "tỉnh Điện Biên là hơn 3.196 tỷ đồng. Đến hết tháng 6, tỉnh đã giải ngân khoảng "
            "1.249 tỷ đồng, đạt 39,07% kế hoạch.\n"
        )
    )
    assert got["1.249 tỷ đồng"].period == "ytd"
    assert got["1.249 tỷ đồng"].code == "public_investment_disbursed"


# --- names ----------------------------------------------------------------------------


def test_names_leave_the_place_and_the_subjects_verb_out() -> None:
    """Cao Bằng P02: "Cao Bằng đã đón gần 270.000 lượt khách du lịch trong nước và quốc
    tế" — the name is what was counted, not "Cao Bằng đã đón"."""
    got = facts(
        document(
            "6 tháng đầu năm 2013, Cao Bằng đã đón gần 270.000 lượt khách du lịch trong nước "
            "và quốc tế. Doanh thu du lịch đến Cao Bằng ước đạt trên 40 tỷ đồng.\n"
        )
    )
    assert got["270.000 lượt khách"].indicator == "lượt khách du lịch trong nước và quốc tế"
    assert got["40 tỷ đồng"].indicator == "Doanh thu du lịch"
    assert got["40 tỷ đồng"].code == "tourism_revenue"


# --- columns to pivot on --------------------------------------------------------------


def test_every_fact_has_its_base_value_and_scale_word() -> None:
    """The spreadsheet example of the issue: 133,33 beside unit "đồng" is in tỷ đồng."""
    got = facts(monthly("Tổng doanh thu du lịch ước đạt 133,33 tỷ đồng; khách đạt 5.210 lượt."))
    revenue = got["133,33 tỷ đồng"]
    assert (revenue.value, revenue.unit, revenue.scale_word, revenue.base_value) == (
        133.33,
        "đồng",
        "tỷ",
        133330000000,
    )
    visitors = got["5.210 lượt"]
    assert (visitors.scale_word, visitors.base_value, visitors.measure) == (None, 5210, "level")


def test_a_fractions_denominator_says_whether_it_is_the_plan_or_the_whole() -> None:
    """The y of a printed x/y: the plan when the percentage of plan beside it is x / y
    (Yên Bái C13: 749.648 / 820.000 = 91,4%) or "theo kế hoạch" follows it (Sóc
    Trăng S15); otherwise the whole the count is taken from (Bà Rịa - Vũng Tàu E02
    "7/16 khoản thu", Sóc Trăng H12 "75/80 xã"), also when a plan is named later in the
    clause."""
    got = facts(
        monthly(
            "Đến nay, tổng đàn gia súc chính toàn tỉnh đạt 749.648/820.000 con, bằng 91,4% "
            "kế hoạch năm. Toàn tỉnh đã xuống giống hơn 79.000/171.000ha theo kế hoạch. "
            "Thu ngân sách đạt 3.200 tỷ đồng, trong đó, 7/16 khoản thu đạt và vượt tiến độ. "
            "Với 75/80 xã đạt chuẩn nông thôn mới. Có 27/28 chỉ tiêu chủ yếu đạt và vượt kế "
            "hoạch đề ra."
        )
    )
    assert got["749.648/820.000 con"].denominator_of == "plan"
    assert got["79.000/171.000ha"].denominator_of == "plan"
    assert got["7/16"].denominator_of == "total"
    assert got["75/80 xã"].denominator_of == "total"
    assert got["27/28"].denominator_of == "total"
    assert got["3.200 tỷ đồng"].denominator_of is None
    # our variant: a plan share that is not x / y leaves y the whole
    mismatch = facts(monthly("Tổng đàn lợn đạt 600/820 con, bằng 91,4% kế hoạch năm."))
    assert mismatch["600/820 con"].denominator_of == "total"


def test_a_model_cannot_code_people_as_a_count_of_cases() -> None:
    """The hybrid draft's "230 người" coded traffic_accidents: the unit rules it out."""
    catalog = load_catalog()
    doc = monthly("Có 230 người đã hoàn thành nghĩa vụ; xảy ra 08 vụ tai nạn giao thông.")
    people = next(q for q in doc.quantities if q.text == "230 người")
    cases = next(q for q in doc.quantities if q.text == "08 vụ")
    accidents, jobs = catalog.get("traffic_accidents"), catalog.get("jobs_created")
    assert accidents is not None and jobs is not None
    assert not _unit_fits(accidents, people)
    assert _unit_fits(accidents, cases)
    assert not _unit_fits(jobs, cases)


def test_a_model_needs_the_words_of_a_year_to_date() -> None:
    """The recorded hybrid answer that read "143,381 tỷ đồng" (Lai Châu 2024-02, a count
    of the month after a "lũy kế" clause of the sentence before) as ytd."""
    from extractor.extraction.revision import Grounds, _period_worded

    text = (
        "Lũy kế thành lập mới 21 doanh nghiệp. Quyết định chủ trương đầu tư 02 dự án với "
        "tổng vốn là 143,381 tỷ đồng. Lũy kế 2 tháng đạt 900 tỷ đồng."
    )
    doc = monthly(text)
    grounds = Grounds(doc.text, "monthly")
    month = next(q for q in doc.quantities if q.text == "143,381 tỷ đồng")
    to_date = next(q for q in doc.quantities if q.text == "900 tỷ đồng")
    assert not _period_worded("ytd", month, grounds)
    assert _period_worded("ytd", to_date, grounds)
    assert _period_worded("month", month, grounds)


# --- bases printed before the change, periods of the sentence's own clauses -------------


def test_a_basis_printed_before_its_change_makes_it_a_months_change() -> None:
    """Hà Giang (gold N01): "so với tháng trước tăng 10,02%" after a "cộng dồn" sentence
    that must not make the next sentence's changes year-to-date; names lose the basis."""
    got = facts(
        monthly(
            "Chỉ số phát triển sản xuất công nghiệp tháng 9 so với tháng trước tăng 14,83%, so "
            "với cùng kỳ năm trước tăng 5,77%. Chỉ số cộng dồn so với cùng kỳ năm trước tăng "
            "6,47%. Chia theo ngành công nghiệp cấp 1, gồm:\n- Chỉ số ngành công nghiệp khai "
            "khoáng so với tháng trước tăng 10,02%, so với cùng kỳ năm trước tăng 7,31%."
        )
    )
    assert "1" not in got  # "cấp 1" is a level of a classification, not a figure
    first, mining, mining_year = got["14,83%"], got["10,02%"], got["7,31%"]
    assert (first.basis, first.period) == ("previous_period", "month")
    assert first.indicator == "Chỉ số phát triển sản xuất công nghiệp"
    assert got["5,77%"].indicator == first.indicator
    assert (mining.basis, mining.period) == ("previous_period", "month")
    assert mining.indicator == mining_year.indicator == "Chỉ số ngành công nghiệp khai khoáng"
    assert (mining_year.basis, mining_year.period) == ("same_period", "month")
    assert got["6,47%"].period == "ytd"


def test_a_basis_before_a_list_is_the_basis_of_each_item() -> None:
    """Nghệ An (gold N05): the basis printed once before the colon; the chart caption
    naming "tháng 9 và 9 tháng" frames nothing; the count of groups is no change's level."""
    got = facts(
        monthly(
            "Tốc độ tăng/giảm CPI tháng 9 và 9 tháng các năm giai đoạn 2020-2024 (%).\n"
            "Trong số 11 nhóm hàng hóa và dịch vụ chính có 4 nhóm hàng hóa có chỉ số giá giảm "
            "so với tháng trước đó là: Giao thông giảm 4,7%; Giáo dục giảm 1,06%; Đồ uống và "
            "thuốc lá giảm 0,4%."
        )
    )
    for number, name in (("4,7%", "Giao thông"), ("1,06%", "Giáo dục")):
        assert (got[number].indicator, got[number].basis) == (name, "previous_period")
        assert got[number].period == "month"
    assert got["4 nhóm"].comparisons == ()


def test_a_basis_opening_the_sentence_holds_for_its_list() -> None:
    """Vĩnh Phúc (gold N03) and our variant with a later basis of its own."""
    doc = monthly(
        "So với tháng trước, ngành khai khoáng tăng 4,44%; công nghiệp chế biến, chế tạo tăng "
        "13,08%. So với tháng trước, doanh thu tăng 2,1%, so với cùng kỳ tăng 7,5%."
    )
    bases = {q.text: q.comparison.basis for q in doc.quantities if q.comparison}
    assert bases == {
        "4,44%": "previous_period",
        "13,08%": "previous_period",
        "2,1%": "previous_period",
        "7,5%": "same_period",
    }


def test_a_month_singled_out_is_that_sentences_alone() -> None:
    """Thái Nguyên (gold N12): "riêng tháng 2" inside a two-month passage; the capital of
    the enterprises held at the end is held too, and the department of planning is no plan."""
    got = facts(
        document(
            "Thông tin từ Sở Kế hoạch và Đầu tư, trong 2 tháng đầu năm 2017, toàn tỉnh có 85 "
            "doanh nghiệp thành lập mới với tổng số vốn đăng ký 937,3 tỷ đồng. Trong đó, riêng "
            "tháng 2, Sở Kế hoạch và Đầu tư đã cấp phép thành lập mới cho 42 doanh nghiệp với "
            "tổng vốn đăng ký 221 tỷ đồng.\nBên cạnh đó, Sở Kế hoạch và Đầu tư đã cấp phép thành "
            "lập 24 đơn vị trực thuộc, giải thể 16 doanh nghiệp. Như vậy, tính đến thời điểm "
            "này, toàn tỉnh có 5.553 doanh nghiệp với tổng vốn đăng ký 40.431 tỷ đồng.\n"
        )
    )
    assert got["85 doanh nghiệp"].period == got["937,3 tỷ đồng"].period == "ytd"
    assert got["42 doanh nghiệp"].period == got["221 tỷ đồng"].period == "month"
    assert got["24 đơn vị"].period == got["16 doanh nghiệp"].period == "ytd"
    assert got["5.553 doanh nghiệp"].period == got["40.431 tỷ đồng"].period == "as_of"


def test_sowing_to_a_date_is_the_season_so_far() -> None:
    """Bắc Giang (gold N15): "tính đến ngày 03/10/2011, toàn tỉnh gieo trồng được 4.137 ha"
    is cumulative though the catalog keeps sown areas as levels; an area held is not."""
    got = facts(
        monthly(
            "Tính đến ngày 03/10/2024, toàn tỉnh gieo trồng được 4.137 ha cây vụ Đông, trong đó, "
            "cây ngô trồng được 1.022 ha. Diện tích cà phê hiện có 3.000 ha."
        )
    )
    assert got["4.137 ha"].period == got["1.022 ha"].period == "ytd"
    assert got["3.000 ha"].period == "as_of"


def test_a_figure_of_an_earlier_year_and_a_holiday_are_other() -> None:
    """An Giang (P20): "cao hơn mức tăng 0.55% của năm 2017" is 2017's figure, and the
    sector after it is the report year's again; Bắc Kạn (P24): a holiday's figures."""
    got = facts(
        document(
            "Tổng sản phẩm trên địa bàn tỉnh (GRDP) năm 2018 tăng 6.52% so cùng kỳ năm trước. "
            "Trong đó, khu vực nông, lâm nghiệp và thuỷ sản tăng 2.04% (đóng góp 0.65 điểm "
            "phần trăm vào tăng trưởng chung) cao hơn mức tăng 0.55% của năm 2017; khu vực "
            "dịch vụ tăng 8.64%.\n\nTrong dịp nghỉ Lễ Quốc khánh 2-9 (từ 31/8 đến hết ngày "
            "03/9/2024), lượng khách đạt khoảng 40.000 lượt. Trong đó lượt khách quốc tế đạt "
            "khoảng 150 lượt.\n",
            ReportMeta(year=2018, kind="annual"),
        )
    )
    assert got["0.55%"].period == "other"
    assert got["2.04%"].period == got["8.64%"].period == "year"
    assert got["0.55%"].indicator == got["2.04%"].indicator
    assert got["0.65 điểm phần trăm"].indicator == (
        f"{got['2.04%'].indicator} - đóng góp vào tăng trưởng"
    )
    assert got["40.000 lượt"].period == got["150 lượt"].period == "other"


def test_a_year_named_as_a_clause_or_before_the_verb() -> None:
    """Hà Nam (P33): "Về thu hút ... (FDI), năm 2018 có 46 dự án", "vốn bổ sung năm 2018
    đạt 529,8 triệu USD" in a nine-month report; not "02 tháng đầu năm 2024 ước đạt"."""
    got = facts(
        monthly(
            "Về thu hút vốn đầu tư trực tiếp nước ngoài (FDI), năm 2018 có 46 dự án được cấp "
            "phép mới. Tính chung tổng vốn đăng ký của các dự án FDI cấp mới và cấp vốn bổ sung "
            "năm 2018 đạt 529,8 triệu USD. Lũy kế 02 tháng đầu năm 2024 ước đạt 6.920 tỷ đồng."
        )
    )
    assert got["46 dự án"].period == got["529,8 triệu USD"].period == "year"
    assert got["6.920 tỷ đồng"].period == "ytd"


def test_a_part_in_brackets_carries_its_own_changes() -> None:
    """Long An (P15): "gạo (412.354 tấn đạt 137,8% kế hoạch và tăng 23,6% so với cùng
    kỳ)": the bracket's figure is named by the word before it and keeps its changes."""
    got = facts(
        monthly(
            "Một số mặt hàng xuất khẩu chủ yếu của tỉnh trong 11 tháng bao gồm gạo (412.354 "
            "tấn đạt 137,8% kế hoạch và tăng 23,6% so với cùng kỳ); hàng may mặc (367,2 triệu "
            "USD đạt 102% kế hoạch)."
        )
    )
    rice = got["412.354 tấn"]
    assert rice.indicator.endswith("gạo")
    assert [c.text for c in rice.comparisons] == ["137,8%", "23,6%"]
    assert [c.text for c in got["367,2 triệu USD"].comparisons] == ["102%"]


def test_signed_changes_in_brackets_are_the_figures() -> None:
    """Tây Ninh (gold S02): "giảm nhẹ so tháng trước (-1,54%) và tăng so với tháng cùng kỳ
    (+21.13%)", then sectors "công nghiệp khai khoáng (-6,51%); ..." after a basis and a
    colon."""
    got = facts(
        monthly(
            "Tháng 9/2024, chỉ số sản xuất công nghiệp giảm nhẹ so tháng trước (-1,54%) và tăng "
            "so với tháng cùng kỳ (+21.13%). Các phân ngành kinh tế cấp I giảm so với tháng "
            "trước: công nghiệp khai khoáng (-6,51%); công nghiệp chế biến, chế tạo (-1,49%)."
        )
    )
    whole, year_ago = got["-1,54%"], got["+21.13%"]
    assert whole.indicator == year_ago.indicator == "chỉ số sản xuất công nghiệp"
    assert (whole.basis, whole.direction, year_ago.basis) == (
        "previous_period",
        "decrease",
        "same_period",
    )
    mining = got["-6,51%"]
    assert (mining.indicator, mining.basis, mining.period) == (
        "công nghiệp khai khoáng",
        "previous_period",
        "month",
    )
    assert got["-1,49%"].indicator == "công nghiệp chế biến, chế tạo"


def test_the_changes_of_one_index_go_on_after_a_semicolon() -> None:
    """Đồng Tháp (gold S05): "CPI ... giảm 0,11% so với tháng trước; tăng 3,23% so cùng kỳ
    năm trước; so với tháng 12 năm trước tăng 1,19%" are three rows of the CPI."""
    got = facts(
        monthly(
            "Chỉ số giá tiêu dùng (CPI) tháng 9 năm 2024 giảm 0,11% so với tháng trước; tăng "
            "3,23% so cùng kỳ năm trước; so với tháng 12 năm trước tăng 1,19%."
        )
    )
    rows = [got["0,11%"], got["3,23%"], got["1,19%"]]
    assert {f.indicator for f in rows} == {"Chỉ số giá tiêu dùng (CPI)"}
    assert [f.basis for f in rows] == ["previous_period", "same_period", "other"]


def test_months_in_words_and_twelve_months() -> None:
    """Bình Dương (gold S01): "Mười tháng đầu năm 2016 chỉ số sản xuất công nghiệp ước tăng
    9,25%"; Kiên Giang (S16): "luỹ kế 12 tháng" is the whole year; "sau sáu tháng" is not
    a period."""
    got = facts(
        monthly(
            "Mười tháng đầu năm 2024 chỉ số sản xuất công nghiệp ước tăng 9,25% so với cùng kỳ. "
            "Tính đến tháng 12, luỹ kế 12 tháng kim ngạch xuất khẩu ước thực hiện 373 triệu USD."
        )
    )
    assert got["9,25%"].period == "ytd"
    assert got["373 triệu USD"].period == "year"
    assert facts(monthly("Sau sáu tháng triển khai, đã hỗ trợ 120 hộ."))["120 hộ"].period == "month"


def test_an_allocation_is_a_plan() -> None:
    """Quảng Ngãi (S10) and Điện Biên (P10): what the centre "giao" is the plan; "bàn
    giao" and "đã giao" are what was done."""
    got = facts(
        monthly(
            "Kế hoạch vốn đầu tư công của tỉnh năm 2024 được Trung ương giao 8.184 tỷ đồng; địa "
            "phương giao là 8.526 tỷ đồng. Trong tháng, đã bàn giao 20 căn nhà."
        )
    )
    assert got["8.184 tỷ đồng"].period == got["8.526 tỷ đồng"].period == "plan"
    assert got["20 căn"].period == "month"


def test_a_share_of_the_plan_printed_with_no_level_is_a_fact() -> None:
    """Phú Thọ (gold C10): "đến hết tháng 9 năm 2025, kết quả giải ngân kế hoạch vốn đầu
    tư công của tỉnh đạt 74,4% kế hoạch Thủ tướng Chính phủ giao": the disbursement rate."""
    got = facts(
        monthly(
            "Theo báo cáo của Thống kê tỉnh, đến hết tháng 9 năm 2024, kết quả giải ngân kế "
            "hoạch vốn đầu tư công của tỉnh đạt 74,4% kế hoạch Thủ tướng Chính phủ giao."
        )
    )
    share = got["74,4%"]
    assert (share.measure, share.basis) == ("rate", "plan")
    assert share.period in ("ytd", "as_of")
    assert "giải ngân" in share.indicator


def test_names_of_counts_and_abbreviations() -> None:
    """Phú Yên (C02): "Như vậy, so với đầu năm, CPI tăng 14,51%" is the CPI in the
    catalog's words; Ninh Thuận (C14): "Có 31 cánh đồng lớn" is named by what it counts;
    Đồng Tháp (S05): "Trong 11 nhóm hàng hóa và dịch vụ chính" is no name "Trong ..."."""
    got = facts(
        monthly(
            "Như vậy, so với đầu năm, CPI tăng 14,51%. Có 31 cánh đồng lớn được sản xuất với "
            "diện tích 4.158 ha. Trong 11 nhóm hàng hóa và dịch vụ chính, có 5 nhóm tăng."
        )
    )
    assert got["14,51%"].indicator == "Chỉ số giá tiêu dùng (CPI)"
    assert got["31"].indicator.startswith("cánh đồng lớn")
    assert got["11 nhóm"].indicator.startswith("nhóm hàng hóa và dịch vụ chính")


def test_an_average_to_date_and_an_expected_date() -> None:
    """Đồng Tháp (S05): "tăng 1,72% so với bình quân cùng kỳ năm 2020" compares the months
    to date; Quảng Ngãi (S10): "Dự kiến đến ngày 31/1/2026, ... tỷ lệ giải ngân ... đạt
    91,4%" is a rate at that date."""
    got = facts(
        monthly(
            "Chỉ số giá tiêu dùng (CPI) tháng 9 năm 2024 giảm 0,11% so với tháng trước và tăng "
            "1,72% so với bình quân cùng kỳ năm 2023.\nDự kiến đến ngày 31/10/2024, tỷ lệ giải "
            "ngân của tỉnh đạt 91,4%."
        )
    )
    assert (got["0,11%"].period, got["1,72%"].period) == ("month", "ytd")
    assert got["91,4%"].period == "as_of"


def test_prices_allocations_and_an_earlier_structure() -> None:
    """An Giang (W09): a price quoted "với mức 6.400 đồng/kg" is as of now, a change of it
    is not; Kiên Giang (W10): "dành hơn 5.120 tỷ đồng thực hiện kế hoạch" is a plan; Kon
    Tum (W03): "Kế hoạch ... năm 2025 là 3.956,954 tỷ đồng"; Quảng Trị (W02): "(cơ cấu
    tương ứng của 6 tháng đầu năm 2023 là: 22,81%; ...)" are the earlier period's."""
    got = facts(
        monthly(
            "Lúa tươi đang được thương lái thu mua với mức 6.400 đồng/kg; giá thịt lợn giảm "
            "5.000 đồng/kg. Tỉnh dành hơn 5.120 tỷ đồng thực hiện kế hoạch đầu tư công. Kế "
            "hoạch đầu tư nguồn ngân sách nhà nước năm 2025 là 3.956,954 tỷ đồng.\nKhu vực "
            "dịch vụ chiếm 48,51% (cơ cấu tương ứng của 6 tháng đầu năm 2023 là: 47,17%)."
        )
    )
    assert got["6.400 đồng/kg"].period == "as_of"
    assert got["5.000 đồng/kg"].period == "month"
    assert got["5.120 tỷ đồng"].period == got["3.956,954 tỷ đồng"].period == "plan"
    assert (got["48,51%"].period, got["47,17%"].period) == ("month", "other")


def test_holidays_a_quarter_from_new_year_and_a_plan_by_its_words() -> None:
    """Ninh Bình (E08): "Theo Sở Du lịch, trong 5 ngày nghỉ lễ, toàn tỉnh ước đón trên
    700.000 lượt"; Trà Vinh (E15): "Tết Quý Mão năm 2023, tỉnh ..."; Hà Nam (E04): "Từ ngày
    1/1-31/3, tỉnh thu hút được 32 dự án"; Bà Rịa - Vũng Tàu (E16): "theo kế hoạch đề ra đầu
    năm 2022 là 8,42%"; Lâm Đồng (E06): prices of a list after a change."""
    holiday = facts(
        monthly(
            "Theo Sở Du lịch, trong 5 ngày nghỉ lễ, toàn tỉnh ước đón trên 700.000 lượt du "
            "khách.\n\nTết Quý Mão năm 2024, tỉnh trao tặng trên 25.000 suất quà Tết."
        )
    )
    assert holiday["700.000 lượt"].period == holiday["25.000 suất quà"].period == "other"
    got = facts(
        monthly(
            "Từ ngày 1/1-31/9, tỉnh thu hút được 32 dự án đầu tư. Tốc độ tăng trưởng theo kế "
            "hoạch đề ra đầu năm 2024 là 8,42%.\nTrong tuần, rau giảm nhẹ. Xà lách 25.000 "
            "đồng/kg, giảm 2.000 đồng/kg."
        )
    )
    assert got["32 dự án"].period == "ytd"
    assert got["8,42%"].period == "plan"
    assert got["25.000 đồng/kg"].period == "as_of"
    flowers = facts(monthly("Hoa cúc chùm 13.000 đồng/bó, tăng 2.000 đồng/bó so với tuần trước."))
    assert flowers["13.000 đồng/bó"].period == "as_of"
    gifts = facts(monthly("Dịp Tết Nguyên đán này, tỉnh trao 5.404 suất quà cho hộ nghèo."))
    assert gifts["5.404 suất quà"].period == "other"


def test_a_paragraph_opening_on_trong_do_goes_on_the_one_before() -> None:
    """Cà Mau (W11): "tính đến ngày 29.12, tỉnh này thu ngân sách đạt trên 5.710 tỉ đồng"
    then a paragraph "Trong đó, thu nội địa 5.541 tỉ đồng"; Kon Tum (W03): "tỉnh đã giao
    Kế hoạch đầu tư nguồn ngân sách nhà nước năm 2025 là 3.956,954 tỷ đồng, gồm ..."."""
    got = facts(
        document(
            "Ngày 30.12, tin từ Sở Tài chính cho biết, tính đến ngày 29.12, tỉnh này thu ngân "
            "sách đạt trên 5.710 tỉ đồng.\nTrong đó, thu nội địa 5.541 tỉ đồng.\n\nTỉnh đã giao "
            "Kế hoạch đầu tư nguồn ngân sách nhà nước năm 2025 là 3.956,954 tỷ đồng, gồm nguồn "
            "ngân sách địa phương là 2.504,067 tỷ đồng.\n",
            ReportMeta(year=2024, kind="annual"),
        )
    )
    assert got["5.710 tỉ đồng"].period == got["5.541 tỉ đồng"].period == "ytd"
    assert got["3.956,954 tỷ đồng"].period == got["2.504,067 tỷ đồng"].period == "plan"


def test_crops_of_a_season_named_without_vu_are_the_season_so_far() -> None:
    """Hà Giang (M01): "Tổng diện tích lúa Mùa đã cấy ước đạt 28.195 ha. Cây ngô Hè Thu đã
    trồng ước đạt 8.635ha"; Quảng Bình (M09): "Diện tích cây ngô thực hiện 486 ha, bằng
    99,2%; khoai lang 577 ha" (the list goes on the sowing so far); a rainy season (our
    variant) is no crop season."""
    got = facts(
        monthly(
            "Tổng diện tích lúa Mùa đã cấy ước đạt 28.195 ha. Cây ngô Hè Thu đã trồng ước đạt "
            "8.635ha, đậu tương đã trồng 3.450 ha.\nDiện tích cây ngô thực hiện 486 ha, bằng "
            "99,2%; khoai lang 577 ha, bằng 97,6%.\nMùa mưa năm nay đến sớm, sản lượng cá đánh "
            "bắt đạt 500 tấn."
        )
    )
    for figure in ("28.195 ha", "8.635ha", "3.450 ha", "486 ha", "577 ha"):
        assert got[figure].period == "ytd", figure
    assert got["500 tấn"].period == "month"


def test_budget_and_disbursement_are_to_date_by_convention() -> None:
    """Tuyên Quang (M04): "Tổng chi ngân sách nhà nước là 8.537,18 tỷ đồng, đạt 78,09% dự
    toán" with no period word is to date in a monthly report (the catalog's ``to_date``);
    the month's own figure ("trong tháng", our variant) stays the month's; Kon Tum (M12):
    "Đến cuối tháng 7, kết quả thực hiện giải ngân vốn đầu tư công năm 2017 là gần 420 tỷ
    đồng" (the plan's year names the capital, the figure runs to date)."""
    got = facts(
        monthly(
            "Tổng chi ngân sách nhà nước là 8.537,18 tỷ đồng, đạt 78,09% dự toán. Trong đó: "
            "Chi đầu tư phát triển là 1.596,7 tỷ đồng.\nThu ngân sách trong tháng đạt 199 tỷ "
            "đồng.\nĐến cuối tháng 7, kết quả thực hiện giải ngân vốn đầu tư công năm 2024 là "
            "gần 420 tỷ đồng, đạt hơn 23% so với kế hoạch."
        )
    )
    assert got["8.537,18 tỷ đồng"].period == got["1.596,7 tỷ đồng"].period == "ytd"
    assert got["199 tỷ đồng"].period == "month"
    assert got["420 tỷ đồng"].period == "ytd"
    annual = facts(
        document(
            "Tổng chi ngân sách nhà nước là 8.537,18 tỷ đồng.\n",
            ReportMeta(year=2024, kind="annual"),
        )
    )
    assert annual["8.537,18 tỷ đồng"].period == "year"


def test_a_month_said_as_a_clause_beside_a_crop_season_frames_the_paragraph() -> None:
    """Gia Lai (M11): "Theo báo cáo, tháng 8, sản xuất ... diện tích lúa vụ mùa đạt hơn
    52.200 ha, ...; sản lượng thủy sản ước hơn 29.000 tấn" (the season is the crop's name,
    the month frames)."""
    got = facts(
        document(
            "Theo báo cáo, tháng 8, sản xuất nông nghiệp ổn định, diện tích lúa vụ mùa đạt hơn "
            "52.200 ha, tăng 0,9% so với cùng kỳ; sản lượng thủy sản ước hơn 29.000 tấn, tăng "
            "2,4%.\n",
            ReportMeta(year=2025),
        )
    )
    assert got["29.000 tấn"].period == "month"


def test_events_counted_are_not_a_level_and_openings_on_the_basis_month() -> None:
    """Long An (M13): "có 26 doanh nghiệp thông báo tạm dừng hoạt động"; Hòa Bình (M06):
    "Trên địa bàn tỉnh có 1 dự án được chấp thuận chủ trương đầu tư" are events of the
    period; Bến Tre (E14): "So với tháng cùng kỳ, ... thuốc lá bao tăng 114%" speaks of the
    month; Hà Nam (E04): "Phân bổ vốn đầu tư công theo quyết định của Chính phủ là 10.664
    tỷ đồng" is a plan, and "Từ ngày 1/1-31/3" has no figure."""
    got = facts(
        monthly(
            "Trong tháng, giải thể 15 doanh nghiệp, có 26 doanh nghiệp thông báo tạm dừng hoạt "
            "động. Trên địa bàn tỉnh có 1 dự án được chấp thuận chủ trương đầu tư.\nLũy kế 9 "
            "tháng, giá trị sản xuất công nghiệp ước đạt 13.480 tỷ đồng. So với tháng cùng kỳ, "
            "các sản phẩm chủ yếu tăng trưởng khá, tăng mạnh nhất là thuốc lá bao tăng 114%.\n"
            "Từ ngày 1/1-31/3, tỉnh thu hút được 32 dự án. Phân bổ vốn đầu tư công theo quyết "
            "định của Chính phủ là 10.664 tỷ đồng."
        )
    )
    assert got["26 doanh nghiệp"].period == got["1 dự án"].period == "month"
    assert got["114%"].period == "month"
    assert got["10.664 tỷ đồng"].period == "plan"
    assert not [text for text in got if text.startswith("31/3")]


def test_sowing_to_date_plan_shares_and_standards_met() -> None:
    """Kon Tum (H16): "diện tích lúa gieo sạ hơn 16.560 ha" is the season so far; Khánh
    Hòa (H14): "Tính đến ngày 20/9/2019, toàn tỉnh mới chỉ giải ngân được 37% kế hoạch"
    runs to the date, "để giải ngân đạt 100% kế hoạch vốn giao" is aimed at; Sóc Trăng
    (H12): "với 75/80 xã đạt chuẩn" is a level, "số doanh nghiệp tham gia thị trường là
    323 doanh nghiệp" the period's entries; "có thêm 12 xã đạt chuẩn" (our variant) the
    year's new ones."""
    got = facts(
        monthly(
            "Trong đó, diện tích lúa gieo sạ hơn 16.560 ha, đạt hơn 98% kế hoạch.\nTính đến "
            "ngày 20/9/2024, toàn tỉnh mới chỉ giải ngân được 37% kế hoạch vốn đầu tư công. "
            "Các chủ đầu tư cần đẩy nhanh tiến độ để giải ngân đạt 100% kế hoạch vốn giao.\n"
            "Số doanh nghiệp tham gia thị trường là 323 doanh nghiệp. Chương trình nông thôn "
            "mới có 75 xã đạt chuẩn, 3 xã đạt kiểu mẫu. Toàn tỉnh có thêm 12 xã đạt chuẩn."
        )
    )
    assert got["16.560 ha"].period == got["37%"].period == "ytd"
    assert got["100%"].period == "plan"
    assert got["75 xã"].period == got["3 xã"].period == "as_of"
    assert got["323 doanh nghiệp"].period == got["12 xã"].period == "month"


def test_a_count_of_targets_frames_the_targets_after_it() -> None:
    """Hải Dương (H08): "UBND tỉnh ... đề ra 15 chỉ tiêu kinh tế - xã hội năm 2025. Trọng tâm
    là, GRDP tăng hơn 10%; ... tỷ lệ hộ nghèo còn 0,43%" (the targets, a rate the catalog
    keeps as a level among them); Bắc Kạn (H04): "đạt 34,7% kế hoạch Trung ương giao; đạt
    30% kế hoạch tỉnh giao" (the second plan's share is a row too)."""
    got = facts(
        document(
            "Tăng trưởng cả năm ước đạt hơn 10,2%.\nUBND tỉnh đề ra 15 chỉ tiêu kinh tế - xã "
            "hội năm 2025. Trọng tâm là, GRDP tăng hơn 10%; tỷ lệ bao phủ bảo hiểm y tế đạt "
            "95%, tỷ lệ hộ nghèo còn 0,43%.\nĐến ngày 06/6/2024, toàn tỉnh giải ngân được "
            "1.123,7 tỷ đồng, đạt 34,7% kế hoạch Trung ương giao; đạt 30% kế hoạch tỉnh giao.\n",
            ReportMeta(year=2024, kind="annual"),
        )
    )
    assert got["10,2%"].period == "year"
    assert got["10%"].period == got["95%"].period == got["0,43%"].period == "plan"
    share = got["30%"]
    assert (share.code, share.basis, share.period) == ("public_investment_disbursed", "plan", "ytd")


def test_months_by_name_and_a_basis_of_the_same_month() -> None:
    """Vĩnh Phúc (L10): "Tổng doanh thu vận tải ước tháng Bảy ước đạt 330 tỷ đồng" and "so
    với cùng tháng năm trước giảm 6,33% về người" after a "Tính chung 7 tháng" sentence;
    Hà Nội (L02): "trong tháng10, Hà Nội có 2.298 doanh nghiệp" (the space lost); Ninh
    Thuận (C14): "Đến giữa tháng Bảy, các huyện cũng gieo trồng được 4.107,8 ha" runs to a
    date, it is no month's."""
    got = facts(
        monthly(
            "Tính chung 7 tháng, vận chuyển hành khách đạt 18,2 triệu người. Vận chuyển hành "
            "khách giảm nhẹ, so với cùng tháng năm trước giảm 6,33%. Tổng doanh thu vận tải "
            "ước tháng Bảy ước đạt 330 tỷ đồng.\nTheo Sở, trong tháng10, tỉnh có 2.298 doanh "
            "nghiệp đăng ký thành lập mới.\nĐến giữa tháng Bảy, các huyện cũng gieo trồng "
            "được 4.107,8 ha bắp."
        )
    )
    assert got["18,2 triệu người"].period == "ytd"
    assert got["6,33%"].period == got["330 tỷ đồng"].period == "month"
    assert got["2.298 doanh nghiệp"].period == "month"
    assert got["4.107,8 ha"].period == "ytd"


def test_exits_returns_deposits_seasons_of_a_year_and_sizes_of_a_classification() -> None:
    """Quảng Nam (L13): "có 620 doanh nghiệp rút lui khỏi thị trường", "số doanh nghiệp
    quay trở lại hoạt động là 178 doanh nghiệp" are the period's; Kiên Giang (L08): "vốn
    huy động tại địa phương ước đạt 73.500 tỷ đồng" a level; Trà Vinh (L15): "lúa Hè Thu
    năm 2018 đạt 75.856 ha" the season so far; Sóc Trăng (S04): "Trong 11 nhóm hàng hóa và
    dịch vụ chính, có 06 nhóm tăng" (the basket's size is no figure of the month);
    Quảng Ninh (N06), An Giang (W09): a range's bounds share a period."""
    got = facts(
        monthly(
            "Bên cạnh đó, có 620 doanh nghiệp rút lui khỏi thị trường; số doanh nghiệp quay trở "
            "lại hoạt động là 178 doanh nghiệp.\nĐến ngày 25/9/2024, vốn huy động tại địa "
            "phương ước đạt 73.500 tỷ đồng.\nDiện tích gieo trồng lúa Hè Thu năm 2024 đạt "
            "75.856 ha.\nTrong 11 nhóm hàng hóa và dịch vụ chính, có 06 nhóm tăng.\nĐể thực "
            "hiện kế hoạch tăng trưởng kinh tế trong năm 2024 (tăng từ 11,5%-12%) còn nhiều "
            "khó khăn. Giá lúa tươi IR50404 từ 4.300-4.400 đồng/kg."
        )
    )
    assert got["620 doanh nghiệp"].period == got["178 doanh nghiệp"].period == "month"
    assert got["73.500 tỷ đồng"].period == "as_of"
    assert got["75.856 ha"].period == "ytd"
    assert (got["11 nhóm"].period, got["06 nhóm"].period) == ("other", "month")
    assert got["11,5%"].period == got["12%"].period == "plan"
    assert got["4.300"].period == got["4.400 đồng/kg"].period == "as_of"


def test_a_level_changed_since_a_date_and_changes_named_after_them() -> None:
    """Tuyên Quang (M04): "Nguồn vốn huy động ... là 25.390 tỷ đồng; so với 31/12/2021 tăng
    1.475 tỷ đồng (+6,2%)" (both changes the level's, since the date); Long An (M13): "so
    với cùng kỳ tăng 58% về doanh nghiệp mới thành lập và giảm 5% về vốn đăng ký" (each
    change names its measure after it; not the capital's changes), "tăng 8,51% về tấn"
    (Vĩnh Phúc L10, in tonnes: no measure); Lâm Đồng (W07): "Lũy kế đến cuối tháng 7, tổng
    nguồn vốn huy động ... đạt 8.200 tỷ đồng" (a level at that date)."""
    got = facts(
        monthly(
            "Nguồn vốn huy động tại địa phương ước thực hiện đến 30/9/2024 là 25.390 tỷ đồng; "
            "so với 31/12/2023 tăng 1.475 tỷ đồng (+6,2%).\nTrong tháng, thành lập mới 287 "
            "doanh nghiệp, với tổng số vốn đăng ký 2.056 tỷ đồng; so với cùng kỳ tăng 58% về "
            "doanh nghiệp mới thành lập và giảm 5% về vốn đăng ký.\nLũy kế đến cuối tháng 9, "
            "tổng nguồn vốn huy động trên địa bàn tỉnh đạt 8.200 tỷ đồng."
        )
    )
    deposits = got["25.390 tỷ đồng"]
    assert [c.text for c in deposits.comparisons] == ["1.475 tỷ đồng", "+6,2%"]
    assert deposits.comparisons[0].basis == "other"
    assert not got["2.056 tỷ đồng"].comparisons
    assert (got["58%"].indicator, got["58%"].basis) == ("doanh nghiệp mới thành lập", "same_period")
    assert got["5%"].indicator == "vốn đăng ký"
    assert got["8.200 tỷ đồng"].period == "as_of"
    tonnes = facts(monthly("Vận tải hàng hóa so với cùng kỳ năm trước vẫn tăng 8,51% về tấn."))
    assert "tấn" not in [f.indicator for f in tonnes.values()]


def test_targets_said_to_be_met_frame_no_plan() -> None:
    """Nghệ An (F05): "Đến hết năm 2022, có 27/28 chỉ tiêu chủ yếu đạt và vượt kế hoạch đề
    ra. Trong đó, tốc độ tăng trưởng GRDP tăng 9,08%/KH 8,5-9,5%, ... Thu ngân sách Nhà
    nước ước thực hiện 20.370 tỷ đồng" (the year's results, the plan only after "/KH");
    Bình Định (M14): "khả năng ngành du lịch sẽ vượt chỉ tiêu đạt khoảng 4,2 triệu lượt
    khách" (a figure the target words introduce)."""
    got = facts(
        document(
            "Đến hết năm 2024, có 27/28 chỉ tiêu chủ yếu đạt và vượt kế hoạch đề ra. Trong đó, "
            "tốc độ tăng trưởng GRDP tăng 9,08%/KH 8,5-9,5%, cao hơn so với năm 2023. Thu ngân "
            "sách Nhà nước ước thực hiện 20.370 tỷ đồng.\nVới tốc độ tăng trưởng này, khả năng "
            "ngành du lịch sẽ vượt chỉ tiêu đạt khoảng 4,2 triệu lượt khách.\n",
            ReportMeta(year=2024, kind="annual"),
        )
    )
    assert got["9,08%"].period == got["20.370 tỷ đồng"].period == "year"
    assert got["8,5"].period == got["9,5%"].period == "plan"
    assert got["4,2 triệu lượt khách"].period == "plan"
    # Điện Biên (P29): the plan a result is measured against is no plan of its own
    jobs = facts(
        document(
            "Vượt qua kế hoạch đề ra tới 14,9%, toàn tỉnh đã tạo việc làm cho 9.190 lao động.\n",
            ReportMeta(year=2024, kind="annual"),
        )
    )
    assert jobs["14,9%"].period == "year"


def test_a_level_under_a_period_word_and_a_councils_resolution() -> None:
    """Quảng Ninh (F02): "Quý I, ... tồn kho đầu năm 2017 trên 11 triệu tấn" is a level;
    Cà Mau (W11): "HĐND tỉnh đã quyết nghị thông qua tổng thu ngân sách nhà nước 5.336 tỉ
    đồng. Trong đó, thu nội địa 5.230 tỉ đồng" is next year's plan, parts included."""
    got = facts(
        document(
            "Quý I/2024, do khó khăn trong tiêu thụ, tồn kho đầu năm 2024 trên 11 triệu tấn. "
            "\nKỳ họp đã quyết nghị thông qua tổng thu "
            "ngân sách nhà nước 5.336 tỉ đồng. Trong đó, thu nội địa 5.230 tỉ đồng.\n",
            ReportMeta(year=2024, quarter=3, kind="quarterly"),
        )
    )
    assert got["11 triệu tấn"].period == "as_of"
    assert got["5.336 tỉ đồng"].period == got["5.230 tỉ đồng"].period == "plan"


def test_targets_met_a_multiple_with_no_level_and_a_month_it_runs_to() -> None:
    """Đắk Nông (Z05): "Trong 16 nhóm chỉ tiêu giao có 13/16 nhóm chỉ tiêu xấp xỉ đạt và vượt
    kế hoạch đề ra. Tổng sản phẩm nội tỉnh (GRDP) ước thực hiện 9.940 tỷ đồng" (results, no
    targets); Vĩnh Long (Z16): "Chỉ số tiêu thụ tính chung trong 7 tháng tăng gấp 2,03 lần
    cùng kỳ năm trước" (a row with no level); Lạng Sơn (Z01): "Diện tích gieo trồng ngô đến
    cuối tháng 02 ước đạt 418,9 ha" (the season so far, not February's); Lào Cai (sample):
    "Lũy kế hết tháng 02 ước đạt 1.528 tỷ đồng"."""
    got = facts(
        monthly(
            "Trong 16 nhóm chỉ tiêu giao có 13/16 nhóm chỉ tiêu xấp xỉ đạt và vượt kế hoạch đề "
            "ra. Tổng sản phẩm nội tỉnh (GRDP) ước thực hiện 9.940 tỷ đồng, đạt 57% kế hoạch.\n"
            "Chỉ số tiêu thụ tính chung trong 7 tháng tăng gấp 2,03 lần cùng kỳ năm trước.\n"
            "Diện tích gieo trồng ngô đến cuối tháng 02 ước đạt 418,9 ha. Thu ngân sách nhà nước "
            "lũy kế hết tháng 02 ước đạt 1.528 tỷ đồng."
        )
    )
    assert got["9.940 tỷ đồng"].period == "month"
    multiple = got["2,03 lần"]
    assert (multiple.direction, multiple.basis, multiple.period) == ("times", "same_period", "ytd")
    assert multiple.indicator == "Chỉ số tiêu thụ"
    assert got["418,9 ha"].period == got["1.528 tỷ đồng"].period == "ytd"
