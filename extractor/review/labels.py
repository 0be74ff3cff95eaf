"""The words of the review pages, in Vietnamese and English (``--lang``)."""

from __future__ import annotations

from decimal import Decimal

LANGS = ("vi", "en")

_LABELS: dict[str, tuple[str, str]] = {
    "report": ("Báo cáo", "Report"),
    "reports": ("báo cáo", "reports"),
    "facts": ("chỉ tiêu", "facts"),
    "findings": ("Kết quả kiểm tra", "Checks"),
    "errors": ("lỗi", "errors"),
    "warnings": ("cảnh báo", "warnings"),
    "fail": ("sai", "failed"),
    "pass": ("đúng", "passed"),
    "skipped": ("bỏ qua", "skipped"),
    "error": ("lỗi", "error"),
    "warning": ("cảnh báo", "warning"),
    "all_rules": ("Mọi quy tắc", "All rules"),
    "search": ("Tìm chỉ tiêu", "Search indicators"),
    "matches": ("kết quả", "matches"),
    "indicator": ("Chỉ tiêu", "Indicator"),
    "code": ("Mã", "Code"),
    "period": ("Kỳ", "Period"),
    "value": ("Giá trị (đơn vị gốc)", "Value (base units)"),
    "comparisons": ("So sánh", "Comparisons"),
    "parent": ("Thuộc", "Part of"),
    "relations": ("Quan hệ số học", "Relations"),
    "show_relations": ("Hiện quan hệ", "Show relations"),
    "model": ("Mô hình đã sửa", "Changed by the model"),
    "no_findings": ("Không có kết quả kiểm tra", "No checks"),
    "documents": ("Báo cáo trong lượt chạy", "Reports in the run"),
    "status": ("Trạng thái", "Status"),
    "chunks": ("Đoạn", "Chunks"),
    "failures": ("Kiểm tra sai", "Failed checks"),
    "cost": ("Chi phí (USD)", "Cost (USD)"),
    "province": ("Tỉnh", "Province"),
    "over_time": ("Chỉ tiêu theo kỳ", "Indicators over time"),
    "across": ("Kiểm tra giữa các báo cáo", "Checks across reports"),
    "skipped_inputs": ("Tệp bị bỏ qua", "Skipped inputs"),
    "reason": ("Lý do", "Reason"),
    "run": ("Lượt chạy", "Run"),
    "legend": ("Chú giải kỳ", "Period legend"),
    "month": ("tháng", "month"),
    "ytd": ("lũy kế", "year to date"),
    "as_of": ("tại thời điểm", "as of"),
    "year": ("năm", "year"),
    "quarter": ("quý", "quarter"),
    "plan": ("kế hoạch", "plan"),
    "unit": ("Đơn vị (gốc)", "Unit (base)"),
    # what a fact's value is, when not a level
    "rate": ("tỷ lệ", "rate"),
    "change_pct": ("thay đổi %", "change %"),
    "change_abs": ("thay đổi", "change"),
    "change_points": ("thay đổi điểm %", "change, points"),
    "index": ("chỉ số", "index"),
    "multiple": ("số lần", "times"),
    "other": ("khác", "other"),
    "number": ("số trong kiểm tra", "number in a check"),
    "footnote": ("Chú thích", "Footnote"),
    "open": ("mở", "open"),
    # comparisons: their direction and what they compare with
    "increase": ("tăng", "up"),
    "decrease": ("giảm", "down"),
    "ratio": ("bằng", "equal to"),
    "reach": ("đạt", "reaching"),
    "exceed": ("vượt", "exceeding"),
    "times": ("gấp", "times"),
    "same_period": ("so với cùng kỳ", "on the same period"),
    "previous_period": ("so với kỳ trước", "on the previous period"),
    "budget": ("dự toán", "budget"),
    "none": ("không có", "none"),
}


def display_number(value: Decimal, lang: str) -> str:
    """A number as the page's language writes it: 1.234.567,5 (vi) or 1,234,567.5 (en)."""
    text = f"{value:,f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if lang == "vi":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text


def labels(lang: str) -> dict[str, str]:
    """Every label in ``lang`` ("vi" or "en")."""
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}: use vi or en")
    k = LANGS.index(lang)
    return {key: pair[k] for key, pair in _LABELS.items()}
