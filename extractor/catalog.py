"""The indicator catalog (schemas/catalog.yaml): codes, Vietnamese names, aggregation.

Aggregation decides what the validators may do with a series: ``flow`` indicators sum
over months (year to date = sum of months), ``stock`` indicators are levels at a date
(herd size, deposits, loans outstanding) and ``rate`` indicators are ratios; neither of
the last two is ever summed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, cached_property
from importlib import resources

import yaml

from .errors import InternalError
from .text import fold

AGGREGATIONS = ("flow", "stock", "rate")
UNIT_KINDS = (
    "money",
    "count",
    "people",
    "visitors",
    "area",
    "mass",
    "volume",
    "energy",
    "power",
    "distance",
    "yield",
    "percent",
    "index",
)


@dataclass(frozen=True)
class CatalogEntry:
    """One indicator of the catalog: its code, Vietnamese name and aliases, unit kind and how
    it adds up over time (flow, stock, rate)."""

    code: str
    name: str
    aliases: tuple[str, ...]
    unit_kind: str
    aggregation: str
    # a flow reports print from the start of the year by convention (budget, disbursement)
    to_date: bool = False


@dataclass(frozen=True)
class Catalog:
    """The indicator catalog (schemas/catalog.yaml): entries by code and by name."""

    version: int
    entries: tuple[CatalogEntry, ...]

    @cached_property
    def _by_code(self) -> dict[str, CatalogEntry]:
        return {e.code: e for e in reversed(self.entries)}  # the first of a code wins

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def get(self, code: str | None) -> CatalogEntry | None:
        return None if code is None else self._by_code.get(code)

    @cached_property
    def _phrases(self) -> tuple[tuple[CatalogEntry, tuple[str, ...]], ...]:
        """Each entry with its name and aliases folded, once (matching runs per fact)."""
        return tuple(
            (e, tuple(p for p in (fold(x) for x in (e.name, *e.aliases)) if p))
            for e in self.entries
        )

    def codes(self) -> list[str]:
        return [e.code for e in self.entries]

    def match(self, name: str) -> CatalogEntry | None:
        """The entry whose name or longest alias occurs in ``name`` (case-insensitive)."""
        if name in self._matched:
            return self._matched[name]
        entry = self._match(name)
        if len(self._matched) < 100_000:  # names repeat across a report and an archive
            self._matched[name] = entry
        return entry

    @cached_property
    def _matched(self) -> dict[str, CatalogEntry | None]:
        return {}

    def _match(self, name: str) -> CatalogEntry | None:
        folded = fold(name)
        best: tuple[int, CatalogEntry] | None = None
        for e, phrases in self._phrases:
            for p in phrases:
                if p in folded and (best is None or len(p) > best[0]) and _whole_words(p, folded):
                    best = (len(p), e)
        return best[1] if best else None

    def relevant(self, text: str) -> list[CatalogEntry]:
        """Entries whose name or an alias occurs in ``text``, longest match first."""
        folded = fold(text)
        scored = []
        for e, phrases in self._phrases:
            hits = [len(p) for p in phrases if p in folded]
            if hits:
                scored.append((-max(hits), e.code, e))
        return [e for _, _, e in sorted(scored)]


def _whole_words(phrase: str, text: str) -> bool:
    """Whether ``phrase`` occurs in ``text`` as whole words ("thu" is not in "thuế")."""
    return re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", text) is not None


def parse_catalog(text: str) -> Catalog:
    data = yaml.safe_load(text)
    entries = []
    seen: set[str] = set()
    for raw in data["indicators"]:
        entry = CatalogEntry(
            raw["code"],
            raw["name"],
            tuple(raw.get("aliases", ())),
            raw["unit_kind"],
            raw["aggregation"],
            bool(raw.get("to_date", False)),
        )
        if entry.code in seen:
            raise InternalError(f"catalog code {entry.code!r} appears twice")
        if entry.aggregation not in AGGREGATIONS:
            raise InternalError(f"catalog {entry.code!r}: aggregation {entry.aggregation!r}")
        if entry.to_date and entry.aggregation != "flow":
            raise InternalError(f"catalog {entry.code!r}: to_date is for flows only")
        if entry.unit_kind not in UNIT_KINDS:
            raise InternalError(f"catalog {entry.code!r}: unit_kind {entry.unit_kind!r}")
        seen.add(entry.code)
        entries.append(entry)
    return Catalog(int(data["version"]), tuple(entries))


@cache
def load_catalog() -> Catalog:
    """The catalog shipped with extractor."""
    text = resources.files("extractor.schemas").joinpath("catalog.yaml").read_text("utf-8")
    return parse_catalog(text)
