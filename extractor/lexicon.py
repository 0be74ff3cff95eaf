"""The words the quantity tagger knows: scale words and units; and the words that name a
period ("lũy kế 7 tháng", "tháng 5", "quý II", "cả năm"), which give a number the
period of its sentence (:func:`period_of`).

Units are matched longest first. A unit may be glued to its number ("9.800ha",
"2.424,4MW") only if it is in GLUED_UNITS: a glued word is otherwise a code ("5T").
"""

from __future__ import annotations

import re

from .text import fold

SCALES: dict[str, int] = {
    "nghìn": 10**3,
    "ngàn": 10**3,
    "vạn": 10**4,
    "triệu": 10**6,
    "tỷ": 10**9,
    "tỉ": 10**9,
}

# Longest first at match time. Units glued to the number ("9.800ha", "2.424,4MW") are
# the ones in GLUED_UNITS.
MONEY_UNITS: tuple[str, ...] = ("đồng", "USD", "đô la Mỹ", "NDT", "Euro")
UNITS: tuple[str, ...] = (
    *MONEY_UNITS,
    # area, length, volume, mass, energy, power
    "ha",
    "héc-ta",
    "m²",
    "m³",
    "m2",
    "m3",
    "km²",
    "km2",
    "km",
    "Km",
    "m",
    "tấn.km",
    "tấn",
    "tạ",
    "kg",
    "kWh",
    "KWh",
    "MWh",
    "MW",
    "kW",
    "KW",
    "MVA",
    "lít",
    "giờ",
    "ngày khách",
    "ngày",
    # transport
    "HK.Km",
    "HK.km",
    "HK",
    "lượt HK",
    "lượt xe",
    "chuyến",
    "tuyến",
    "xe",
    "chiếc",
    # people
    "lượt khách",
    "lượt người",
    "lượt bệnh nhân",
    "lượt học sinh",
    "lượt hộ gia đình",
    "lượt thôn bản",
    "lượt vụ",
    "lượt doanh nghiệp",
    "lượt",
    "người",
    "lao động",
    "hộ gia đình",
    "hộ",
    "khẩu",
    "học sinh",
    "học viên",
    "thí sinh",
    "cháu",
    "em",
    "liều",
    "sinh viên",
    "giáo viên",
    "trẻ em",
    "trẻ",
    "bác sĩ",
    "bác sỹ",
    "bệnh nhân",
    "cán bộ",
    "công chức",
    "viên chức",
    "đối tượng",
    "thân nhân",
    "tân binh",
    "vận động viên",
    "nhà đầu tư",
    "khách hàng",
    "trường hợp",
    "ca",
    "du khách",
    # organisations and places
    "doanh nghiệp",
    "DN",
    "hợp tác xã",
    "HTX",
    "chủ thể",
    "tổ chức",
    "cơ sở",
    "cơ quan",
    "đơn vị",
    "xã",
    "phường",
    "thôn",
    "bản",
    "huyện",
    "trường",
    "lớp",
    "điểm",
    "trạm",
    "nhà máy",
    "cụm công nghiệp",
    "khu công nghiệp",
    "trang trại",
    "đàn ong",
    "đàn",
    "hội đồng",
    "đoàn",
    "gian hàng",
    "làn xe",
    "lồng",
    "thùng",
    "chậu",
    "giường",
    # things counted
    "dự án",
    "công trình",
    "hồ sơ",
    "giấy chứng nhận",
    "quyết định",
    "văn bản",
    "đơn",
    "vụ việc",
    "vụ",
    "cuộc",
    "buổi",
    "giải",
    "lễ hội",
    "sản phẩm",
    "mặt hàng",
    "nhiệm vụ",
    "đề tài",
    "mô hình",
    "sáng kiến",
    "nhãn hiệu",
    "chương trình",
    "đề án",
    "công việc",
    "thủ tục",
    "TTHC",
    "dịch vụ công",
    "dịch vụ",
    "thiết bị",
    "cây",
    "viên",
    "ổ dịch",
    "dân tộc",
    "sao",
    "đồ án",
    "hội thảo",
    "hội nghị",
    "giống",
    "trận",
    "lượt xe",
    "tờ",
    "con",
    "suất quà",
    "suất",
    "phần quà",
    "tài liệu",
    "lớp tập huấn",
    "lớp bồi dưỡng",
    "huy chương",
    "giải thưởng",
    "tiêu chí",
    "loại",
    "nhóm",
    "tuổi",
    "phương án",
    "nhà",
    "căn",
    "chứng thư",
    "tin",
    "bài",
    "đợt",
)
GLUED_UNITS = (
    "ha",
    "m²",
    "m³",
    "m2",
    "m3",
    "km²",
    "km2",
    "km",
    "Km",
    "MW",
    "kW",
    "KW",
    "kWh",
    "KWh",
    "MWh",
    "tấn",
    "kg",
    "%",
    "‰",
)

