"""Where periods are decided: the words that name a period, and the order the rules
backend weighs them in (README "The period model").

A value's period is ``month`` (a flow within the report's month), ``ytd`` (from the start
of the year or season to date), ``as_of`` (a level at a date), ``year``, ``quarter``,
``plan`` or ``other`` (a level of an earlier period printed to compare with, a holiday).
:func:`decide_period` weighs, in order: an allocation ("Trung ương giao"), a figure of an
earlier period ("mức tăng 0,55% của năm 2017"), the year its subject names, the words
right before the value, a plan it is the subject or the bracket of, the periods its
sentence names (:func:`sentence_cues`), a crop season, the catalog's stocks, a level held
at a date (:func:`held`), the period of the value's total or list, a sown area so far,
the period an earlier sentence named before its first figure (:func:`context_cues`), the
catalog's convention for budget and disbursement (to date), and last the report's own
period. The targets a sentence names (a plan's period) are :mod:`.targets`'.
"""

from __future__ import annotations

import re

from .levels import held
from .targets import after_target, target_cues

_YTD = re.compile(
    r"lũy\s+kế|luỹ\s+kế|lũy\s+tích|tính\s+chung|từ\s+đầu\s+năm|cộng\s+dồn", re.IGNORECASE
)
# "trong tháng", "tháng 9 ước đạt"; a change on the same month a year before is the
# month's ("so với cùng tháng năm trước giảm 6,33%", "so với tháng cùng kỳ")
_MONTH = re.compile(
    r"trong\s+tháng|tháng\s+\d{1,2}(?:/\d{4})?\s+(?:ước|đạt)|"
    r"cùng\s+tháng\s+năm\s+(?:trước|ngoái)|tháng\s+cùng\s+kỳ",
    re.IGNORECASE,
)
_AS_OF = re.compile(
    r"đến\s+ngày|ước\s+đến|đến\s+\d{1,2}/\d{1,2}|tính\s+đến|đến\s+thời\s+điểm|"
    r"đến\s+nay|hiện\s+có|hiện\s+tại|đến\s+hết|đến\s+cuối|hết\s+tháng|"
    # "Chỉ số tồn kho tại thời điểm 01/8/2013 ... tăng 6,96%"
    r"tại\s+thời\s+điểm",
    re.IGNORECASE,
)
# "kế hoạch", not "Sở Kế hoạch và Đầu tư" (the department's name)
_PLAN_WORD = r"kế\s+hoạch(?!\s+và\s+đầu\s+tư)"
_PLAN = re.compile(_PLAN_WORD + r"|chỉ\s+tiêu|dự\s+toán", re.IGNORECASE)
# the plan's figure after a result: "tốc độ tăng trưởng GRDP tăng 9,08%/KH 8,5-9,5%"
_PLAN_AFTER_RESULT = re.compile(r"/\s*(?-i:KH)\s*:?\s*$", re.IGNORECASE)
# the months in words: "Mười tháng đầu năm 2016", "Chín tháng", "sáu tháng đầu năm"; "năm",
# "bốn", "ba", "hai" only before "đầu năm" or a year ("năm tháng" is also "years and months")
_WORD_MONTHS = (
    r"\b(?:(?:mười(?:\s+(?:một|hai))?|chín|tám|bảy|sáu)\s+tháng|"
    r"(?:năm|bốn|ba|hai)\s+tháng(?=\s+(?:đầu\s+năm|năm\s+(?:19|20)\d{2})))"
)
# "10 tháng đầu năm 2012", "tính chung 6 tháng", "trong 11 tháng", "10 tháng qua": the
# months of the year to date ("12 tháng": the year); not "6 tháng cuối năm", "3 tháng
# tới", "18 tháng tuổi", "dưới 3 tháng", "sau 6 tháng", "ngày 26 tháng Chạp"
_MONTHS_TO_DATE = re.compile(
    r"(?:(?<![\d/])(\d{1,2})\s+tháng|" + _WORD_MONTHS + r")"
    r"(?!\s+(?:cuối|tới|sau|trước|liên|tuổi|qua\s+các))",
    re.IGNORECASE,
)
_TWELVE = re.compile(r"12\s|mười\s+hai", re.IGNORECASE)
_NOT_MONTHS_TO_DATE_BEFORE = re.compile(
    r"(?:so\s+với|cùng\s+kỳ|dưới|trên|từ|đủ|sau|được|vòng|hạn|thời\s+gian|ngày|mùng|mồng)\s*$",
    re.IGNORECASE,
)
# a sentence that opens on its year: "Năm 2017, ...", "Trong năm 2023, ...", "Ước cả
# năm ..."; a year later in the sentence is more often that of a plan, a target or an
# event ("kế hoạch vốn năm 2023", "quy hoạch đến năm 2030", "Xuân ... năm 2024")
_YEAR_OPENING = re.compile(
    r"\s*(?:[-–•+]\s*)?(?:(?:trong|tính\s+chung|ước(?:\s+thực\s+hiện)?|ước\s+tính)\s+)?"
    r"(?:cả\s+)?năm(?:\s+(?:19|20)\d{2})?\s*[,:]",
    re.IGNORECASE,
)


