"""Token counting with tiktoken's o200k_base, loaded from the file shipped in the package.

tiktoken normally downloads its BPE file on first use. extractor never touches the
network at run time: the official ``o200k_base.tiktoken`` (gzipped) lives in
``extractor/data`` and its SHA-256 is checked before use, so a damaged or swapped
file is an error, not a silently different token count.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
from functools import cache
from importlib import resources

import tiktoken

from .errors import InternalError

O200K_SHA256 = "446a9538cb6c348e3516120d7c08b09f57c36495e2acfffe59a5bf8b0cfb1a2d"
_O200K_FILE = "o200k_base.tiktoken.gz"

# The pre-tokenisation pattern of o200k_base, as published in tiktoken_ext.openai_public.
_O200K_PATTERN = "|".join(
    [
        r"""[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?""",
        r"""[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?""",
        r"""\p{N}{1,3}""",
        r""" ?[^\s\p{L}\p{N}]+[\r\n/]*""",
        r"""\s*[\r\n]+""",
        r"""\s+(?!\S)""",
        r"""\s+""",
    ]
)
_SPECIAL_TOKENS = {"<|endoftext|>": 199999, "<|endofprompt|>": 200018}


def _read_bpe_file() -> bytes:
    data = resources.files("extractor").joinpath("data").joinpath(_O200K_FILE).read_bytes()
    return verify_bpe(gzip.decompress(data))


def verify_bpe(raw: bytes) -> bytes:
    """``raw`` if it is the official o200k_base file, else an InternalError."""
    digest = hashlib.sha256(raw).hexdigest()
    if digest != O200K_SHA256:
        raise InternalError(
            f"the shipped tokenizer file {_O200K_FILE!r} has sha256 {digest}, expected "
            f"{O200K_SHA256}: reinstall extractor"
        )
    return raw


@cache
def encoding() -> tiktoken.Encoding:
    """The o200k_base encoding, built once per process from the shipped file."""
    ranks: dict[bytes, int] = {}
    for line in _read_bpe_file().splitlines():
        if line:
            token, rank = line.split()
            ranks[base64.b64decode(token)] = int(rank)
    return tiktoken.Encoding(
        name="o200k_base",
        pat_str=_O200K_PATTERN,
        mergeable_ranks=ranks,
        special_tokens=_SPECIAL_TOKENS,
    )


def count_tokens(text: str) -> int:
    """Number of o200k_base tokens in ``text`` (special tokens are counted as plain text)."""
    return len(encoding().encode_ordinary(text))
