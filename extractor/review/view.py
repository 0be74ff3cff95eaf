"""What a report page needs of a report: its cleaned text, headings and footnotes.

A :class:`ReportView` is made from an analysed :class:`~extractor.document.Document`,
or read back from the run store (a batch keeps it, so that its pages can be drawn again
without the archive).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from ..document import Document


@dataclass(frozen=True)
class Heading:
    """A heading of the cleaned text, by its offsets and rank."""

    start: int
    end: int  # end of the heading text
    rank: int


@dataclass(frozen=True)
class Note:
    """A footnote of the cleaned text, and where its marker stood in the body."""

    number: int
    start: int
    end: int
    anchor: int | None  # where its marker stood in the body


@dataclass(frozen=True)
class ReportView:
    """What a report page needs of a report: cleaned text, headings and footnotes (stored in
    the run store, so that pages can be drawn again without the source)."""

    name: str
    sha256: str
    province: str | None
    period: str | None
    kind: str | None
    text: str  # the cleaned text: fact offsets point into it
    body_end: int  # where the footnote area starts
    headings: tuple[Heading, ...]
    notes: tuple[Note, ...]

    @property
    def prefix(self) -> str:
        """The part of its facts' and relations' ids that names the report."""
        return self.sha256[:12]

    @classmethod
    def of(cls, doc: Document) -> ReportView:
        headings = tuple(
            Heading(s.start, s.heading_end, s.rank) for s in doc.sections() if s.rank >= 0
        )
        notes = tuple(Note(n.number, n.start, n.end, n.anchor) for n in doc.clean.footnotes)
        meta = doc.meta
        return cls(
            doc.name,
            doc.sha256,
            meta.province,
            meta.period,
            meta.kind,
            doc.text,
            doc.clean.body_end,
            headings,
            notes,
        )

    def dumps(self) -> str:
        return json.dumps(
            {
                "name": self.name,
                "sha256": self.sha256,
                "province": self.province,
                "period": self.period,
                "kind": self.kind,
                "text": self.text,
                "body_end": self.body_end,
                "headings": [[h.start, h.end, h.rank] for h in self.headings],
                "notes": [[n.number, n.start, n.end, n.anchor] for n in self.notes],
            },
            ensure_ascii=False,
        )

    @classmethod
    def loads(cls, raw: str) -> ReportView:
        d: dict[str, Any] = json.loads(raw)
        return cls(
            d["name"],
            d["sha256"],
            d.get("province"),
            d.get("period"),
            d.get("kind"),
            d["text"],
            int(d["body_end"]),
            tuple(Heading(*h) for h in d["headings"]),
            tuple(Note(*n) for n in d["notes"]),
        )


def id_prefix(record_id: str) -> str:
    """The report a fact or relation id belongs to ("<sha256[:12]>:q17" -> its prefix)."""
    return record_id.split(":", 1)[0]