# "tháng 9", "tháng 4-2024", "Tháng 11/2023": the month itself; not "đến (hết) tháng 9"
# (to date), "so với tháng 8", "cùng kỳ tháng 9" (a basis), "từ tháng 5" (a span)
# also "tháng10" (a PDF's lost space) and a month by its capitalised name ("ước tháng Bảy";
# not the lunar "tháng Giêng", "tháng Chạp")
_NAMED_MONTH = re.compile(
    r"\btháng\s*\d{1,2}\b(?![,.]\d)|"
    r"\btháng\s+(?-i:Hai|Ba|Tư|Năm|Sáu|Bảy|Tám|Chín|Mười(?:\s+[Mm]ột|\s+[Hh]ai)?)\b",
    re.IGNORECASE,
)
_NOT_NAMED_MONTH_BEFORE = re.compile(
    r"(?:đến|hết|cuối|giữa|(?:đến|từ)\s+đầu|so\s+với|so|cùng\s+kỳ|từ|với|trước|sau|kể\s+từ|"
    # a date ("ngày 26 tháng 12"), part of a month ("trung tuần tháng 11")
    r"\b\d{1,2}|\b(?:trung|thượng|hạ)\s+tuần)\s*$",
    re.IGNORECASE,
)


# a month said as a clause of its own: "Trong đó, riêng tháng 2, Sở ... đã cấp phép ..."
_MONTH_CLAUSE = re.compile(
    r"(?:^|[,;:]\s*)(?:(?:riêng|trong|và)\s+)?(tháng\s+\d{1,2}(?:/(?:19|20)\d{2})?)\s*,", re.I
)
# the months by name: "giữa tháng Bảy", "26 tháng Chạp"
_MONTH_NAMES = r"(?:giêng|hai|ba|tư|năm|sáu|bảy|tám|chín|mười(?:\s+một|\s+hai)?|chạp)\b"
# a sentence opening on the date it runs to: "Đến 30/11/2021, tỷ lệ nợ xấu ...", "Tính đến
# hết tháng 6, giá trị xây lắp đạt ..."
_TO_DATE_OPENING = re.compile(
    r"^\W*(?:theo\s+[^,]{0,60},\s*)?((?:ước\s+|dự\s+kiến\s+)?(?:tính\s+)?đến\s+"
    r"(?:hết\s+|cuối\s+|giữa\s+)?"
    r"(?:ngày\s+)?(?:\d{1,2}/\d{1,2}|tháng\s+(?:\d|" + _MONTH_NAMES + r")|nay|thời\s+điểm))",
    re.IGNORECASE,
)
# a crop season: what is done in it is the season so far ("vụ Đông Xuân", "vụ hè thu 2023",
# "lúa Mùa đã cấy", "Cây ngô Hè Thu đã trồng"); not "mùa mưa", "mùa khô"
_SEASON = re.compile(
    r"\b(?:vụ|lúa|ngô)\s+(?:đông\s*[-–]?\s*xuân|hè\s*[-–]?\s*thu|thu\s*[-–]?\s*đông|mùa|chiêm|"
    r"đông|xuân)\b",
    re.IGNORECASE,
)
# the year a season is of: "diện tích gieo trồng lúa Hè Thu năm 2018 đạt 75.856 ha"
_SEASONS_YEAR = re.compile(_SEASON.pattern + r"\s+năm\s+(?:19|20)\d{2}\b", re.IGNORECASE)
# a holiday opening its sentence, a period of its own: "Trong dịp nghỉ Lễ Quốc khánh 2-9
# (từ 31/8 đến hết ngày 03/9/2024), lượng khách ..."; not "tặng quà nhân dịp Tết" (the
# report month's gifts)
_HOLIDAY_OPENING = re.compile(
    r"(?:^|(?<=\n)|(?<=\. ))[^\n.]{0,10}?(?:theo\s+[^,.\n]{0,60},\s*)?(?:\b(?:trong|vào)\s+"
    r"(?:\d{1,2}\s+ngày\s+)?(?:dịp|kỳ\s+nghỉ|ngày\s+nghỉ|nghỉ)\s+(?:nghỉ\s+)?(?:lễ|tết)\b|"
    # "Dịp Tết Nguyên đán này, để đảm bảo ..."
    r"(?<![^\W\d_]\s)\bdịp\s+(?:lễ|tết)\b|"
    # "Tết Quý Mão năm 2023, tỉnh huy động ..."
    r"\btết\s+(?:nguyên\s+đán\s+)?(?:[^\W\d_]+\s+[^\W\d_]+\s+)?năm\s+(?:19|20)\d{2}\s*,|"
    # "từ ngày 26 tháng Chạp đến mùng 2 Tết Nguyên đán Ất Tỵ 2025"
    r"\btừ\s+[^.\n]{0,40}?\bđến\s+(?:hết\s+)?mùng\s+\d{1,2}\s+tết[^,.\n]{0,30})",
    re.IGNORECASE,
)
# not the year of "6 tháng đầu năm 2023", "tháng 5 năm 2024", "cuối năm 2020"
_NOT_A_SPANS_YEAR = r"(?<!đầu\s)(?<!tháng\s)(?<!cuối\s)(?<!giữa\s)"
# a year said as a clause of its own: "Về thu hút FDI, năm 2018 có 46 dự án", "Trong các
# quốc gia ... có dự án đầu tư tại Hà Nam năm 2018, Nhật Bản ..."; not "5 tháng đầu năm
# 2020," nor "quý I năm 2024," (:func:`_year_cues`)
_YEAR_CLAUSE = re.compile(
    r"(?:^|[,:]\s*)(?:trong\s+)?năm\s+(?:19|20)\d{2}(?=\s*,|\s+(?:có|đã|toàn|tỉnh)\b)|"
    + _NOT_A_SPANS_YEAR
    + r"(?<!kỳ\s)(?<!với\s)(?<!so\s)(?<!của\s)"
    r"\bnăm\s+(?:19|20)\d{2}\s*,",
    re.IGNORECASE,
)
# the subject's year right before its verb: "vốn bổ sung năm 2018 đạt 529,8 triệu USD"
_YEAR_BEFORE_VERB = re.compile(
    _NOT_A_SPANS_YEAR + r"\bnăm\s+(?:19|20)\d{2}"
    r"(?:\s+(?:của|trên|tại)\s+[^\d,;]{0,30}?)?\s+(?:ước\s+)?(?:đạt|là|có)"
    r"\s+(?:khoảng\s+|trên\s+|hơn\s+|gần\s+)?$",
    re.IGNORECASE,
)
# an allocation: "Trung ương giao 8.184 tỷ đồng; địa phương giao là 8.526 tỷ đồng", "được
# Thủ tướng Chính phủ giao cho tỉnh Điện Biên là hơn 3.196 tỷ đồng"; not "bàn giao", "đã giao"
_ALLOCATED = re.compile(
    r"(?:(?<!bàn\s)(?<!đã\s)\bgiao(?:\s+(?:cho|về)\s+(?:[^,;.\d]|\d{1,2}/\d{4}){0,40}?)?|"
    # "Kiên Giang dành hơn 5.120 tỷ đồng thực hiện ...", "tỉnh bố trí thực hiện 79 dự án"
    r"(?<!đã\s)\b(?:dành|bố\s+trí)(?:\s+thực\s+hiện)?)\s+(?:là\s+)?"
    r"(?:hơn\s+|khoảng\s+|trên\s+|gần\s+)?$",
    re.IGNORECASE,
)
# a figure of an earlier period, printed to compare with: "cao hơn mức tăng 0.55% của năm
# 2017", "thấp hơn mức tăng 13,91% của quý I/2022"
# ("từ mức sơ bộ tăng 7,85% của 6 tháng đầu năm đã tăng lên 8,67% của 9 tháng")
_EARLIER_LEVEL_BEFORE = re.compile(
    r"(?:hơn|với|so\s+với|bằng|\btừ)\s+(?:mức|tốc\s+độ|tỷ\s+lệ)(?:\s+sơ\s+bộ)?"
    r"(?:\s+(?:tăng|giảm)(?:\s+trưởng)?)?\s*$",
    re.IGNORECASE,
)
# "(giảm so với tỷ lệ 3,6% trong tổng dư nợ của 6 tháng đầu năm 2014)"
_EARLIER_LEVEL_AFTER = re.compile(
    r"\s*(?:(?:trong|của)\s+[^\W\d][^,;.()\d]{0,30}?\s+)?(?:của|trong)\s+(?:cùng\s+kỳ\s+)?"
    r"(?:\d{1,2}\s+tháng\s+(?:đầu\s+)?)?(?:năm|quý|tháng|giai\s+đoạn)\b",
    re.IGNORECASE,
)
# "riêng tháng 2": a part singled out, which frames nothing after its sentence
SINGLED_OUT = re.compile(r"\briêng\s*$", re.IGNORECASE)


