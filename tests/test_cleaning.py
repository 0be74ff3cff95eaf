from pathlib import Path

import pytest

from extractor import analyse, clean

# footnote number -> (the words its marker is glued to, how its text starts)
LC2402_FOOTNOTES = {
    1: ("349.090 con", "Trong đó: đàn trâu 92.400 con"),
    2: ("ước đạt 150 tấn", "Trong đó: sản lượng nuôi cá ao"),
    3: ("cây trồng và vật nuôi", "Đã áp dụng biện pháp phòng trừ"),
    4: ("Luật Bảo vệ và phát triển rừng", "Trong đó: Phá rừng trái luật 06 vụ"),
    5: ("môi trường rừng theo quy định", "Tổng thu lũy kế từ đầu năm"),
    6: ("giảm 63,4% so với cùng kỳ năm trước", "Nguyên nhân: do doanh nghiệp nghỉ Tết"),
    7: ("thành lập mới 09 doanh nghiệp", "Trong đó: 01 DN thuộc lĩnh vực xây dựng"),
    8: ("tổng vốn là 143,381 tỷ đồng", "Trồng rừng công nghệ cao"),
    9: ("tỉnh Lai Châu với các đối tác", "Cụ thể: Tổ chức tuyển chọn"),
    10: ("hướng nghiệp cho 550 lao động", "Trong đó, có 230 người"),
    11: ("xuất khẩu lao động là 41 người", "Nhật Bản 22 người"),
    12: ("kinh phí 37.423,876 triệu đồng", "Trong đó: (1) Đối tượng Người có công"),
    13: ("loại dịch bệnh trên địa bàn", "Bao gồm: 18 trường hợp mắc mới Covid-19"),
    14: ("đảm bảo an toàn, hiệu quả", "Trẻ em dưới 1 tuổi TCĐĐ 8 loại vắc xin"),
    15: ("các đối tượng theo quy định", "Tính đến ngày 06/02/2024"),
    16: ("Đêm giao thừa tại 5 điểm", "Tại thành phố Lai Châu"),
    17: ("hoạt động thể thao năm 2024", "Cụ thể: Kế hoạch tổ chức lễ phát động"),
    18: ("dịp tết Nguyên đán Giáp Thìn", "Công văn số 321/BNV-TGCP"),
    19: ("37 đơn đủ điều kiện xử lý", "Đã giải quyết lần đầu 13 đơn"),
}


def test_every_footnote_of_lai_chau_2024_02_is_attached_to_its_marker(lc2402) -> None:
    notes = lc2402.clean.footnotes
    assert [n.number for n in notes] == list(range(1, 20))
    for note in notes:
        before, starts = LC2402_FOOTNOTES[note.number]
        assert note.anchor is not None, note.number
        assert lc2402.text[: note.anchor].endswith(before), note.number
        assert lc2402.text[note.start : note.end].startswith(starts), note.number


def test_footnote_text_survives_page_breaks(lc2402) -> None:
    note12 = lc2402.clean.footnote(12)
    text = lc2402.text[note12.start : note12.end]
    assert "(8) Quà cho các đối tượng khác" in text
    assert text.endswith("13.544,915 triệu đồng.")
    # the body paragraph interrupted by footnote 1's block continues after it
    assert "tăng 33,3% so với cùng kỳ năm trước, lũy kế đạt 3.600 tấn" in lc2402.text


@pytest.mark.parametrize(
    ("sample", "gone", "kept"),
    [
        (
            "lai-chau-2024-02",
            ["con1", "tấn2", "202417", "Thìn18", "lý19"],
            ["349.090 con,", "năm 2024 nhằm", "Covid-19", "UV2(+)"],
        ),
        ("lao-cai-2024-02", ["nuôi1", "KH2", "người3"], ["11%KH.", "COVID-19", "339 người."]),
        (
            "lai-chau-2021-01",
            ["(1)", "(2)", "(3)", "(4)"],
            ["trồng ngô Xuân sớm 110 ha. Công tác", "18.590 m3, sản lượng"],
        ),
        (
            "lai-chau-2023-annual",
            ["¹", "²", "³⁴"],
            ["10.933.4m²", "199.491m³", "so với năm 2022. Tiếp tục"],
        ),
    ],
)
def test_markers_removed_only_where_footnotes_exist(docs, sample, gone, kept) -> None:
    body = docs[sample].text[: docs[sample].clean.body_end]
    for token in gone:
        assert token not in body, token
    for token in kept:
        assert token in docs[sample].text, token


