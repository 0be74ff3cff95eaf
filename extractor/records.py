"""The public JSON Lines contracts, one dict per line.

Quantity record (``extractor quantities FILE --format jsonl``)::

    id, text, start, end, value, unit, scale, kind, qualifier, comparison, section,
    footnote, ambiguous

``comparison`` is ``{"direction", "basis"}`` or null; ``footnote`` is the number of the
footnote whose text holds the quantity (null in the body); ``ambiguous`` is a bool.
Added fields, which readers may ignore: ``denominator`` (fractions), ``footnote_ref``
(the footnote whose marker is glued to the quantity), ``ambiguity`` (why it is
ambiguous), ``source_start``/``source_end`` (offsets in the file's decoded text).
Offsets ``start``/``end`` index the cleaned text (``extractor clean FILE``).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from .document import Document
from .quantities import Quantity


def number(value: Decimal | None) -> int | float | None:
    """A Decimal as the JSON number it prints as: 349090, 4.2, 3127.371."""
    if value is None:
        return None
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def quantity_record(doc: Document, q: Quantity) -> dict[str, Any]:
    note = doc.footnote_of(q.start)
    comparison = None
    if q.comparison is not None:
        comparison = {"direction": q.comparison.direction, "basis": q.comparison.basis}
    return {
        "id": q.id,
        "text": q.text,
        "start": q.start,
        "end": q.end,
        "value": number(q.value),
        "unit": q.unit,
        "scale": q.scale,
        "kind": q.kind,
        "qualifier": q.qualifier,
        "comparison": comparison,
        "section": doc.section_of(q.start).breadcrumb(),
        "footnote": note.number if note is not None else None,
        "ambiguous": q.ambiguous is not None,
        "denominator": number(q.denominator),
        "footnote_ref": doc.footnote_refs.get(q.id),
        "ambiguity": q.ambiguous,
        "source_start": doc.locate(q.start),
        "source_end": doc.locate_end(q.start, q.end),
    }


QUANTITY_FIELDS = (
    "id",
    "text",
    "start",
    "end",
    "value",
    "unit",
    "scale",
    "kind",
    "qualifier",
    "comparison",
    "section",
    "footnote",
    "ambiguous",
)