# "quý II", "quý I/2024", "Quý 3": that quarter; not "so với quý trước", "cùng kỳ quý I"
_NAMED_QUARTER = re.compile(r"\bquý\s+(?:IV|I{1,3}|[1-4])\b", re.IGNORECASE)
# a to-date figure through the end of December is the whole year
_YEAR_END = re.compile(r"(?:hết\s+|đến\s+|tính\s+đến\s+)(?:ngày\s+)?(?:tháng\s+12\b|31/12)", re.I)


_CLOSED_BRACKET = re.compile(r"\([^()]*\)")


def _named_cues(pattern: re.Pattern[str], period: str, text: str) -> list[tuple[int, str]]:
    """The months or quarters ``pattern`` finds, as the period of what follows them;
    not one after "đến (hết)", "so với", "cùng kỳ", "từ" (a date, a basis, a span)."""
    return [
        (m.start(), period)
        for m in pattern.finditer(text)
        if not _NOT_NAMED_MONTH_BEFORE.search(text[max(0, m.start() - 15) : m.start()])
    ]


def _quarter_cues(text: str) -> list[tuple[int, str]]:
    """The quarters named as the period of what follows ("Quý II, GRDP tăng 6,2%")."""
    return _named_cues(_NAMED_QUARTER, "quarter", text)


