"""What a report's file says about it when the report does not: its name, or a sidecar.

    meta_from_name("reports.zip!lai-chau-2024-02.pdf")  # Lai Châu, monthly 2024-02
    load_sidecar(Path("meta.csv"))                     # file,province,period rows

Used only to fill in what a report's own words leave out (the report wins).
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

from ..errors import ConfigError
from ..metadata import PROVINCES, ReportMeta, parse_period
from ..text import slug

_SLUGS = sorted(((slug(p), p) for p in PROVINCES), key=lambda x: -len(x[0]))


def meta_from_name(name: str) -> ReportMeta:
    """Province and period from a file name: "lai-chau-2024-02.pdf", "laocai_2023.docx"."""
    stem = slug(Path(name.split("!")[-1]).stem)
    province = next((p for s, p in _SLUGS if s and (s in stem or s.replace("-", "") in stem)), None)
    m = re.search(r"(20\d\d)-(0[1-9]|1[0-2])(?!\d)", stem)
    if m:
        return ReportMeta(province, int(m.group(1)), int(m.group(2)), None, "monthly")
    m = re.search(r"(20\d\d)", stem)
    if m:
        return ReportMeta(province, int(m.group(1)), None, None, "annual")
    return ReportMeta(province=province)


def load_sidecar(path: Path) -> dict[str, ReportMeta]:
    """file,province,period rows: metadata for reports that do not state it."""
    try:
        rows = list(csv.DictReader(path.read_text(encoding="utf-8-sig").splitlines()))
    except OSError as exc:
        raise ConfigError(f"cannot read metadata file {str(path)!r}: {exc.strerror}") from exc
    if rows and not {"file"} <= set(rows[0]):
        raise ConfigError(f"{str(path)!r} needs a header with columns file, province, period")
    out = {}
    for n, row in enumerate(rows, 2):
        meta = ReportMeta(province=(row.get("province") or "").strip() or None)
        if (row.get("period") or "").strip():
            try:
                meta = parse_period(row["period"]).merged(meta)
            except ValueError as exc:
                raise ConfigError(f"{str(path)!r} line {n}: {exc}") from exc
        out[Path(row["file"].strip()).name] = meta
    return out


def fallback_meta(name: str, sidecar: dict[str, ReportMeta]) -> ReportMeta:
    """What the sidecar CSV, then the file name, say about an input."""
    given = sidecar.get(Path(name.split("!")[-1]).name) or ReportMeta()
    return given.filled_from(meta_from_name(name))