# Units that count the same kind of thing: a total in "lao động" broken down in "người".
_PEOPLE = {
    "người",
    "lao động",
    "học sinh",
    "học viên",
    "sinh viên",
    "thí sinh",
    "trẻ",
    "trẻ em",
    "cháu",
    "em",
    "khẩu",
    "đối tượng",
    "bệnh nhân",
    "cán bộ",
    "công chức",
    "viên chức",
    "giáo viên",
}
_FIRMS = {"doanh nghiệp", "DN"}
_GIFTS = {"suất", "suất quà", "phần quà", "phần"}


# measures, not counts: "1250 ha" is 1.249,5 to 1.250,5 ha, "24.200.000 USD" rounded too
MEASURED = frozenset(
    (
        *("ha", "héc-ta", "m²", "m³", "m2", "m3", "km²", "km2", "km", "Km", "m"),
        *("tấn", "tạ", "kg", "tấn.km", "lít", "kWh", "KWh", "MWh", "MW", "kW", "KW", "MVA"),
        *("đồng", "USD", "đô la Mỹ", "NDT", "Euro", "giờ", "ngày", "ngày khách"),
    )
)


def family(unit: str | None) -> str | None:
    """The kind of thing a unit counts, so that parts and totals written with different
    words still compare ("lượt khách" and "lượt", "lao động" and "người")."""
    if unit is None:
        return None
    if unit.endswith(("/năm", "/tháng")):  # "30.000 tỉ đồng/năm": a flow, still money
        unit = unit.rsplit("/", 1)[0]
    if unit in _PEOPLE:
        return "people"
    if unit.startswith("lượt"):  # "lượt khách" broken down as "... 57.191 lượt"
        return "lượt"
    if unit == "đàn":  # "hơn 384 nghìn đàn lợn": head of the pig herd
        return "con"
    if unit in _FIRMS:
        return "firms"
    if unit in _GIFTS:
        return "gifts"
    return unit


# --------------------------------------------------------------------------- periods
# The words that name a period, read in the words before a number (lower-cased, folded):
# "lũy kế 7 tháng", "tháng 5", "quý II", "cả năm", "đến ngày 30/11"...