def _month_cues(text: str) -> list[tuple[int, str]]:
    """The months named as the period of what follows ("CPI tháng 9 tăng ...")."""
    return _named_cues(_NAMED_MONTH, "month", text)


def _span_cues(text: str) -> list[tuple[int, str]]:
    """The periods named by "N tháng (đầu năm)" (ytd) in ``text``, by position; one named
    as a comparison's basis, an age or a duration is left out."""
    return [
        (m.start(), "year" if _TWELVE.match(m.group()) else "ytd")  # "luỹ kế 12 tháng"
        for m in _MONTHS_TO_DATE.finditer(text)
        if not _NOT_MONTHS_TO_DATE_BEFORE.search(text[max(0, m.start() - 20) : m.start()])
    ]


def _opening_year(sentence: str) -> bool:
    """Whether the sentence opens on the year it is about ("Năm 2017, tổng thu ...")."""
    return _YEAR_OPENING.match(sentence) is not None


# how far back a period stated earlier in the section still holds: one named before the
# first figure of its sentence ("Trong 10 tháng đầu năm 2012, khách ...", "Tổng thu ngân
# sách ước thực hiện 8 tháng đạt ..."; not a "lũy kế" clause after a month's figure)
CONTEXT_CHARS = 2500
# a season's sowing, planting or harvest so far: cumulative from the season's start, even
# of an area the catalog keeps as a level
_PROGRESS = re.compile(
    r"gieo|\bcấy|trồng\s+được|\btrồng\s*$|đã\s+trồng|xuống\s+giống|thu\s+hoạch|\bsạ\b|"
    # "Diện tích cây ngô thực hiện 486 ha"
    r"diện\s+tích[^\d,;.]{0,40}\bthực\s+hiện\s*$",
    re.IGNORECASE,
)
# a price per physical unit ("đồng/kg", "đ/lít"): quoted at a date
_PRICE_UNIT = re.compile(
    r"(?:đồng|đ|USD)\s*/\s*(?:kg|tấn|tạ|lít|m3|m³|con|quả|bó|chục|cây|hộp|gói)\b", re.IGNORECASE
)
# the size of a classification, not a figure of the period: "Trong 11 nhóm hàng hóa và dịch
# vụ chính, có 06 nhóm tăng", "Trong 51 nhóm ngành kinh tế cấp II"
_CLASSES = frozenset({"nhóm", "ngành", "lĩnh vực"})
_AMONG = re.compile(r"\btrong\s+(?:số\s+)?(?:các\s+)?$", re.IGNORECASE)
# "lũy kế đến cuối tháng 7": of a level, the level at that date
_CUMULATED_TO = re.compile(r"\b(?:lũy|luỹ)\s+kế\s+(?:đến|tới)\b", re.IGNORECASE)
# the plan a result is measured against: "Vượt qua kế hoạch đề ra tới 14,9%"
_AGAINST_PLAN = re.compile(r"\b(?:vượt(?:\s+qua)?|so\s+với|bằng|hơn)\s*$", re.IGNORECASE)
# a figure aimed at: "để giải ngân đạt 100% kế hoạch vốn giao", "nhằm đạt trên 95%"
_AIMED = re.compile(
    r"\b(?:để|nhằm)\s+(?:(?:[^\W\d_]+\s+){0,4}?đạt|đảm\s+bảo|bảo\s+đảm)\s+"
    r"(?:(?:trên|tối\s+thiểu|ít\s+nhất)\s+)?$",
    re.IGNORECASE,
)
_AREA_UNIT = re.compile(r"ha|héc-ta|hecta", re.IGNORECASE)
_CHANGE_WORD = re.compile(r"\b(?:tăng|giảm)\b", re.IGNORECASE)
_HELD_NOW = re.compile(r"hiện\s+(?:có|nay|tại)|đang\s+(?:có|nuôi|duy\s+trì)", re.IGNORECASE)
# a figure in brackets after the plan it states: "để thực hiện đạt được kế hoạch tăng trưởng
# kinh tế trong năm 2019 (tăng từ 11,5%-12%)"
_PLAN_BRACKET = re.compile(
    r"(?:kế\s+hoạch|chỉ\s+tiêu|mục\s+tiêu)(?!\s+và\s+đầu\s+tư)(?:[^\d()]|\d{4}){0,60}\([^()\d]{0,20}$",
    re.IGNORECASE,
)
# a clause whose subject is the plan: "Cây trồng vụ đông: Kế hoạch sản xuất toàn tỉnh dự
# kiến trên 4.300ha"
_PLAN_SUBJECT = re.compile(
    r"(?:^|[:;,.]\s*|\n|\b(?:theo|giao|tổng)\s+)"
    + _PLAN_WORD
    + r"(?:[^\d,;:()]|\d{4}){0,60}?\b(?:là|dự\s+kiến|"
    r"giao|đề\s+ra)\s+(?:(?:trên|khoảng|gần|hơn)\s+)?$|"
    # "mục tiêu theo Nghị quyết Đại hội Đảng bộ tỉnh lần thứ XIX đến năm 2025 là 1,765 tỷ"
    r"\bmục\s+tiêu(?:[^\d,;:()]|\d{4}){0,80}?\blà\s+(?:(?:trên|khoảng|gần|hơn)\s+)?$|"
    # "Phân bổ vốn đầu tư công theo quyết định của Chính phủ là 10.664 tỷ đồng", "Vốn đầu
    # tư công nguồn ngân sách nhà nước đã phân bổ ước đạt 620.873 tỷ đồng"
    r"(?:^|[:;,.]\s*|\n)[^\d,;:()]{0,40}?(?<!chưa\s)(?<!chưa\sđược\s)\bphân\s+bổ"
    r"(?:[^\d,;:()]|\d{4}){0,60}?\b(?:là|ước\s+đạt|đạt)\s+(?:(?:trên|khoảng|gần|hơn)\s+)?$",
    re.IGNORECASE,
)
# a figure the text says was achieved: not a plan's
_REALISED = re.compile(r"\bđã\b|ước\s+đạt|ước\s+thực\s+hiện|thực\s+hiện\s+được|lũy\s+kế", re.I)
_OPENING_YEAR_ANYWHERE = re.compile(
    r"(?:^|(?<=\n)|(?<=\. ))(?:(?:trong|tính\s+chung|ước|ước\s+tính)\s+)?(?:cả\s+)?"
    r"(?:năm(?:\s+(?:19|20)\d{2})?\s*[,:]|năm\s+(?:19|20)\d{2}\s+(?=[^\W\d_]))",
    re.IGNORECASE,
)


