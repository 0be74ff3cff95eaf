"""Whether a figure is a level held at a date (a stock) or a flow of its period, when
the catalog does not know its indicator: "nâng tổng số cơ sở lưu trú lên 88", "toàn tỉnh
hiện có", "(tỉnh) có 115 khách sạn", "dư nợ" are levels; "có 180 doanh nghiệp đăng ký tạm
ngừng", "số doanh nghiệp tham gia thị trường là 323" are the period's events.

:func:`.periods.decide_period` asks :func:`held` after the words naming a period and the
catalog's kind of indicator.
"""

from __future__ import annotations

import re

from ..text import fold

# the words of a level at a date when the catalog does not know the indicator: "nâng
# tổng số cơ sở lưu trú lên 88", "toàn tỉnh hiện có", "đang hoạt động", "dư nợ"
_STOCK_WORDS = re.compile(
    r"nâng\s+tổng\s+số|(?:hiện|hiện\s+nay|đến\s+nay)[^.;]{0,40}\bcó\b(?!\s+thêm)|"
    r"\b(?:tỉnh|địa\s+bàn|toàn\s+tỉnh|thành\s+phố)\s+(?:hiện\s+)?có\s*$|"
    r"đang\s+(?:hoạt\s+động|triển\s+khai)|còn\s+hiệu\s+lực|tổng\s+đàn|dư\s+nợ|nợ\s+xấu|số\s+dư|"
    r"tiền\s+gửi|tồn\s+kho|"
    r"hiện\s+có",
    re.IGNORECASE,
)
# "338 dự án đầu tư còn hiệu lực", "1.200 doanh nghiệp đang hoạt động"
_STOCK_AFTER = re.compile(
    r"\s*(?:[^\W\d_]+\s+){0,3}?(?:còn\s+hiệu\s+lực|đang\s+hoạt\s+động|"
    # "với 75/80 xã đạt chuẩn, 3 xã đạt kiểu mẫu": communes that meet a standard, so far
    r"đạt\s+(?:chuẩn|kiểu\s+mẫu|nâng\s+cao))",
    re.IGNORECASE,
)
# units of things that exist at a date: "tỉnh có 115 khách sạn", "là trên 550.000 ha"
_HELD_UNITS = frozenset(
    fold(u)
    for u in (
        "ha",
        "héc-ta",
        "cơ sở",
        "trang trại",
        "doanh nghiệp",
        "hợp tác xã",
        "HTX",
        "khách sạn",
        "nhà nghỉ",
        "cơ sở lưu trú",
        "xã",
        "thôn",
        "làng",
        "chợ",
        "siêu thị",
        "trường",
        "tổ hợp tác",
        "bệnh viện",
        "giường",
        "phòng",
        "thành viên",
        "hội viên",
        "đảng viên",
        "con",
        "km",
    )
)
_EXISTS = re.compile(r"(?:\bcó|\blà|hiện\s+có|lên)\s*(?:trên|hơn|gần|khoảng|tới)?\s*$", re.I)
_FLOW_VERBS = re.compile(
    r"gieo|trồng\s+mới|thu\s+hoạch|xuống\s+giống|cấy|\bsạ\b|thành\s+lập|đăng\s+ký\s+mới|"
    r"tăng\s+thêm|phát\s+triển\s+mới|cấp\s+mới|xây\s+dựng\s+mới|bị\s+|"
    # "số doanh nghiệp tham gia thị trường là 323 doanh nghiệp", "gia nhập thị trường"
    r"(?:tham\s+gia|gia\s+nhập|rút\s+lui\s+khỏi)\s+thị\s+trường|quay\s+trở\s+lại|"
    r"trở\s+lại\s+hoạt\s+động",
    re.IGNORECASE,
)
# after the unit, the event counted: "180 doanh nghiệp đăng ký tạm ngừng", "thành lập"
_FLOW_AFTER = re.compile(
    r"\s*(?:(?!với\b|và\b|tổng\b)[^\W\d_]+\s+){0,3}?(?:đăng\s+ký(?!\s+hoạt\s+động)|"
    r"thành\s+lập|giải\s+thể|tạm\s+ngừng|"
    r"hoàn\s+tất|quay\s+trở\s+lại|được\s+(?:cấp|chấp\s+thuận|phê\s+duyệt)|thông\s+báo|"
    r"rút\s+lui|bị\s)",
    re.IGNORECASE,
)
_MORE = re.compile(r"\bthêm\s*(?:được\s+)?$", re.IGNORECASE)


def held(before: str, unit: str | None, after: str = "") -> bool:
    """Whether the words say the value is a level held at a date: "nâng tổng số ...
    lên", "đang hoạt động", "dư nợ"; "(tỉnh) có 115 khách sạn", "là trên 550.000 ha"
    for things that exist (establishments, areas)."""
    if _FLOW_AFTER.match(after):
        return False  # "có 180 doanh nghiệp đăng ký tạm ngừng": events, not a level
    if _STOCK_WORDS.search(before[-80:]):
        return True
    if _STOCK_AFTER.match(after) and not _MORE.search(before):
        return True  # not "có thêm 12 xã đạt chuẩn" (the year's new ones)
    if unit is None or fold(unit) not in _HELD_UNITS:
        return False
    return bool(_EXISTS.search(before[-30:])) and not _FLOW_VERBS.search(before[-80:])


def both_held(a: str | None, b: str | None) -> bool:
    """Whether two units are both of things that exist at a date (a list of them)."""
    return a is not None and b is not None and fold(a) in _HELD_UNITS and fold(b) in _HELD_UNITS
