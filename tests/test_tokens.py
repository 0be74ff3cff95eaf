import gzip
from importlib import resources

import pytest

from extractor import InternalError, count_tokens
from extractor.tokens import O200K_SHA256, encoding, verify_bpe


def test_shipped_file_is_the_official_o200k_base() -> None:
    data = resources.files("extractor").joinpath("data").joinpath("o200k_base.tiktoken.gz")
    raw = gzip.decompress(data.read_bytes())
    assert verify_bpe(raw) is raw
    assert len(raw.splitlines()) == 199998


def test_tampered_file_is_refused() -> None:
    with pytest.raises(InternalError, match=O200K_SHA256):
        verify_bpe(b"AAAA 0\n")


def test_counts_vietnamese_text() -> None:
    text = "Tổng đàn gia súc 349.090 con"
    assert count_tokens(text) == len(encoding().encode(text)) == 11
    assert encoding().decode(encoding().encode(text)) == text
    assert count_tokens("") == 0