# "trong năm 2021", "cả năm 2023", "hết năm 2022": the whole year
# ("diện tích lúa cả năm đạt 332.000 ha", not a target's "mục tiêu cả năm"; not the
# annual crops: "cây hàng năm khác còn lại 552 ha")
_IN_YEAR = re.compile(
    r"(?:\btrong|\bcả|\bhết|\bsuốt)\s+năm\s+(?:19|20)\d{2}|(?<!cây\s)\bhàng\s+năm\b|"
    r"(?<!tiêu\s)(?<!hoạch\s)(?<!với\s)\bcả\s+năm\b(?!\s*\d)",
    re.I,
)
# "30.000 tỉ đồng/năm": a yearly amount (of its own figure only: "GRDP bình quân đầu người
# đạt 5.500-5.700 USD/năm và tổng thu ngân sách ... đạt hơn 56.834 tỷ đồng" is no year's)
_PER_YEAR = re.compile(r"/\s?năm\b", re.IGNORECASE)


_QUARTER_OR_MONTH_END = re.compile(r"(?:quý\s+[IVX\d]+|tháng\s+\d{1,2})\s*$", re.IGNORECASE)


def _year_cues(pattern: re.Pattern[str], text: str) -> list[tuple[int, str]]:
    """The years ``pattern`` finds as the period of what follows, not the year of a named
    quarter or month ("riêng quý III năm 2020 đạt 15%") nor of a basis ("tăng 48,9% so
    với dịp nghỉ lễ năm 2024, trong đó có trên 124.000 lượt khách quốc tế")."""
    return [
        (m.start(), "year")
        for m in pattern.finditer(text)
        if not _QUARTER_OR_MONTH_END.search(text[max(0, m.start() - 12) : m.start()])
        and not _BASIS_CLAUSE.search(text[max(0, m.start() - 40) : m.start()])
    ]


# a clause naming what a change is measured against: "so với dịp nghỉ lễ "
_BASIS_CLAUSE = re.compile(r"\bso(?:\s+với)?\s[^,;.()\d]*$", re.IGNORECASE)


