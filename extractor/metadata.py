"""Province, reporting period and report kind, read from a report's own words.

The title zone (before the first section heading), the first headings and the closing
sentence ("Trên đây là báo cáo ... tháng 02 ... năm 2024") say what a report covers:

    "TÌNH HÌNH KINH TẾ-XÃ HỘI THÁNG 02 NĂM 2024"      -> monthly, 2024-02
    "... năm 2023; kế hoạch năm 2024"                 -> annual, 2023
    "tháng 01, nhiệm vụ trọng tâm tháng 2/2021"       -> monthly, 2021-01 (the plan month
                                                          is not the reporting month)

The province is the one named most often as "tỉnh X" (or in the dateline "Lai Châu,
ngày ..."). Anything the text does not say stays None; the caller may fill it in.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace

from .text import fold

# The 63 provinces before the 2025 merger, and the merged names used since.
PROVINCES = (
    "An Giang",
    "Bà Rịa - Vũng Tàu",
    "Bạc Liêu",
    "Bắc Giang",
    "Bắc Kạn",
    "Bắc Ninh",
    "Bến Tre",
    "Bình Dương",
    "Bình Định",
    "Bình Phước",
    "Bình Thuận",
    "Cà Mau",
    "Cao Bằng",
    "Cần Thơ",
    "Đà Nẵng",
    "Đắk Lắk",
    "Đắk Nông",
    "Điện Biên",
    "Đồng Nai",
    "Đồng Tháp",
    "Gia Lai",
    "Hà Giang",
    "Hà Nam",
    "Hà Nội",
    "Hà Tĩnh",
    "Hải Dương",
    "Hải Phòng",
    "Hậu Giang",
    "Hòa Bình",
    "Hưng Yên",
    "Khánh Hòa",
    "Kiên Giang",
    "Kon Tum",
    "Lai Châu",
    "Lạng Sơn",
    "Lào Cai",
    "Lâm Đồng",
    "Long An",
    "Nam Định",
    "Nghệ An",
    "Ninh Bình",
    "Ninh Thuận",
    "Phú Thọ",
    "Phú Yên",
    "Quảng Bình",
    "Quảng Nam",
    "Quảng Ngãi",
    "Quảng Ninh",
    "Quảng Trị",
    "Sóc Trăng",
    "Sơn La",
    "Tây Ninh",
    "Thái Bình",
    "Thái Nguyên",
    "Thanh Hóa",
    "Thừa Thiên Huế",
    "Huế",
    "Tiền Giang",
    "Trà Vinh",
    "Tuyên Quang",
    "Vĩnh Long",
    "Vĩnh Phúc",
    "Yên Bái",
    "Hồ Chí Minh",
)


@dataclass(frozen=True)
class ReportMeta:
    """Province, period and kind of a report, read from its own words (or its file name)."""

    province: str | None = None
    year: int | None = None
    month: int | None = None  # set for monthly reports
    quarter: int | None = None  # set for quarterly reports
    kind: str | None = None  # monthly, quarterly, half_year, annual, plan

    @property
    def period(self) -> str | None:
        """ "2024-02", "2024-Q1", "2024-H1", "2023", or None."""
        if self.year is None:
            return None
        if self.kind == "monthly" and self.month:
            return f"{self.year}-{self.month:02d}"
        if self.kind == "quarterly" and self.quarter:
            return f"{self.year}-Q{self.quarter}"
        if self.kind == "half_year":
            return f"{self.year}-H1"
        return str(self.year)

    def merged(self, override: ReportMeta) -> ReportMeta:
        """This metadata with every field ``override`` sets taken from it."""
        changes = {k: v for k, v in override.__dict__.items() if v is not None}
        return replace(self, **changes)

    def filled_from(self, fallback: ReportMeta) -> ReportMeta:
        """What this metadata lacks, taken from ``fallback``; what it says is kept. The
        period (year, month, quarter, kind) is one value: taken whole when the report
        states none, never mixed."""
        out = self
        if out.province is None and fallback.province is not None:
            out = replace(out, province=fallback.province)
        if out.year is None and fallback.year is not None:
            out = replace(
                out,
                year=fallback.year,
                month=fallback.month,
                quarter=fallback.quarter,
                kind=fallback.kind or out.kind,
            )
        return out


_PROVINCE_RE = re.compile(
    r"(?:tỉnh|Tỉnh|TỈNH|thành phố|Thành phố)\s+("
    + "|".join(re.escape(p) for p in sorted(PROVINCES, key=len, reverse=True))
    + r")"
)
_DATELINE_RE = re.compile(r"(" + "|".join(re.escape(p) for p in PROVINCES) + r"),\s+ngày")
# "tháng 02 năm 2024", "tháng 02/2024", "tháng 5-2021"
_MONTH_YEAR = re.compile(
    r"tháng\s+(\d{1,2})(?:\s*(?:năm|/|-)\s*|\s*,?\s*năm\s+)(\d{4})", re.IGNORECASE
)
_MONTH_ONLY = re.compile(r"tháng\s+(\d{1,2})\b", re.IGNORECASE)
_QUARTER = re.compile(r"quý\s+(I{1,3}|IV|[1-4])(?:\s*(?:năm|/)\s*(\d{4}))?", re.IGNORECASE)
_HALF = re.compile(r"(?:6 tháng đầu năm|sáu tháng đầu năm)\s*(\d{4})?", re.IGNORECASE)
_YEAR = re.compile(r"năm\s+(\d{4})", re.IGNORECASE)
_PLAN_WORDS = re.compile(r"nhiệm vụ|trọng tâm|chủ yếu|kế hoạch", re.IGNORECASE)
# a plan's title: "KẾ HOẠCH phát triển kinh tế - xã hội năm 2025", "Kế hoạch năm 2025";
# not the plan a figure is measured against ("đạt 98% kế hoạch"), nor "Sở Kế hoạch và
# Đầu tư"
_PLAN_TITLE = re.compile(
    r"(?:^|\n)\s*kế hoạch\b(?!\s+và\s+đầu\s+tư)|kế hoạch phát triển kinh tế|"
    r"(?<!% )(?<!đạt )(?<!với )kế hoạch năm \d{4}"
)
_QUARTERS = {"I": 1, "II": 2, "III": 3, "IV": 4, "1": 1, "2": 2, "3": 3, "4": 4}


def _province(text: str) -> str | None:
    counts = Counter(m.group(1) for m in _PROVINCE_RE.finditer(text))
    dateline = _DATELINE_RE.search(text[:3000])
    if dateline:
        counts[dateline.group(1)] += 3
    if not counts:
        return None
    return counts.most_common(1)[0][0]


def _is_plan_mention(zone: str, start: int) -> bool:
    """ "nhiệm vụ trọng tâm tháng 2/2021": a plan for next month, not the period covered."""
    return bool(_PLAN_WORDS.search(zone[max(0, start - 30) : start]))


def _year_after(zone: str, pos: int) -> int | None:
    m = _YEAR.search(zone, pos)
    return int(m.group(1)) if m else None


def _is_dateline(zone: str, start: int) -> bool:
    return bool(re.search(r"ngày\s*(?:\d{1,2}\s*)?$", zone[max(0, start - 12) : start]))


def read_metadata(title_zone: str, full_text: str) -> ReportMeta:
    """Metadata from the title zone (title and first headings) and the whole text."""
    province = _province(full_text)
    zone = title_zone
    for m in _MONTH_YEAR.finditer(zone):
        if _is_dateline(zone, m.start()) or _is_plan_mention(zone, m.start()):
            continue
        return ReportMeta(province, int(m.group(2)), int(m.group(1)), None, "monthly")
    for m in _QUARTER.finditer(zone):
        year = m.group(2) or _year_after(zone, m.end())
        if year and not _is_plan_mention(zone, m.start()):
            return ReportMeta(
                province,
                year if isinstance(year, int) else int(year),
                None,
                _QUARTERS[m.group(1).upper()],
                "quarterly",
            )
    half = _HALF.search(zone)
    if half:
        year = int(half.group(1)) if half.group(1) else _year_after(zone, half.end())
        if year:
            return ReportMeta(province, year, None, None, "half_year")
    # "tháng 01, nhiệm vụ ... tháng 2/2021": month without its year, year later
    for m in _MONTH_ONLY.finditer(zone):
        if _is_dateline(zone, m.start()) or _is_plan_mention(zone, m.start()):
            continue
        ym = re.search(r"(?:/|năm\s+)(\d{4})", zone[m.end() : m.end() + 60])
        if ym:
            return ReportMeta(province, int(ym.group(1)), int(m.group(1)), None, "monthly")
    for m in _YEAR.finditer(zone):
        if _is_dateline(zone, m.start()):
            continue
        folded = fold(zone)
        if _PLAN_TITLE.search(folded) and "tình hình" not in folded and "kết quả" not in folded:
            return ReportMeta(province, int(m.group(1)), None, None, "plan")
        return ReportMeta(province, int(m.group(1)), None, None, "annual")
    return ReportMeta(province=province)


def parse_period(value: str) -> ReportMeta:
    """ "2024-02", "2024-Q1", "2024-H1" or "2023", as given on the command line."""
    m = re.fullmatch(r"(\d{4})(?:-(\d{1,2})|-Q([1-4])|-H1)?", value.strip())
    if not m:
        raise ValueError(
            f"period {value!r} not understood: use YYYY-MM (monthly), YYYY-Qn, YYYY-H1 or YYYY"
        )
    year = int(m.group(1))
    if m.group(2):
        month = int(m.group(2))
        if not 1 <= month <= 12:
            raise ValueError(f"period {value!r}: month must be 01..12")
        return ReportMeta(year=year, month=month, kind="monthly")
    if m.group(3):
        return ReportMeta(year=year, quarter=int(m.group(3)), kind="quarterly")
    if value.strip().endswith("-H1"):
        return ReportMeta(year=year, kind="half_year")
    return ReportMeta(year=year, kind="annual")


__all__ = ["PROVINCES", "ReportMeta", "parse_period", "read_metadata"]