def test_word_export_footnote_continued_on_next_page(docs) -> None:
    doc = docs["lai-chau-2023-annual"]
    note35 = doc.text[doc.clean.footnote(35).start : doc.clean.footnote(35).end]
    assert note35.endswith("4.406,5 triệu đồng,...v.v...")
    assert "giải quyết chế độ cho thân nhân 04 liệt sĩ" in note35
    assert "tỷ lệ hộ nghèo chung của tính là 3,9%" in doc.text  # body rejoined


def test_lao_cai_page_number_removed_and_footnote_continuation(docs) -> None:
    doc = docs["lao-cai-2024-02"]
    pages = [r for r in doc.clean.removed if r.kind == "page-number"]
    assert [doc.source.text[r.start : r.end] for r in pages] == ["11"]
    assert "chủ động phòng chống dịch bệnh" in doc.text
    note1 = doc.text[doc.clean.footnote(1).start : doc.clean.footnote(1).end]
    assert "tạo điều kiện thuận lợi cho các loại mầm bệnh" in note1


def test_headings_split_over_lines_are_rejoined(docs) -> None:
    assert (
        "I. VỀ TRIỂN KHAI THỰC HIỆN NGHỊ QUYẾT SỐ 01/NQ-CP NĂM 2024 CỦA CHÍNH PHỦ\n"
        in docs["lai-chau-2024-02"].text
    )
    assert (
        "4. Xây dựng chính quyền, cải cách thủ tục hành chính; thanh tra, giải quyết "
        "khiếu nại, tố cáo\n" in docs["lai-chau-2024-02"].text
    )


def test_cleaned_text_maps_back_to_source(docs) -> None:
    """Every non-space character of the cleaned text is the source character it maps to
    (spaces may stand for a line break or a removed footnote block)."""
    for doc in docs.values():
        source, text = doc.source.text, doc.text
        mismatches = [
            i
            for i, ch in enumerate(text)
            if not ch.isspace() and source[doc.clean.to_source(i)] != ch
        ]
        assert mismatches == []
        for q in doc.quantities:
            start, end = doc.clean.source_span(q.start, q.end)
            assert source[start] == q.text[0] and source[end - 1] == q.text[-1]


def test_footnote_marker_needs_its_footnote() -> None:
    # "Covid-19" and "UV2" look like glued markers, but no such footnotes exist
    c = clean("Có 18 trường hợp mắc Covid-19 và UV2 tại xã.\n\nĐã tiêm 20 trẻ.\n")
    assert c.footnotes == []
    assert "Covid-19" in c.text and "UV2" in c.text


@pytest.mark.parametrize(
    "lines",
    [
        [
            "Tình hình kinh tế tháng 02 như sau:",
            "I. LĨNH VỰC KINH TẾ VÀ XÃ HỘI CỦA TỈNH TRONG THÁNG",
            "1. Sản xuất nông nghiệp",
            "Tổng đàn gia súc ước đạt 349.090 con.",
        ],
        [
            "PHẦN THỨ NHẤT",
            "TÌNH HÌNH KINH TẾ - XÃ HỘI",
            "1. Sản xuất nông nghiệp",
            "Tổng đàn gia súc ước đạt 349.090 con.",
        ],
    ],
)
def test_pdf_upper_case_heading_then_a_numbered_heading(tmp_path, lines) -> None:
    """The "1." of the heading after an upper-case heading line is a label, not a value
    (the two lines were joined and "1" became a fact)."""
    pytest.importorskip("reportlab", reason="reportlab (dev extra) draws the test PDF")
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    font = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
    if not Path(font).exists():
        pytest.skip(f"no {font} to draw Vietnamese text with (Debian: fonts-dejavu-core)")
    pdfmetrics.registerFont(TTFont("DejaVu", font))
    path = tmp_path / "report.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    for k, line in enumerate(lines):
        c.setFont("DejaVu", 12)
        c.drawString(60, 780 - 18 * k, line)
    c.save()
    doc = analyse(path)
    assert [q.text for q in doc.quantities] == ["349.090 con"]
