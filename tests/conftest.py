"""Shared fixtures: the four real sample reports, analysed once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractor import Document, analyse

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SAMPLE_NAMES = ("lai-chau-2021-01", "lai-chau-2023-annual", "lai-chau-2024-02", "lao-cai-2024-02")


@pytest.fixture(scope="session")
def docs() -> dict[str, Document]:
    return {name: analyse(SAMPLES / f"{name}.txt") for name in SAMPLE_NAMES}


@pytest.fixture(scope="session")
def lc2402(docs: dict[str, Document]) -> Document:
    return docs["lai-chau-2024-02"]
