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
from extractor.extraction.facts import Fact
from extractor.metadata import ReportMeta
from extractor.revision import _unit_fits


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
    """Our variant of the issue's "GRDP 6 tháng ước đạt 6,5%": the growth is named GRDP
    (not "6 tháng đầu năm"), the sectors after "trong đó" are rows of their own."""
    got = facts(
        monthly(
            "GRDP 6 tháng ước đạt 6,5%, trong đó khu vực nông, lâm nghiệp và thủy sản tăng "
            "3,1%; khu vực công nghiệp và xây dựng tăng 8,2%."
        )
    )
    assert (got["6,5%"].indicator, got["6,5%"].period, got["6,5%"].measure) == (
        "GRDP",
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


def test_a_model_cannot_code_people_as_a_count_of_cases() -> None:
    """The hybrid draft's "230 người" coded traffic_accidents: the unit rules it out."""
    catalog = load_catalog()
    doc = monthly("Có 230 người đã hoàn thành nghĩa vụ; xảy ra 08 vụ tai nạn giao thông.")
    people = next(q for q in doc.quantities if q.text == "230 người")
    cases = next(q for q in doc.quantities if q.text == "08 vụ")
    assert not _unit_fits(catalog.get("traffic_accidents"), people)
    assert _unit_fits(catalog.get("traffic_accidents"), cases)
    assert not _unit_fits(catalog.get("jobs_created"), cases)


def test_a_model_needs_the_words_of_a_year_to_date() -> None:
    """The recorded hybrid answer that read "143,381 tỷ đồng" (Lai Châu 2024-02, a count
    of the month after a "lũy kế" clause of the sentence before) as ytd."""
    from extractor.revision import Grounds, _period_worded

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
