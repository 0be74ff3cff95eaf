"""A fact's catalog code comes from whole words of its name (issue 21)."""

from __future__ import annotations

import pytest

from extractor.catalog import load_catalog


@pytest.mark.parametrize(
    ("name", "code"),
    [
        # as printed in the Lai Châu 2023 sample: "36 TTHC ... đơn giản hóa" was coded as
        # complaints received, "đơn" found in "đơn giản"
        ("Số thủ tục hành chính được đơn giản hóa", None),
        ("tỷ lệ chi phí tiết kiệm sau khi đơn giản hóa trung bình", None),
        ("tiếp nhận 120 đơn thư khiếu nại, tố cáo", "complaints_received"),
        ("Tiếp nhận đơn của công dân", "complaints_received"),
        # a phrase of the catalog inside a longer word is no match
        ("Tổng thu ngân sách", "budget_revenue"),
        ("Tai nạn giao thông xảy ra", "traffic_accidents"),
    ],
)
def test_codes_come_from_whole_words(name: str, code: str | None) -> None:
    entry = load_catalog().match(name)
    assert (entry.code if entry else None) == code


def test_a_phrase_glued_into_a_longer_word_is_no_match() -> None:
    catalog = load_catalog()
    entry = catalog.match("Tai nạn giao thông")
    assert entry is not None
    assert catalog.match("Tai nạn giao thôngx") is None  # the phrase runs into a letter
