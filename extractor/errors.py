"""Every error extractor raises on purpose.

    ExtractorError                 root: the CLI catches this and nothing else
     ├── ConfigError               a setting the user can fix (flag, env var, file path)
     │    └── UsageError           a flag or a flag's value the command does not take
     ├── DocumentError             a file that is not a usable report
     │    ├── UnsupportedFormat    extension or content we cannot read
     │    ├── EmptyDocument        no text at all (empty file, scanned PDF)
     │    └── EncryptedDocument    password-protected PDF
     ├── ProviderError             the LLM endpoint failed; ``.original`` holds the cause
     └── InternalError             a bug in extractor: please report it

Messages say what happened and what to do, and name the file with ``!r``.
"""

from __future__ import annotations

from pathlib import Path


class ExtractorError(Exception):
    """Root of every error raised on purpose by extractor."""


class ConfigError(ExtractorError):
    """A setting is missing or invalid; the message says which and how to fix it."""


class UsageError(ConfigError):
    """A flag, a flag's value or a combination of flags the command does not take (the
    CLI exits 2, as for arguments it cannot parse)."""


class DocumentError(ExtractorError):
    """A file cannot be used as a report."""

    def __init__(self, path: str | Path, reason: str) -> None:
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path!r}: {reason}")


class UnsupportedFormat(DocumentError):
    """The file type is not one extractor reads."""


class EmptyDocument(DocumentError):
    """The file has no text to extract from."""


class EncryptedDocument(DocumentError):
    """The PDF is password-protected."""


class ProviderError(ExtractorError):
    """The LLM endpoint failed after retries."""

    def __init__(self, message: str, original: BaseException | None = None) -> None:
        self.original = original
        self.usage: object | None = None  # what the failed call cost (a usage.Usage), if known
        super().__init__(message)


class InternalError(ExtractorError):
    """Something extractor assumed turned out false: a bug, please report it."""