# a count of targets or resolutions set, not a result: "đề ra 15 chỉ tiêu", "quyết nghị 16
# nghị quyết", "kỳ họp đã xác định 18 chỉ tiêu" (not "có 27/28 chỉ tiêu chủ yếu đạt")
_SETS_TARGETS = re.compile(
    r"\b(?:đề\s+ra|xác\s+định|quyết\s+nghị|thông\s+qua|ban\s+hành)\s+(?:tổng\s+số\s+)?$",
    re.IGNORECASE,
)
_TARGETS_NAMED = re.compile(r"\s*(?:nhóm\s+)?(?:chỉ\s+tiêu|nghị\s+quyết|nhiệm\s+vụ)\b", re.I)


# a change on the month before, printed after a figure: "tăng 8,48 điểm so với tháng 7"
_ON_MONTH_BEFORE = re.compile(
    r"[^.;()]{0,40}?\b(?:tăng|giảm)\b[^.;()]{0,25}?\bso\s+(?:với\s+)?tháng\s+(?:trước|\d{1,2}\b)",
    re.IGNORECASE,
)


# "Từ ngày 1/1-31/3, tỉnh thu hút được 32 dự án": its sentence's (not a frame: "Tính từ
# ngày 01/01/2021 đến ngày 10/01/2021 qua điều tra giám sát ...")
_FROM_NEW_YEAR = re.compile(r"\btừ\s+(?:ngày\s+)?0?1/0?1\b", re.IGNORECASE)


def month_clauses(text: str) -> set[int]:
    """Where ``text`` says a month as a clause of its own ("Theo báo cáo, tháng 8, ...")."""
    return {m.start(1) for m in _MONTH_CLAUSE.finditer(text)}


# a sentence opening on the same month of last year as its basis speaks of the month: "So
# với tháng cùng kỳ, các sản phẩm chủ yếu tăng trưởng khá, ... thuốc lá bao tăng 114%"
_SAME_MONTH_OPENING = re.compile(
    r"^\W*so\s+(?:với\s+)?(?:tháng\s+cùng\s+kỳ|cùng\s+tháng\s+năm\s+trước)", re.IGNORECASE
)


def month_and_another(periods: set[str], clause: bool) -> bool:
    """Whether a sentence's framing cues name a month and another period (a crop season
    is not one beside a month said as a clause: "tháng 8, ... diện tích lúa vụ mùa đạt hơn
    52.200 ha")."""
    if clause:
        periods = periods - {"season"}
    return "month" in periods and len(periods) > 1


def sentence_cues(text: str) -> list[tuple[int, str]]:
    """The periods a sentence names before a value, by position (a month only when it
    opens the sentence: "tháng 9" far before a value is more often another figure's)."""
    cues = [(m.start(), "ytd") for m in _YTD.finditer(text)]
    cues += [(m.start(), "ytd") for m in _FROM_NEW_YEAR.finditer(text)]
    cues += target_cues(text)
    cues += [(pos, period) for pos, period in _month_cues(text) if pos < 20]
    # "Trong tháng có 5/10 huyện ... cho thu hoạch ..., diện tích thu hoạch 1.962,55 ha"
    cues += [(m.start(), "month") for m in _MONTH.finditer(text) if m.start() < 20]
    cues += [(m.start(1), "month") for m in _MONTH_CLAUSE.finditer(text)]
    cues += [(m.start(), "month") for m in _SAME_MONTH_OPENING.finditer(text)]
    cues += [(m.start(1), "as_of") for m in _TO_DATE_OPENING.finditer(text)]
    cues += [(m.end(), "other") for m in _HOLIDAY_OPENING.finditer(text)]
    cues += _year_cues(_YEAR_CLAUSE, text)
    cues += _span_cues(text)
    cues += _quarter_cues(text)
    cues += [(m.start(), "year") for m in _YEAR_END.finditer(text)]
    cues += [(m.start(), "year") for m in _IN_YEAR.finditer(text)]
    return after_target(cues)


def context_cues(text: str) -> list[tuple[int, str]]:
    """Every period the text states, by position: "lũy kế", "N tháng (đầu năm)",
    "tháng 9", "quý II", a sentence opening on its year."""
    cues = [(m.start(), "ytd") for m in _YTD.finditer(text)]
    cues += _span_cues(text)
    cues += _month_cues(text)
    cues += _quarter_cues(text)
    cues += [(m.start(), "year") for m in _OPENING_YEAR_ANYWHERE.finditer(text)]
    cues += [(m.start(), "year") for m in _YEAR_END.finditer(text)]
    cues += [(m.start(), "year") for m in _IN_YEAR.finditer(text)]
    cues += target_cues(text)
    # "Trong dịp nghỉ Lễ Quốc khánh 2-9 (...), lượng khách ... . Trong đó lượt khách quốc
    # tế ...": a holiday opening a paragraph frames that paragraph (see RulesExtractor)
    cues += [(m.end(), "other") for m in _HOLIDAY_OPENING.finditer(text)]
    # "Vụ hè thu 2023 đã thực hiện chuyển đổi ... . Có 31 cánh đồng lớn ...": the season
    # (its paragraph only: "season", read as ytd by RulesExtractor._context)
    cues += [(m.start(), "season") for m in _SEASON.finditer(text)]
    # "Theo Sở ..., tính đến cuối tháng 8/2023, tiến độ giải ngân ... như sau:"
    cues += [(m.start(), "as_of") for m in _AS_OF.finditer(text)]
    return sorted(cues)


