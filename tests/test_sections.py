import pytest

from extractor.sections import roman_to_int


def headings(doc):
    return [(s.rank, s.label, s.title) for s in doc.sections()]


@pytest.mark.parametrize(
    ("sample", "expected"),
    [
        (
            "lai-chau-2024-02",
            [
                (2, "II", "VỀ TÌNH HÌNH KINH TẾ - XÃ HỘI THÁNG 02 NĂM 2024"),
                (3, "1", "Về phát triển kinh tế"),
                (4, "a", "Sản xuất nông - lâm nghiệp - thủy sản, xây dựng nông thôn mới"),
                (4, "đ", "Phát triển doanh nghiệp và thu hút đầu tư"),
                (
                    3,
                    "4",
                    "Xây dựng chính quyền, cải cách thủ tục hành chính; thanh tra, giải quyết "
                    "khiếu nại, tố cáo",
                ),
                (2, "III", "MỘT SỐ NHIỆM VỤ, GIẢI PHÁP TRỌNG TÂM TRONG THÁNG 3"),
            ],
        ),
        (
            "lao-cai-2024-02",
            [
                (1, "A", "TÌNH HÌNH KINH TẾ-XÃ HỘI THÁNG 02 NĂM 2024"),
                (2, "I", "Phát triển kinh tế"),
                (4, "b", "Giải ngân vốn đầu tư công"),
                (1, "B", "NHIỆM VỤ CHỦ YẾU THÁNG 03 NĂM 2024"),
            ],
        ),
        (
            "lai-chau-2023-annual",
            [
                (
                    0,
                    "Phần thứ nhất",
                    "TÌNH HÌNH THỰC HIỆN KẾ HOẠCH PHÁT TRIỂN KINH TẾ - XÃ HỘI, "
                    "BẢO ĐẢM QUỐC PHÒNG, AN NINH NĂM 2023",
                ),
                (
                    2,
                    "III",
                    "KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU CHỦ YẾU ĐÃ GIAO TẠI NGHỊ QUYẾT SỐ 52/NQ-HĐND",
                ),
                (4, "e", "Công tác dân tộc, tôn giáo"),
                (0, "Phần thứ hai", "KẾ HOẠCH PHÁT TRIỂN KINH TẾ - XÃ HỘI NĂM 2024"),
            ],
        ),
        (
            "lai-chau-2021-01",
            [
                (
                    2,
                    "I",
                    "VỀ TÌNH HÌNH THỰC HIỆN KẾ HOẠCH PHÁT TRIỂN KINH TẾ - XÃ HỘI, ĐẢM BẢO QUỐC "
                    "PHÒNG - AN NINH THÁNG 01 NĂM 2021",
                ),
                (2, "II", "MỘT SỐ NHIỆM VỤ, GIẢI PHÁP TRỌNG TÂM TRONG THÁNG 2/2021"),
            ],
        ),
    ],
)
def test_known_headings(docs, sample, expected) -> None:
    found = headings(docs[sample])
    for heading in expected:
        assert heading in found, heading


def test_tree_shape_of_lai_chau_2024_02(lc2402) -> None:
    root = lc2402.root
    assert [s.label for s in root.children] == ["I", "II", "III"]
    econ = root.children[1].children[0]
    assert [s.label for s in econ.children] == ["a", "b", "c", "d", "đ"]
    assert [s.label for s in root.children[1].children] == ["1", "2", "3", "4", "5", "6"]
    assert econ.children[0].breadcrumb().startswith("II. VỀ TÌNH HÌNH")
    assert econ.children[0].footnotes == [1, 2, 3, 4, 5]


def test_bullets_and_numbered_items_are_not_headings(docs) -> None:
    for doc in docs.values():
        for s in doc.sections():
            assert doc.text[s.start : s.start + 2] not in {"- ", "+ ", "* "}
            assert not doc.text[s.start] == "("


def test_lao_cai_annual_tree_depths(docs) -> None:
    lao = docs["lao-cai-2024-02"].root
    assert [s.label for s in lao.children] == ["A", "B"]
    assert [s.label for s in lao.children[0].children] == ["I", "II", "III", "IV", "V"]
    annual = docs["lai-chau-2023-annual"].root
    assert [s.label for s in annual.children] == ["Phần thứ nhất", "Phần thứ hai"]


def test_sections_cover_body_in_order(docs) -> None:
    for doc in docs.values():
        flat = doc.sections()
        assert [s.start for s in flat] == sorted(s.start for s in flat)
        for s in flat:
            assert s.start < s.end <= doc.clean.body_end
            for child in s.children:
                assert s.start <= child.start and child.end <= s.end


def test_roman_numerals() -> None:
    assert [roman_to_int(x) for x in ("I", "IV", "IX", "XIV", "IIII", "VX")] == [
        1,
        4,
        9,
        14,
        None,
        None,
    ]
