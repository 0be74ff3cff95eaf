"""The relation finders and checks on real text (issue 19).

The real development set (tests/relations_real/: 34 passages copied from public pages
of 18 provinces, with the source's own errors, a copy with 15 planted one-digit errors
and 76 traps) is held to the issue's targets; the passages collected for this project
(tests/relations_collected/) may raise no false error. Then one test per shape of false
error the issue found on real text, each in passages written for this project (not
copied from the corpus), in a few phrasings: the right relation is read, it holds, and
the same passage with one digit changed fails as an error where the reading is
certain.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from extractor import analyse_source
from extractor.loading import Source
from extractor.relations import Operand, Relation, find_relations
from extractor.validation import check_relation
from tests.relation_scoring import COLLECTED, REAL, score_real

# --- the corpus targets ---------------------------------------------------------------


@pytest.fixture(scope="module")
def real():
    return score_real(REAL)


def _text(operand: Operand | None) -> str | None:
    return operand.text if operand else None


def test_most_of_what_real_text_states_is_checked(real) -> None:
    assert real.holding_checked / real.holding >= 0.90, real.missed


def test_no_false_error_on_the_real_set(real) -> None:
    assert len(real.false_errors) <= 1, real.false_errors
    assert not real.rounding_errors, real.rounding_errors  # hedged figures: warnings
    assert len(real.planted_false_errors) <= 1, real.planted_false_errors


def test_the_sources_errors_and_the_planted_ones_are_errors(real) -> None:
    assert real.robust_flagged == real.robust
    assert real.plants_caught >= 13, (real.plants_warned, real.plants_missed)


def test_traps_are_not_tied(real) -> None:
    """A trap is numbers a naive finder would relate that are not related; P25's
    "hơn 3,2 tỷ đồng" of entrance fees listed after "Trong số này" with the province's
    "gần 350 tỷ đồng" of tourism revenue is read as a part (it passes)."""
    assert len(real.traps_tied) <= 1, real.traps_tied


@pytest.mark.parametrize("folder", COLLECTED, ids=[f.name for f in COLLECTED])
def test_no_false_error_on_the_collected_passages(folder) -> None:
    s = score_real(folder)
    assert not s.false_errors, s.false_errors
    assert not s.rounding_errors, s.rounding_errors


@pytest.mark.parametrize(
    "folder", (REAL, *COLLECTED), ids=[REAL.name, *(f.name for f in COLLECTED)]
)
def test_every_annotation_recomputes(folder) -> None:
    """Each set's own checker: the stored flags match exact recomputation, every number
    string is in its passage, every plant breaks its target (a hand edit that breaks
    the annotation fails here)."""
    done = subprocess.run(
        [sys.executable, str(REAL / "check.py"), str(folder)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-2000:]
    assert "OK: every flag matches" in done.stdout


# --- the shapes of false error, in our own passages ------------------------------------


def relations(text: str) -> list[Relation]:
    return find_relations(analyse_source(Source("t.txt", "txt", text + "\n", None))).relations


def verdicts(text: str) -> list[tuple[str, list[str], str, str | None]]:
    out: list[tuple[str, list[str], str, str | None]] = []
    for r in relations(text):
        f = check_relation(r)
        out.append((r.kind, [o.text for o in r.operands], f.status, f.severity))
    return out


def errors(text: str) -> list[tuple[str, list[str], str, str | None]]:
    return [v for v in verdicts(text) if v[3] == "error"]


@pytest.mark.parametrize(
    ("text", "numbers", "changed"),
    [
        (
            "Năng suất lúa vụ Đông Xuân ước đạt 61,4 tạ/ha, tăng 0,85 tạ/ha (+1,4%) so với "
            "vụ trước.",
            ["61,4 tạ/ha", "0,85 tạ/ha", "+1,4%"],
            ("0,85 tạ/ha", "0,65 tạ/ha"),
        ),
        (
            "Đàn lợn toàn tỉnh hiện có 412.500 con, giảm 8.250 con (-1,96%) so với cùng thời "
            "điểm năm trước.",
            ["412.500 con", "8.250 con", "-1,96%"],
            ("8.250 con", "6.250 con"),
        ),
        (
            "Diện tích nuôi trồng thủy sản đạt 36.996 ha, cao hơn cùng kỳ 5% (tương đương "
            "1.775 ha).",
            ["36.996 ha", "1.775 ha", "5%"],
            ("1.775 ha", "1.175 ha"),
        ),
        (
            "Tổng đàn bò đạt 52.300 con, giảm 1.200 con, tương đương 2,2% so với cùng kỳ.",
            ["52.300 con", "1.200 con", "2,2%"],
            ("1.200 con", "1.800 con"),
        ),
        (
            "Sản lượng thủy sản 9 tháng đạt 148.292 tấn, tăng 5,7% so với cùng kỳ (trên "
            "8.000 tấn).",
            ["148.292 tấn", "8.000 tấn", "5,7%"],
            None,  # a hedged figure alone in brackets: reference or change by its size
        ),
    ],
)
def test_an_absolute_change_with_its_percentage_is_one_statement(text, numbers, changed) -> None:
    """Shape 1: "đạt 61,4 tạ/ha, tăng 0,85 tạ/ha (+1,4%)" is the change over the level
    before (61,4 - 0,85), never 61,4 against 0,85."""
    [v] = [v for v in verdicts(text) if v[0] == "change"]
    assert v[1] == numbers and v[2] == "pass"
    if changed is not None:
        slip = errors(text.replace(*changed))
        assert [v[1] for v in slip] == [[changed[1] if n == changed[0] else n for n in numbers]]


@pytest.mark.parametrize(
    ("text", "share", "whole"),
    [
        (
            "Tổng kim ngạch xuất khẩu 9 tháng ước đạt 2.350 triệu USD, tăng 8,2% so với cùng "
            "kỳ. Hàng dệt may đạt 1.203 triệu USD; riêng mặt hàng thủy sản đạt 150,4 triệu "
            "USD, chiếm 6,4% tổng kim ngạch xuất khẩu.",
            "6,4%",
            "2.350 triệu USD",
        ),
        (
            "Kim ngạch nhập khẩu 6 tháng đạt 845,6 triệu USD. Trong tổng kim ngạch nhập khẩu, "
            "nhóm nguyên liệu dệt may đạt 212,3 triệu USD, chiếm 25,1%; máy móc thiết bị 98,7 "
            "triệu USD, chiếm 11,7%.",
            "11,7%",
            "845,6 triệu USD",
        ),
        (
            "Tổng vốn đầu tư thực hiện trên địa bàn ước đạt 12.450 tỷ đồng, trong đó vốn khu "
            "vực nhà nước 3.120 tỷ đồng, chiếm 25,1% tổng vốn.",
            "25,1%",
            "12.450 tỷ đồng",
        ),
    ],
)
def test_a_share_is_of_the_total_the_sentence_names(text, share, whole) -> None:
    """Shape 2: "chiếm 6,4% tổng kim ngạch" is of the export total, not of the nearest
    large figure (1.203 triệu USD)."""
    [r] = [r for r in relations(text) if r.kind == "ratio" and _text(r.one("stated")) == share]
    assert _text(r.one("denominator")) == whole
    assert check_relation(r).status == "pass"
    assert not errors(text)


@pytest.mark.parametrize(
    "text",
    [
        "Kim ngạch xuất khẩu cả năm ước đạt 1,25 tỷ USD, bằng 104,2% kế hoạch năm (1.200 "
        "triệu USD). Giải quyết việc làm cho 18.500 lao động, đạt 102,8% kế hoạch (18.000 "
        "lao động).",
        "Trong năm, tỉnh thu hút 42 dự án với tổng vốn đăng ký 1,8 tỷ USD; 12 dự án FDI với "
        "650 triệu USD, chiếm 36,1% tổng vốn đăng ký.",
        "Giải quyết việc làm cho 25.000 lao động, trong đó xuất khẩu lao động 2.300 người; "
        "tổng thu nhập của lao động xuất khẩu ước 1.200 tỷ đồng.",
    ],
)
def test_units_and_magnitudes_are_read_together(text) -> None:
    """Shape 3: triệu USD against tỷ USD is one unit at two scales (read so, and it
    holds); a count of people is never a part or a share of a money total."""
    for kind, numbers, status, _ in verdicts(text):
        assert status == "pass", (kind, numbers)
        units = {("đồng" in n, "USD" in n) for n in numbers if not n.endswith("%")}
        assert len(units) == 1, numbers


@pytest.mark.parametrize(
    "text",
    [
        "Diện tích gieo cấy vụ mùa đạt 18.720 ha, bằng 98,5% kế hoạch (19.000 ha); trong "
        "đó diện tích lúa lai chiếm 70% diện tích lúa thuần.",
        "Kế hoạch năm giao 25.000 lao động; đến nay đã giải quyết việc làm cho 17.500 lao "
        "động, đạt 70% kế hoạch; tổng thu ngân sách đạt 3.600 tỷ đồng, bằng 72% dự toán "
        "(5.000 tỷ đồng).",
    ],
)
def test_a_value_is_measured_against_its_own_plan_in_its_own_clause(text) -> None:
    """Shape 4: "18.720 ha, bằng 98,5% kế hoạch (19.000 ha)" holds; the 70% of another
    clause is never read against 19.000 ha."""
    found = verdicts(text)
    assert found and all(status == "pass" for _, _, status, _ in found), found
    for _, numbers, _, _ in found:
        stated = [n for n in numbers if n.endswith("%")]
        assert stated != ["70%"] or "17.500 lao động" in numbers, numbers


@pytest.mark.parametrize(
    ("text", "first", "second"),
    [
        (
            "Toàn tỉnh có 1.250 cơ sở sản xuất, trong đó 820 cơ sở công nghiệp và 430 cơ sở "
            "thủ công nghiệp; có 310 hợp tác xã, gồm 120 hợp tác xã nông nghiệp và 190 hợp "
            "tác xã phi nông nghiệp.",
            ["1.250 cơ sở", "820 cơ sở", "430 cơ sở"],
            ["310 hợp tác xã", "120 hợp tác xã", "190 hợp tác xã"],
        ),
        (
            "Trong 9 tháng, khu công nghiệp thu hút 48 dự án, trong đó có 34 dự án FDI và 14 "
            "dự án trong nước, điều chỉnh tăng vốn cho 15 dự án FDI và 08 dự án trong nước.",
            ["48 dự án", "34 dự án", "14 dự án"],
            None,
        ),
        (
            "Tổng số học sinh đầu năm học là 185.400 em, trong đó mầm non 52.300 em, tiểu học "
            "71.200 em, trung học cơ sở 45.600 em, trung học phổ thông 16.300 em. Số giáo "
            "viên 9.850 người, gồm mầm non 3.100 người, tiểu học 3.900 người và trung học "
            "2.850 người.",
            ["185.400 em", "52.300 em", "71.200 em", "45.600 em", "16.300 em"],
            ["9.850 người", "3.100 người", "3.900 người", "2.850 người"],
        ),
    ],
)
def test_two_lists_stay_two_lists(text, first, second) -> None:
    """Shape 5: the items of a second enumeration ("có 310 hợp tác xã, gồm ...", "điều
    chỉnh tăng vốn cho 15 dự án ...") are never added to the first total."""
    sums = [numbers for kind, numbers, _, _ in verdicts(text) if kind == "sum"]
    assert first in sums
    if second is not None:
        assert second in sums
    assert not errors(text)
    more = str(int(first[1][0]) + 1) + first[1][1:]  # a part one digit larger
    slip = errors(text.replace(first[1], more))
    assert slip and slip[0][1][0] == first[0]  # the parts now exceed their total


@pytest.mark.parametrize(
    "text",
    [
        # averages are not summed
        "Số ngày lưu trú bình quân của khách đạt 1,75 ngày/lượt; trong đó khách quốc tế "
        "2,27 ngày/lượt, khách trong nước 1,44 ngày/lượt.",
        # a bracket that lists parts is no reference of the change before it
        "Trong tháng đón 556.290 lượt khách, tăng 10,2% so với cùng kỳ (trong đó khách quốc "
        "tế đạt 7.540 lượt khách, tăng 28,4%).",
        # the target of another clause is no reference of the growth
        "Tính chung 10 tháng đón 9,3 triệu lượt khách, tăng 32% so với cùng kỳ, vượt mục "
        "tiêu năm (8,4 triệu lượt khách).",
        # the ends of a range
        "Lượng xe thông quan trung bình khoảng 1.100 - 1.350 xe/ngày, trong đó xuất khẩu "
        "400-450 xe, nhập khẩu 750-800 xe.",
        # "bằng X%" with no whole named is of last year, not of the total before
        "Cây lúa thực hiện 24.203 ha, tăng 3% so cùng kỳ. Trong đó lúa tái sinh 8.769 ha, "
        "bằng 94,3%.",
        # a whole named alike a paragraph before, but of another date
        "Cho vay đến ngày 30 tháng 6 đạt 22.100 tỷ đồng. Ước đến ngày 31 tháng 7, tổng dư "
        "nợ đạt 22.900 tỷ đồng.\nNợ quá hạn đến ngày 30 tháng 6 là 790 tỷ đồng, chiếm "
        "3,58% trên tổng dư nợ.",
        # ... or named by more words than the share names ("theo Nghị định 67")
        "Dư nợ cho vay theo Nghị định 67 ước đạt 805 tỷ đồng.\nNợ xấu toàn địa bàn là "
        "1.490 tỷ đồng, chiếm tỷ lệ 0,91% trên tổng dư nợ.",
        # one share in two years is no structure
        "Tỷ trọng lao động trong lĩnh vực dịch vụ từ 26,3% năm 2019 lên 30,9% năm 2024.",
        # a listed part's share of plan is of its own plan, not of the whole's
        "Năm 2025 tổng vốn đầu tư công đã phân bổ chi tiết 9.840 tỷ đồng. Đến hết tháng 9, "
        "toàn tỉnh giải ngân được 4.120 tỷ đồng, đạt 41,9% kế hoạch; trong đó nguồn ngân "
        "sách Trung ương giải ngân được 2.215 tỷ đồng, đạt 33,6% kế hoạch; nguồn vốn ngân "
        "sách địa phương giải ngân 1.905 tỷ đồng, đạt hơn 57% kế hoạch.",
        # the plan a percentage is of, printed after it, is no plan figure of the next one
        "Trong đó: đàn trâu trên 31 nghìn con đạt 96,2% kế hoạch năm, đàn bò gần 48 nghìn "
        "con đạt 104,5% kế hoạch năm và gia cầm là trên 2,9 triệu con.",
        # a rate against a rate: the change may be in points
        "Công suất sử dụng giường bệnh đạt 86,4%, giảm 12,1% so với cùng kỳ (năm 2023 đạt 98,5%).",
        # a change printed without its "%" is no absolute change
        "Tổng sản lượng cây ăn quả ước đạt 120.500 tấn, so với năm 2015 tăng 84,12(55.060 tấn).",
        # a side after another measure, and a total named again, are no side of it
        "Mặc dù thu hút vốn FDI giảm, chỉ đạt 210,4 triệu USD nhưng nhờ kim ngạch xuất khẩu "
        "đạt 4,6 tỷ USD nên cán cân thương mại vẫn thặng dư.",
        "Thẩm định được 31 đơn vị kinh doanh dịch vụ lưu trú du lịch, nâng tổng số cơ sở lưu "
        "trú du lịch lên 94 đơn vị.",
        # a dot printed for the decimal comma beside a comma-decimal figure: a warning
        "Doanh thu từ du lịch ước đạt 212,418 tỷ đồng, riêng doanh thu từ khách quốc tế là "
        "131.705 tỷ đồng.",
    ],
)
def test_readings_found_wrong_on_real_text_raise_no_error(text) -> None:
    assert not errors(text), verdicts(text)


# --- what real text states, in our own passages ----------------------------------------


@pytest.mark.parametrize(
    ("text", "kind", "numbers", "changed", "severity"),
    [
        (  # exports = imports + the trade surplus, in paragraphs of one period
            "Tính chung 9 tháng, tỉnh xuất siêu 215 triệu USD. Kim ngạch xuất khẩu 9 tháng "
            "ước đạt 1,25 tỷ USD, tăng 12% so với cùng kỳ.\nKim ngạch nhập khẩu 9 tháng ước "
            "đạt 1.035 triệu USD, tăng 8,5%.",
            "sum",
            ["1,25 tỷ USD", "1.035 triệu USD", "215 triệu USD"],
            ("215 triệu", "275 triệu"),
            "error",
        ),
        (  # the two sides of a whole stated apart, a photo caption between
            "Trong tháng 6, tổng sản lượng thủy sản ước đạt 12.400 tấn, tăng 3,1% so cùng "
            "kỳ.\nSản lượng khai thác thủy sản tháng 6 ước đạt 4.150 tấn, tăng 1,2%.\nẢnh: "
            "Tàu cá cập cảng.\nSản lượng nuôi trồng thủy sản tháng 6 ước đạt 8.250 tấn, tăng "
            "4,2%.",
            "sum",
            ["12.400 tấn", "4.150 tấn", "8.250 tấn"],
            ("8.250", "8.850"),
            "error",
        ),
        (  # the month and the period to date in two paragraphs, stated in the same order
            "Trong tháng 9, toàn tỉnh đón 185.000 lượt khách, tăng 6% so với cùng kỳ (trong "
            "đó khách quốc tế 12.300 lượt khách); doanh thu du lịch đạt 410 tỷ đồng.\nTính "
            "chung 9 tháng, toàn tỉnh đón 1.720.000 lượt khách, tăng 9% so với cùng kỳ "
            "(trong đó khách quốc tế 101.500 lượt khách); doanh thu du lịch đạt 3.850 tỷ "
            "đồng.",
            "ytd",
            ["3.850 tỷ đồng", "410 tỷ đồng"],
            ("3.850", "0.385"),
            "error",
        ),
        (  # a total named by its two components, a paragraph after them
            "Năm 2024, tỉnh cấp mới 28 dự án FDI với số vốn đăng ký 312 triệu USD. Có 15 dự "
            "án điều chỉnh vốn đầu tư với số vốn tăng thêm 96,5 triệu USD.\nTính chung tổng "
            "vốn đăng ký cấp mới và vốn bổ sung đạt 408,5 triệu USD.",
            "sum",
            ["408,5 triệu USD", "312 triệu USD", "96,5 triệu USD"],
            ("96,5", "98,5"),
            "error",
        ),
        (  # shares of a whole the sentence does not name: the one figure they fit
            "Năm 2024, vốn FDI cấp mới đạt 312 triệu USD, vốn tăng thêm 96,5 triệu USD. "
            "Trong các nhà đầu tư, Hàn Quốc dẫn đầu với 120,4 triệu USD, chiếm 38,6%, tiếp "
            "theo là Nhật Bản 87,4 triệu USD, chiếm 28%; Trung Quốc 55,2 triệu USD, chiếm "
            "17,7%.",
            "ratio",
            ["87,4 triệu USD", "312 triệu USD", "28%"],
            ("87,4", "81,4"),
            "warning",  # the whole is not named: an unsure reading
        ),
        (  # a list whose items are sentences opening alike
            "Kế hoạch năm 2025 đưa 900 lao động đi làm việc ở nước ngoài, cụ thể: Hỗ trợ "
            "lao động đi theo hợp đồng dài hạn là 620 người. Hỗ trợ lao động đi theo thời vụ "
            "là 250 người. Hỗ trợ học sinh, sinh viên đi học tập kết hợp làm việc là 30 "
            "người.",
            "sum",
            ["900 lao động", "620 người", "250 người", "30 người"],
            ("250 người", "280 người"),
            "error",
        ),
        (  # a footnote listing parts after "Trong đó:": whole, unsure
            "Tổng đàn gia súc ước đạt 128.600 con¹.\n" + " " * 43 + "\n¹ Trong đó: đàn trâu "
            "41.200 con; đàn bò 17.900 con; đàn lợn 69.500 con.",
            "sum",
            ["128.600 con", "41.200 con", "17.900 con", "69.500 con"],
            ("17.900", "11.900"),
            "warning",  # a part less than printed: a part may be missing from the list
        ),
        (  # the month and the period to date apart, the month's sentence opened by its
            # source; the period to date named after its figure
            "Theo Sở Tài chính, tháng 8/2024, tổng thu ngân sách nhà nước trên địa bàn tỉnh "
            "Hòa Bình đạt 412 tỷ đồng.\nTổng chi ngân sách địa phương tháng 8 đạt 655 tỷ "
            "đồng.\nTính chung 8 tháng, tổng thu ngân sách nhà nước ước đạt 3.980 tỷ đồng, "
            "bằng 71,2% dự toán.",
            "ytd",
            ["3.980 tỷ đồng", "412 tỷ đồng"],
            ("3.980", "0.398"),
            "error",
        ),
        (  # a share of the total the part is listed in, the total a paragraph before
            "Lũy kế 5 tháng, kim ngạch nhập khẩu của tỉnh đạt 2.460 triệu USD, tăng 7%.\n"
            "Trong đó, khu vực FDI đạt 1.850 triệu USD (chiếm 75,2% kim ngạch nhập khẩu "
            "của tỉnh), tăng 5%.",
            "ratio",
            ["1.850 triệu USD", "2.460 triệu USD", "75,2%"],
            ("1.850", "1.650"),
            "error",
        ),
        (  # a share of a whole named exactly as a figure of the paragraph before
            "Đến cuối tháng 9, tổng dư nợ cho vay trên địa bàn đạt 58.320 tỷ đồng, tăng 6,1% "
            "so với đầu năm.\nDư nợ cho vay lĩnh vực nông nghiệp, nông thôn là 21.450 tỷ "
            "đồng, chiếm 36,8% tổng dư nợ cho vay.",
            "ratio",
            ["21.450 tỷ đồng", "58.320 tỷ đồng", "36,8%"],
            ("21.450", "27.450"),
            "error",
        ),
        (  # a clause opening with its basis goes on with the figure before it
            "Tổng nguồn vốn huy động đến 30/6/2024 là 41.250 tỷ đồng; so với 31/12/2023 tăng "
            "2.310 tỷ đồng (+5,9%).",
            "change",
            ["41.250 tỷ đồng", "2.310 tỷ đồng", "+5,9%"],
            ("+5,9%", "+8,9%"),
            "error",
        ),
        (  # the reference named in words after the comparison
            "Sản lượng lúa cả năm đạt 312.400 tấn, giảm 2,1% so với mức 319.100 tấn của năm trước.",
            "change",
            ["312.400 tấn", "319.100 tấn", "2,1%"],
            ("319.100", "349.100"),
            "error",
        ),
        (  # a list opening a paragraph with a part of the month's total and one of the
            # period to date's
            "Lượt khách đến tỉnh tháng 8 ước đạt 215,4 ngàn lượt khách, tăng 4% so tháng "
            "trước. Ước 8 tháng, lượt khách đến tỉnh đạt 1.640 ngàn lượt khách.\nTrong đó, "
            "khách quốc tế tháng 8 ước đạt 6,2 ngàn lượt khách, tăng 3,1%, 8 tháng ước đạt "
            "41,8 ngàn lượt khách.",
            "sum",
            ["215,4 ngàn lượt khách", "6,2 ngàn lượt khách"],
            ("215,4", "2,154"),
            "error",
        ),
        (  # the side listed under a total already, not a subset of it named after
            "Trong tháng 4, khách du lịch đến tỉnh ước đạt 1,2 triệu lượt khách. Trong đó, "
            "khách quốc tế ước đạt 215 nghìn lượt khách.\nTrong tháng 4, khách quốc tế có "
            "lưu trú ước đạt 150 nghìn lượt khách; khách nội địa ước đạt 985 nghìn lượt "
            "khách.",
            "sum",
            ["1,2 triệu lượt khách", "215 nghìn lượt khách", "985 nghìn lượt khách"],
            ("985", "785"),
            "error",
        ),
        (  # a list of bullet lines after "trong đó:", counts of several kinds under a
            # bare total; the next numbered list is another one
            "1. Tổng số cơ sở y tế trên địa bàn: 212, trong đó:\n- 15 bệnh viện\n- 12 phòng "
            "khám đa khoa khu vực\n- 185 trạm y tế xã\n2. Tổng số giường bệnh: 3.120, trong "
            "đó:\n- Bệnh viện: 2.640 giường\n- Phòng khám đa khoa khu vực: 96\n- Trạm y tế "
            "xã: 384\n",
            "sum",
            ["212", "15", "12", "185 trạm"],
            ("185 trạm", "195 trạm"),
            "error",  # the parts exceed the total
        ),
        (  # ... and a bullet item whose unit is left out is in the list's unit
            "1. Tổng số cơ sở y tế trên địa bàn: 212, trong đó:\n- 15 bệnh viện\n- 12 phòng "
            "khám đa khoa khu vực\n- 185 trạm y tế xã\n2. Tổng số giường bệnh: 3.120, trong "
            "đó:\n- Bệnh viện: 2.640 giường\n- Phòng khám đa khoa khu vực: 96\n- Trạm y tế "
            "xã: 384\n",
            "sum",
            ["3.120", "2.640 giường", "96", "384"],
            ("384", "484"),
            "error",
        ),
        (  # the capital allocated, then disbursed as a share of it
            "Vốn đầu tư từ nguồn thu sử dụng đất là 620 tỷ đồng, hiện giải ngân được 251,1 "
            "tỷ đồng, đạt 40,5% kế hoạch.",
            "ratio",
            ["251,1 tỷ đồng", "620 tỷ đồng", "40,5%"],
            ("40,5%", "45,5%"),
            "error",
        ),
        (  # last month's figure of the same measure, printed a sentence before
            "Đến ngày 31 tháng 8, tổng nguồn vốn huy động được 28.410 tỷ đồng. Ước đến ngày "
            "30 tháng 9, tổng nguồn vốn huy động được 28.760 tỷ đồng, tăng trưởng 1,23% so "
            "với cuối tháng trước.",
            "change",
            ["28.760 tỷ đồng", "28.410 tỷ đồng", "1,23%"],
            ("1,23%", "1,73%"),
            "error",
        ),
        (  # the periods to date of two sides, each after a part listed under its month
            "Tổng sản lượng thủy sản tháng 9 ước đạt 41.200 tấn. Trong đó, sản lượng tôm "
            "15.300 tấn. Lũy kế 9 tháng ước đạt 352.700 tấn; trong đó, sản lượng tôm 131.900 "
            "tấn.\nSản lượng khai thác thủy sản tháng 9 ước đạt 14.600 tấn, đưa lũy kế 9 tháng "
            "đạt 128.450 tấn.\nSản lượng nuôi trồng thủy sản tháng 9 ước đạt 26.600 tấn; trong "
            "đó, tôm 14.800 tấn, lũy kế 9 tháng ước đạt 224.250 tấn.",
            "sum",
            ["352.700 tấn", "128.450 tấn", "224.250 tấn"],
            ("224.250", "229.250"),
            "error",
        ),
        (  # a total named by its components one after the other ("trâu, bò")
            "Tính đến hết tháng 6, tổng đàn trâu, bò toàn tỉnh ước đạt 82.500 con, trong đó: "
            "đàn trâu ước đạt 21.300 con; đàn bò ước đạt 61.200 con.",
            "sum",
            ["82.500 con", "21.300 con", "61.200 con"],
            ("61.200", "51.200"),
            "error",  # complete: a shortfall fails too
        ),
        (  # budget revenue with oil, customs named "xuất, nhập khẩu"
            "6 tháng, tổng thu ngân sách trên địa bàn đạt 31.240 tỷ đồng. Trong đó, thu từ dầu "
            "khí 9.870 tỷ đồng, thu thuế xuất, nhập khẩu 6.150 tỷ đồng, thu nội địa 15.220 tỷ "
            "đồng.",
            "sum",
            ["31.240 tỷ đồng", "9.870 tỷ đồng", "6.150 tỷ đồng", "15.220 tỷ đồng"],
            ("6.150", "5.150"),
            "error",
        ),
        (  # a count of facilities of several kinds after "gồm"; the staff "với" them is
            # no facility
            "Toàn tỉnh hiện có 196 cơ sở y tế, gồm 12 bệnh viện, 9 phòng khám đa khoa khu "
            "vực, 175 trạm y tế xã với hơn 3.200 cán bộ y tế.",
            "sum",
            ["196 cơ sở", "12", "9", "175 trạm"],
            ("175 trạm", "165 trạm"),
            "error",
        ),
        (  # a bare bracket right after a year named as the basis is that year's level
            "Có 6 dự án điều chỉnh tăng vốn, đạt 84,6 triệu USD, tăng 42,5% so với cùng kỳ "
            "năm 2023 (59,37 triệu USD).",
            "change",
            ["84,6 triệu USD", "59,37 triệu USD", "42,5%"],
            ("42,5%", "47,5%"),
            "error",
        ),
        (  # the counts in a bracket split too, of the count the money total goes with
            "Đến nay, toàn tỉnh có 318 dự án đầu tư nước ngoài với tổng vốn đầu tư hơn 12,46 "
            "tỷ USD (trong KCN 204 dự án với tổng vốn 8,11 tỷ USD; ngoài KCN 114 dự án với "
            "tổng vốn 4,35 tỷ USD).",
            "sum",
            ["318 dự án", "204 dự án", "114 dự án"],
            ("114 dự án", "119 dự án"),
            "error",
        ),
        (  # capital "cấp mới và tăng thêm" is a level, split in the bracket after it
            "Các KCN thu hút 19 dự án mới và 25 lượt dự án tăng vốn với tổng vốn đầu tư cấp "
            "mới và tăng thêm 241,6 triệu USD (cấp mới: 152,3 triệu USD; tăng vốn: 89,3 triệu "
            "USD).",
            "sum",
            ["241,6 triệu USD", "152,3 triệu USD", "89,3 triệu USD"],
            ("89,3", "84,3"),
            "error",
        ),
        (  # the whole opens the sentence, its parts named after their figures
            "Trong tổng số 21.480 người đã được đào tạo nghề, có 612 người đào tạo hệ cao "
            "đẳng; 1.905 người đào tạo hệ trung cấp; 18.963 người đào tạo hệ sơ cấp và dưới "
            "3 tháng.",
            "sum",
            ["21.480 người", "612 người", "1.905 người", "18.963 người"],
            ("1.905", "1.605"),
            "error",  # every level of training: complete, a shortfall fails
        ),
        (  # an item of a list named by both items after it: its two parts
            "Tổng kim ngạch xuất nhập khẩu qua địa bàn tỉnh đạt 18.420 triệu USD. Trong đó, kim "
            "ngạch xuất nhập khẩu mở tờ khai tại Cục Hải quan tỉnh đạt 3.615 triệu USD, tăng "
            "12,4%, xuất khẩu 1.980 triệu USD, tăng 20,1%, nhập khẩu đạt 1.635 triệu USD, tăng "
            "4,3%.",
            "sum",
            ["3.615 triệu USD", "1.980 triệu USD", "1.635 triệu USD"],
            ("1.635", "1.685"),
            "error",
        ),
        (  # a share printed before its figure ("chiếm 54%, tương đương ..."), of the total
            # the list is under
            "Tổng vốn đầu tư thuộc nguồn ngân sách nhà nước do địa phương quản lý đạt 6,2 "
            "nghìn tỷ đồng. Trong đó, vốn ngân sách cấp tỉnh chiếm 61%, tương đương 3,8 nghìn "
            "tỷ đồng, tăng 12%; vốn ngân sách cấp huyện đạt 2,3 nghìn tỷ đồng, chiếm 37%, tăng "
            "8,1%; vốn ngân sách cấp xã đạt 105 tỷ đồng.",
            "ratio",
            ["3,8 nghìn tỷ đồng", "6,2 nghìn tỷ đồng", "61%"],
            ("61%", "81%"),
            "error",
        ),
        (  # a structure stated one sentence per sector, two years in each
            "Tỷ trọng lao động trong lĩnh vực nông, lâm nghiệp và thủy sản từ 52,4% năm 2019 "
            "xuống 41,2% năm 2024. Tỷ trọng lao động trong lĩnh vực công nghiệp - xây dựng từ "
            "21,3% năm 2019 lên 27,9% năm 2024. Tỷ trọng lao động trong lĩnh vực dịch vụ từ "
            "26,3% năm 2019 lên 30,9% năm 2024.",
            "shares",
            ["41,2%", "27,9%", "30,9%"],
            ("27,9%", "37,9%"),
            "error",
        ),
        (  # "Trong đó" after a sentence with two areas: the one the parts are named by
            "Năm 2023, diện tích cà phê toàn tỉnh đạt 98.420,5 ha, diện tích kinh doanh "
            "91.306,2 ha, sản lượng 287.410 tấn. Trong đó, cà phê vối 90.115,3 ha, sản lượng "
            "266.950 tấn; cà phê chè 8.305,2 ha, sản lượng 20.460 tấn.",
            "sum",
            ["98.420,5 ha", "90.115,3 ha", "8.305,2 ha"],
            ("90.115,3", "92.115,3"),
            "error",
        ),
        (  # a whole list whose total and parts each print their excess over the estimate
            "Năm 2024, tỉnh thu ngân sách đạt 7.420 tỉ đồng, đạt 112%, vượt 795 tỉ đồng so với "
            "dự toán. Trong đó, thu nội địa 7.180 tỉ đồng, đạt 111%, vượt 712 tỉ đồng; thu từ "
            "hoạt động xuất, nhập khẩu 240 tỉ đồng, đạt 153%, vượt 83 tỉ đồng so dự toán.",
            "sum",
            ["795 tỉ đồng", "712 tỉ đồng", "83 tỉ đồng"],
            ("712", "742"),
            "error",
        ),
        (  # one side of a whole printed right after its total
            "Lũy kế 9 tháng đầu năm 2024, du lịch tỉnh đã đón 5,2 triệu lượt khách (tăng "
            "9,6% so với cùng kỳ năm trước), khách quốc tế đạt 184 ngàn lượt (tăng 21% so "
            "với cùng kỳ năm trước), doanh thu 9 tháng ước đạt 12.450 tỷ đồng.",
            "sum",
            ["5,2 triệu lượt khách", "184 ngàn lượt"],
            ("184 ngàn", "6.184 ngàn"),
            "error",
        ),
        (  # output by kind of owner, the list a photo caption and a byline away
            "9 tháng đầu năm 2023, giá trị sản xuất công nghiệp toàn tỉnh ước đạt 41.250 tỷ "
            "đồng, tăng 11% so với cùng kỳ.\nGiá trị sản xuất công nghiệp 9 tháng tăng 11% "
            "(Ảnh minh họa).\nBTN/Minh Anh.\nTrong đó, khu vực kinh tế Nhà nước ước đạt 2.310 "
            "tỷ đồng; khu vực kinh tế ngoài Nhà nước ước đạt 9.870 tỷ đồng; khu vực kinh tế có "
            "vốn đầu tư nước ngoài ước đạt 29.070 tỷ đồng.",
            "sum",
            ["41.250 tỷ đồng", "2.310 tỷ đồng", "9.870 tỷ đồng", "29.070 tỷ đồng"],
            ("9.870", "9.370"),
            "error",  # every kind of owner: complete, a shortfall fails
        ),
        (  # ... but budget revenue by kind of owner has more lines: partial
            "Thu nội địa ước đạt 18.420 tỷ đồng. Trong đó, thu từ khu vực doanh nghiệp nhà "
            "nước 2.105 tỷ đồng; thu từ khu vực ngoài quốc doanh 5.320 tỷ đồng; thu từ khu vực "
            "có vốn đầu tư nước ngoài 4.870 tỷ đồng.",
            "sum",
            ["18.420 tỷ đồng", "2.105 tỷ đồng", "5.320 tỷ đồng", "4.870 tỷ đồng"],
            ("4.870", "14.870"),
            "error",  # only parts that exceed the total fail
        ),
        (  # a colon list after words that name the figure of the sentence before
            "Đến ngày 10/7, diện tích lúa bị sâu bệnh và chuột gây hại 1.482 ha. Một số loại "
            "sâu bệnh và chuột phá hoại: diện tích lúa bị chuột phá 402,5 ha; rầy nâu gây hại "
            "318,5 ha; sâu cuốn lá nhỏ gây hại 296 ha.",
            "sum",
            ["1.482 ha", "402,5 ha", "318,5 ha", "296 ha"],
            ("402,5", "902,5"),
            "error",  # some of the kinds: the parts exceed the total
        ),
        (  # a share of a whole whose name is printed after its figure
            "10 tháng đầu năm 2023, tỉnh đã thu hút 3,1 tỷ USD vốn đầu tư trực tiếp nước ngoài "
            "(FDI). Công nghiệp chế biến, chế tạo thu hút tổng số vốn 2,05 tỷ USD chiếm 66% "
            "tổng vốn đầu tư.",
            "ratio",
            ["2,05 tỷ USD", "3,1 tỷ USD", "66%"],
            ("66%", "76%"),
            "error",
        ),
        (  # a crop season within the whole year, of the same crop
            "Vụ đông xuân năm 2024, toàn tỉnh đã gieo cấy 41.250 ha lúa, giảm 320 ha so với "
            "cùng kỳ. Tổng diện tích trồng lúa cả năm của toàn tỉnh là 80.140 ha; diện tích "
            "ngô cả năm 6.210 ha. Sản lượng lương thực cả năm đạt 498.300 tấn.",
            "sum",
            ["80.140 ha", "41.250 ha"],
            ("80.140", "30.140"),
            "error",
        ),
        (  # shares "trong tổng mức" of a total a paragraph up, items named with a comma
            "Tổng mức bán lẻ hàng hoá, doanh thu dịch vụ ước tính tháng 3 đạt gần 2.120 tỷ "
            "đồng, tăng hơn 8% so với tháng trước.\nTrong đó, ngành thương nghiệp ước đạt "
            "hơn 1.745 tỷ đồng, chiếm hơn 82% trong tổng mức; ngành lưu trú, ăn uống và du "
            "lịch ước đạt hơn 230 tỷ đồng, chiếm gần 11% trong tổng mức; ngành dịch vụ ước "
            "đạt hơn 145 tỷ đồng, chiếm gần 7% trong tổng mức.",
            "ratio",
            ["230 tỷ đồng", "2.120 tỷ đồng", "11%"],
            ("11%", "16%"),
            "error",
        ),
        (  # one share a sentence, the whole not named: the one figure before all fit
            "Số người được giải quyết việc làm trong quý I là 6.140 người.\nCụ thể, lao động "
            "được giải quyết việc làm trong tỉnh là 2.886 người, chiếm 47% trong tổng số. Lao "
            "động đi làm việc ngoại tỉnh là 1.351 người, chiếm 22%. Xuất khẩu lao động là "
            "1.903 người, chiếm 31%.",
            "ratio",
            ["1.351 người", "6.140 người", "22%"],
            ("1.351", "1.851"),
            "warning",  # an unsure reading: the whole is not named
        ),
        (  # nested lists named after their figures; "mức 1", "mức 2" are levels, no
            # figures
            "Trong năm học, Sở đã công nhận 37 trường đạt chuẩn quốc gia. Trong đó, 16 trường "
            "mầm non, gồm 8 trường công nhận mới mức 1, 5 trường công nhận lại mức 1 và 3 "
            "trường nâng lên mức 2; 21 trường tiểu học, gồm 13 trường công nhận mức 1, 8 "
            "trường mức độ 2.",
            "sum",
            ["16 trường", "8 trường", "5 trường", "3 trường"],
            ("5 trường", "7 trường"),
            "error",
        ),
    ],
)
def test_what_real_text_states(text, kind, numbers, changed, severity) -> None:
    """Each finder added for real text, on a passage of our own: the relation is read,
    it holds, and with one figure changed it fails with the severity its certainty
    gives."""
    found = [v for v in verdicts(text) if v[0] == kind and v[1] == numbers]
    assert found and found[0][2] == "pass", verdicts(text)
    changed_numbers = [n.replace(*changed) for n in numbers]
    slip = [v for v in verdicts(text.replace(*changed)) if v[1] == changed_numbers]
    assert slip and slip[0][2] == "fail" and slip[0][3] == severity, slip