def decide_period(
    before: str,
    sentence_before: str,
    *,
    stock: bool,
    default: str,
    after_basis: str | None = None,
    context: str | None = None,
    unit: str | None = None,
    inherited: str | None = None,
    after: str = "",
    to_date: bool = False,
) -> tuple[str, bool]:
    """A value's period, and whether words of the text state it (not a default).

    ``before``: the words just before the value; ``sentence_before``: its sentence up to
    it; ``stock``: the catalog says the indicator is a level at a date; ``default``: the
    report's own period; ``after_basis``: the basis of the comparison the value is the
    reference of ("(kế hoạch 9,0%)"); ``context``: the period an earlier sentence set
    (:func:`context_cues`); ``unit``, ``after``: the value's unit and the words after
    it; ``inherited``: its total's or its list's period; ``to_date``: the catalog says
    reports print the indicator from the start of the year (budget, disbursement)."""
    if after_basis in {"plan", "budget"}:
        return "plan", True
    if _ALLOCATED.search(before):
        return "plan", True  # "được Thủ tướng Chính phủ giao cho tỉnh Điện Biên là hơn 3.196"
    if _EARLIER_LEVEL_BEFORE.search(before) and _EARLIER_LEVEL_AFTER.match(after):
        return "other", True  # "cao hơn mức tăng 0.55% của năm 2017"
    if _SETS_TARGETS.search(before) and _TARGETS_NAMED.match(after):
        return "other", True  # "UBND tỉnh đề ra 15 chỉ tiêu kinh tế - xã hội năm 2025"
    if unit in _CLASSES and _AMONG.search(before):
        return "other", True  # "Trong 11 nhóm hàng hóa và dịch vụ chính, có 06 nhóm tăng"
    if _PLAN_AFTER_RESULT.search(before):
        return "plan", True  # "GRDP tăng 9,08%/KH 8,5-9,5%"
    if _AIMED.search(before):
        return "plan", True  # "đôn đốc ... để giải ngân đạt 100% kế hoạch vốn giao"
    if _PLAN_SUBJECT.search(before):
        return "plan", True  # "Kế hoạch đầu tư nguồn ngân sách nhà nước năm 2025 là 3.956,954"
    if (
        _year_cues(_YEAR_BEFORE_VERB, before)
        and not _PLAN.search(before[-50:])
        and not _TO_DATE_OPENING.match(sentence_before)
        and not _SEASONS_YEAR.search(before)
    ):
        return ("as_of" if stock else "year"), True  # "vốn bổ sung năm 2018 đạt ..."
    cues: list[tuple[int, str]] = []
    # not the words of a bracket closed before the value: "Trong dịp nghỉ Lễ Quốc khánh
    # 2-9 (từ 31/8 đến hết ngày 03/9/2024), lượng khách đạt ..." (the holiday's dates)
    words = _CLOSED_BRACKET.sub(lambda m: " " * len(m.group()), before)
    for pattern, period in ((_YTD, "ytd"), (_MONTH, "month"), (_AS_OF, "as_of")):
        for m in pattern.finditer(words):
            if (
                period == "month"
                and m.group().lower().startswith("tháng")
                and _NOT_NAMED_MONTH_BEFORE.search(words[: m.start()][-15:])
            ):
                continue  # "đến cuối tháng 02 ước đạt": the date it runs to
            cues.append((m.start(), period))
    cues += _span_cues(words)
    cues += _month_cues(words)
    cues += _quarter_cues(words)
    if cues:
        period = max(cues)[1]
        if period in ("as_of", "ytd") and not stock and _YEAR_END.search(before):
            return "year", True  # "tính đến hết tháng 12/2019, toàn tỉnh đón ..."
        if period == "as_of" and _to_date(before, stock=stock, unit=unit, after=after):
            return "ytd", True  # "tính đến ngày 03/10, toàn tỉnh gieo trồng được 4.137 ha"
        if period == "month" and stock:
            return "as_of", True
        return period, True
    if _PLAN_BRACKET.search(before):
        return "plan", True  # "kế hoạch tăng trưởng kinh tế trong năm 2019 (tăng từ 11,5%"
    plan = _PLAN.search(before[-25:])
    after_plan = before[-25:][plan.end() :] if plan else ""
    measured = plan is not None and _AGAINST_PLAN.search(
        before[: max(0, len(before) - 25) + plan.start()]
    )
    if plan and not measured and not re.search(r"giải\s+ngân|đạt|[,;]", after_plan, re.I):
        return "plan", True
    # from here on, a period the text's words set for a figure before this one (its list,
    # its total, an earlier sentence) counts as worded: a model does not overrule it
    if inherited == "as_of":
        return "as_of", True  # "đàn bò 85,7 nghìn con; lợn 458,8 nghìn con"
    # "Trong 10 tháng đầu năm 2012, khách ...", "Quý II/2024, ...", "trong năm 2021"
    said = sentence_cues(sentence_before)
    if said:
        period = max(said)[1]
        if period == "year" and stock:
            return "as_of", True
        if period in ("year", "quarter", "month") and held(sentence_before, unit, after):
            return "as_of", True  # "Quý I, ... tồn kho đầu năm 2017 trên 11 triệu tấn"
        if period == "ytd" and stock and _CUMULATED_TO.search(sentence_before):
            return "as_of", True  # "Lũy kế đến cuối tháng 7, tổng nguồn vốn huy động ..."
        if period == "as_of" and _to_date(before, stock=stock, unit=unit, after=after):
            return "ytd", True  # "Đến 30/11/2021, ... đã giải ngân": to date
        return period, True
    if _PER_YEAR.search(unit or "") or _PER_YEAR.match(after):
        return "year", True  # "mang về giá trị trung bình hơn 30.000 tỉ đồng/năm"
    if _opening_year(sentence_before):
        return ("as_of" if stock else "year"), True
    if _SEASON.search(sentence_before) and not _HELD_NOW.search(before):
        return "ytd", True  # "vụ hè thu 2023 đã thực hiện chuyển đổi cây trồng được 358,8 ha"
    clause = re.split(r"[.;,:]\s", before)[-1]
    if unit is not None and _PRICE_UNIT.search(unit) and not _CHANGE_WORD.search(clause):
        return "as_of", True  # "thương lái thu mua với mức 6.400 đồng/kg": a price quoted
    if stock:
        if _progress(before):
            return "ytd", True  # "Đã gieo cấy 6.116 ha lúa đông xuân": the season so far
        if context == "plan":
            return "plan", True  # "đề ra 15 chỉ tiêu ... : ... tỷ lệ hộ nghèo còn 0,43%"
        return "as_of", False
    if held(sentence_before, unit, after):
        return "as_of", True
    if inherited is not None:
        return inherited, True
    if _AREA_UNIT.fullmatch(unit or "") and _progress(before):
        return "ytd", True  # "diện tích lúa gieo sạ hơn 16.560 ha": the season so far
    if context == "as_of":
        return ("as_of" if stock else "ytd"), True
    if context in ("ytd", "year") and _ON_MONTH_BEFORE.match(after):
        return "month", True  # "đạt 85,5 điểm, tăng 8,48 điểm so với tháng 7": a month's
    if context is not None:
        return context, True
    if to_date and default in ("month", "other"):
        return "ytd", False  # "Tổng chi ngân sách nhà nước là 8.537,18 tỷ đồng, đạt 78,09% dự toán"
    if default == "plan" and _REALISED.search(sentence_before):
        return "other", False  # "đã giải ngân" in a report read as a plan
    return default, False


