"""What each flag's value may be: argparse ``type=`` callables that refuse a bad value while
the command line is parsed, so that it is a usage error (exit 2) whose message,
``error: argument --x: ...``, says what the flag accepts.

Only what the value alone decides is checked here; what depends on a file on disk or on
another flag is checked by the command (and is a usage error there too when it is one).
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

from ..errors import ConfigError
from ..metadata import ReportMeta, parse_period
from ..writers import TABLE_FORMATS, output_format

MIN_BUDGET = 100  # tokens per chunk: fewer hardly holds a sentence and its figures
JSONL = {".jsonl": "jsonl"}
HTML = {".html": "html", ".htm": "html"}


def whole_number(least: int, accepted: str) -> Callable[[str], int]:
    """A whole number of at least ``least``; ``accepted`` says what to give instead."""

    def convert(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"{text!r} is not a whole number: {accepted}"
            ) from None
        if value < least:
            too = "negative" if value < 0 <= least else "too small"
            raise argparse.ArgumentTypeError(f"{value} is {too}: {accepted}")
        return value

    return convert


def positive_number(accepted: str) -> Callable[[str], float]:
    """A finite number more than 0; ``accepted`` says what to give instead."""

    def convert(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a number: {accepted}") from None
        if not math.isfinite(value):
            raise argparse.ArgumentTypeError(f"{text!r} is not a finite number: {accepted}")
        if value <= 0:
            raise argparse.ArgumentTypeError(f"{text} must be more than 0: {accepted}")
        return value

    return convert


budget = whole_number(MIN_BUDGET, f"use at least {MIN_BUDGET} tokens")
reasks = whole_number(0, "give 0 (no re-ask) or more")
retries = whole_number(0, "give 0 (no retry) or more")
threads = whole_number(1, "use at least 1")
concurrency = whole_number(1, "use at least 1 (chunks in flight at once)")
max_cost = positive_number("give the most to spend in USD, e.g. 0.50")
timeout = positive_number("give the seconds to wait for one answer, e.g. 120")
rate_limit = positive_number("leave it out for no limit")
poll_interval = positive_number("give the seconds between polls, e.g. 60")


def period(text: str) -> ReportMeta:
    """A reporting period, ``YYYY-MM``, ``YYYY-Qn``, ``YYYY-H1`` or ``YYYY``, as the
    metadata it sets."""
    try:
        return parse_period(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def endpoint(text: str) -> str:
    """An OpenAI-compatible endpoint's address: an http:// or https:// URL with a host."""
    accepted = "give the endpoint's base URL, e.g. http://localhost:8080/v1"
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 (raises ValueError for a port that is not a number)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{text!r} is not a URL ({exc}): {accepted}") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not an http:// or https:// address: {accepted}"
        )
    return text


def output_file(what: str, formats: dict[str, str] = TABLE_FORMATS) -> Callable[[str], Path]:
    """A path to write a ``what`` file to, whose extension names one of ``formats``. An
    existing folder passes: the command refuses it, before any work, with its own message."""

    def convert(text: str) -> Path:
        path = Path(text)
        if not path.is_dir():
            try:
                output_format(path, what, formats)
            except ConfigError as exc:
                raise argparse.ArgumentTypeError(str(exc)) from None
        return path

    return convert