_VN_NUMBERS = {
    "một": 1,
    "hai": 2,
    "ba": 3,
    "bốn": 4,
    "năm": 5,
    "sáu": 6,
    "bảy": 7,
    "tám": 8,
    "chín": 9,
    "mười": 10,
    "mười một": 11,
    "mười hai": 12,
}
_MONTHS_WORD = "|".join(sorted(_VN_NUMBERS, key=len, reverse=True))
_YTD = re.compile(
    r"lũy kế|luỹ kế|lũy tích|tính chung|(?<!kể )từ đầu năm|cộng dồn|cả năm|"
    rf"(?:\d{{1,2}}|{_MONTHS_WORD}) tháng(?: đầu năm)?|năm \d{{4}}|"
    r"đến (?:hết )?(?:ngày )?\d{1,2}/\d{1,2}|(?:đến )?hết tháng \d{1,2}"
)
_MONTH = re.compile(r"trong tháng(?! \d)|tháng (\d{1,2})(?!\d)(?:/\d{4})?(?! tháng)")
_MONTH_COUNT = re.compile(rf"(\d{{1,2}}|{_MONTHS_WORD}) tháng")
_UPTO_MONTH = re.compile(r"(?:hết tháng |đến (?:hết )?(?:ngày )?\d{1,2}/)(\d{1,2})")
_QUARTER = re.compile(r"quý (iv|i{1,3}|[1-4])\b")
_QUARTER_MONTHS = {"i": 3, "ii": 6, "iii": 9, "iv": 12, "1": 3, "2": 6, "3": 9, "4": 12}
_WHOLE_YEAR = re.compile(r"cả năm|năm \d{4}")
# "năm 2013" after these is the year of the months, of a plan or of a comparison
_MONTH_BEFORE_YEAR = re.compile(
    r"(?:tháng(?: \d{1,2})?|quý [ivx\d]+|đầu|kế hoạch|\bkh|mục tiêu|chỉ tiêu|so với|"
    r"cùng kỳ|dự toán)(?: đầu)?(?: của)?\s*$"
)
_PREVIOUS = re.compile(r"trước đó|tháng trước|kỳ trước")

# a period cue has one of these (a quick test before the patterns)
PERIOD_WORDS = ("tháng", "quý", "năm", "lũy", "luỹ", "chung", "đến", "dồn", "tích")


def _month_number(word: str) -> int | None:
    if word.isdigit():
        return int(word)
    return _VN_NUMBERS.get(word)


def period_of(context: str) -> tuple[str | None, int | None]:
    """:func:`period_of_folded` of the words before a number."""
    return period_of_folded(fold(context))


def period_of_folded(text: str) -> tuple[str | None, int | None]:
    """The period the words before a number give it, the last cue winning: "month"
    (with the month's number when printed), "ytd" (with the months it covers when
    known: "lũy kế 5 tháng", "đến ngày 30/11", "cả năm" is 12), "previous_ytd" ("lũy
    kế 7 tháng trước đó") or "quarter" (a quarter other than the first, with its last
    month; the first quarter is the year to date). ``text`` is folded."""
    best: tuple[int, str, int | None] | None = None

    def offer(at: int, kind: str, months: int | None) -> None:
        nonlocal best
        if best is None or at >= best[0]:
            best = (at, kind, months)

    for m in _YTD.finditer(text):
        if m.group().startswith("năm") and _MONTH_BEFORE_YEAR.search(text, 0, m.start()):
            continue  # "tháng 5 năm 2013", "10 tháng năm 2024": the year of the months
        months = None
        count = _MONTH_COUNT.search(m.group())
        tail = text[m.end() : m.end() + 40]
        if count:
            months = _month_number(count.group(1))
        elif _WHOLE_YEAR.fullmatch(m.group()):
            months = 12
        upto = _UPTO_MONTH.search(text[m.start() : m.end() + 40])
        more = _MONTH_COUNT.match(tail.strip())
        quarter = _QUARTER.match(tail.strip())
        if months is None and more:
            months = _month_number(more.group(1))
        if months is None and upto:
            months = int(upto.group(1))
        if months is None and quarter:
            months = _QUARTER_MONTHS.get(quarter.group(1))
        kind = "previous_ytd" if _PREVIOUS.search(text[m.end() : m.end() + 30]) else "ytd"
        offer(m.start(), kind, months)
    for m in _QUARTER.finditer(text):
        if best is not None and best[0] <= m.start() <= best[0] + 12:
            continue  # "lũy kế quý I": read with its cue
        end = _QUARTER_MONTHS[m.group(1)]
        offer(m.start(), "ytd" if end == 3 else "quarter", end)
    ytd_spans = [m.span() for m in _UPTO_MONTH.finditer(text)]
    for m in _MONTH.finditer(text):
        if any(s <= m.start() < e for s, e in ytd_spans):
            continue  # "đến hết tháng 11": the period to date
        if best is None or m.start() > best[0]:
            month = int(m.group(1)) if m.group(1) else None
            best = (m.start(), "month", month)
    if best is None:
        return None, None
    return best[1], best[2]