def _to_date(before: str, *, stock: bool, unit: str | None, after: str) -> bool:
    """Whether a figure "tính đến" a date is cumulative to it (a flow, a season's
    progress) rather than a level held at it; a rate is the rate at that date ("Đến
    30/11/2021, tỷ lệ nợ xấu ... chiếm 0,83%")."""
    if unit == "%" and _PLAN.match(after.lstrip()):
        return True  # "Tính đến ngày 20/9/2019, toàn tỉnh mới chỉ giải ngân được 37% kế hoạch"
    if unit == "%" or _HELD_NOW.search(before):
        return False  # "diện tích trồng cà phê hiện có 100.000 ha"
    return _progress(before) or not (stock or held(before, unit, after))


def _progress(before: str) -> bool:
    """Whether the words before a value say it is a season's sowing or harvest so far
    (not an area held now: "diện tích trồng cà phê hiện có")."""
    return bool(_PROGRESS.search(before)) and not _HELD_NOW.search(before)


def names_period(text: str, period: str) -> bool:
    """Whether ``text`` has words naming ``period`` ("lũy kế", "6 tháng đầu năm", "từ
    đầu năm", "tính đến" for ytd; "quý II" for quarter)."""
    if period == "quarter":
        return bool(_quarter_cues(text))
    if period == "ytd":
        return bool(_YTD.search(text) or _span_cues(text) or _AS_OF.search(text))
    return True
