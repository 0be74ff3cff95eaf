"""Where periods are decided: the words that name a period, and the order the rules
backend weighs them in (README "The period model").

A value's period is ``month`` (a flow within the report's month), ``ytd`` (from the start
of the year or season to date), ``as_of`` (a level at a date), ``year``, ``quarter``,
``plan`` or ``other`` (a level of an earlier period printed to compare with).
:func:`decide_period` weighs, in order: the words right before the value, the periods
its sentence names, a level held at a date (:func:`held`), the catalog's stocks, the
period of the value's total or list, the period an earlier sentence named before its
first figure (:func:`context_cues`), and last the report's own period.
"""

from __future__ import annotations

import re

from ..text import fold

_YTD = re.compile(
    r"lũy\s+kế|luỹ\s+kế|lũy\s+tích|tính\s+chung|từ\s+đầu\s+năm|cộng\s+dồn", re.IGNORECASE
)
_MONTH = re.compile(r"trong\s+tháng|tháng\s+\d{1,2}(?:/\d{4})?\s+(?:ước|đạt)", re.IGNORECASE)
_AS_OF = re.compile(
    r"đến\s+ngày|ước\s+đến|đến\s+\d{1,2}/\d{1,2}|tính\s+đến|đến\s+thời\s+điểm|"
    r"đến\s+nay|hiện\s+có|hiện\s+tại|đến\s+hết|đến\s+cuối|hết\s+tháng",
    re.IGNORECASE,
)
_PLAN = re.compile(r"kế\s+hoạch|chỉ\s+tiêu|dự\s+toán", re.IGNORECASE)
# "10 tháng đầu năm 2012", "tính chung 6 tháng", "trong 11 tháng", "10 tháng qua": the
# months of the year to date; not "6 tháng cuối năm", "3 tháng tới", "18 tháng tuổi",
# "dưới 3 tháng", "sau 6 tháng"
_MONTHS_TO_DATE = re.compile(
    r"(?<![\d/])\d{1,2}\s+tháng(?!\s+(?:cuối|tới|sau|trước|liên|tuổi|qua\s+các))",
    re.IGNORECASE,
)
_NOT_MONTHS_TO_DATE_BEFORE = re.compile(
    r"(?:so\s+với|cùng\s+kỳ|dưới|trên|từ|đủ|sau|được|vòng|hạn|thời\s+gian)\s*$", re.IGNORECASE
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
_NAMED_MONTH = re.compile(r"\btháng\s+\d{1,2}\b(?![,.]\d)", re.IGNORECASE)
_NOT_NAMED_MONTH_BEFORE = re.compile(
    r"(?:đến|hết|cuối|so\s+với|so|cùng\s+kỳ|từ|với|trước|sau|kể\s+từ)\s*$", re.IGNORECASE
)


# "quý II", "quý I/2024", "Quý 3": that quarter; not "so với quý trước", "cùng kỳ quý I"
_NAMED_QUARTER = re.compile(r"\bquý\s+(?:IV|I{1,3}|[1-4])\b", re.IGNORECASE)
# a to-date figure through the end of December is the whole year
_YEAR_END = re.compile(r"(?:hết\s+|đến\s+|tính\s+đến\s+)(?:ngày\s+)?(?:tháng\s+12\b|31/12)", re.I)


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
        (m.start(), "ytd")
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
# the words of a level at a date when the catalog does not know the indicator: "nâng
# tổng số cơ sở lưu trú lên 88", "toàn tỉnh hiện có", "đang hoạt động", "dư nợ"
_STOCK_WORDS = re.compile(
    r"nâng\s+tổng\s+số|(?:hiện|hiện\s+nay|đến\s+nay)[^.;]{0,40}\bcó\b(?!\s+thêm)|"
    r"\b(?:tỉnh|địa\s+bàn|toàn\s+tỉnh|thành\s+phố)\s+(?:hiện\s+)?có\s*$|"
    r"đang\s+(?:hoạt\s+động|triển\s+khai)|còn\s+hiệu\s+lực|tổng\s+đàn|dư\s+nợ|số\s+dư|"
    r"hiện\s+có",
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
    r"tăng\s+thêm|phát\s+triển\s+mới|cấp\s+mới|xây\s+dựng\s+mới|bị\s+",
    re.IGNORECASE,
)
# after the unit, the event counted: "180 doanh nghiệp đăng ký tạm ngừng", "thành lập"
_FLOW_AFTER = re.compile(
    r"\s*(?:(?!với\b|và\b|tổng\b)[^\W\d_]+\s+){0,3}?(?:đăng\s+ký(?!\s+hoạt\s+động)|"
    r"thành\s+lập|giải\s+thể|tạm\s+ngừng|"
    r"hoàn\s+tất|quay\s+trở\s+lại|được\s+cấp|bị\s)",
    re.IGNORECASE,
)
# a figure the text says was achieved: not a plan's
_REALISED = re.compile(r"\bđã\b|ước\s+đạt|ước\s+thực\s+hiện|thực\s+hiện\s+được|lũy\s+kế", re.I)
_OPENING_YEAR_ANYWHERE = re.compile(
    r"(?:^|(?<=\n)|(?<=\. ))(?:(?:trong|tính\s+chung|ước|ước\s+tính)\s+)?(?:cả\s+)?"
    r"năm(?:\s+(?:19|20)\d{2})?\s*[,:]",
    re.IGNORECASE,
)


# "trong năm 2021", "cả năm 2023", "hết năm 2022": the whole year; "tỷ đồng/năm" a
# yearly amount
_IN_YEAR = re.compile(
    r"(?:\btrong|\bcả|\bhết|\bsuốt)\s+năm\s+(?:19|20)\d{2}|/\s?năm\b|\bhàng\s+năm\b", re.I
)


# a target: "phấn đấu đưa 1.200 người", "mục tiêu năm 2024 (8,4 triệu lượt)"
_TARGET = re.compile(r"phấn\s+đấu|mục\s+tiêu|chỉ\s+tiêu|kế\s+hoạch\s+(?:năm|giao)", re.I)


def sentence_cues(text: str) -> list[tuple[int, str]]:
    """The periods a sentence names before a value, by position (a month only when it
    opens the sentence: "tháng 9" far before a value is more often another figure's)."""
    cues = [(m.start(), "ytd") for m in _YTD.finditer(text)]
    cues += [(m.start(), "plan") for m in _TARGET.finditer(text)]
    cues += [(pos, period) for pos, period in _month_cues(text[:20])]
    cues += _span_cues(text)
    cues += _quarter_cues(text)
    cues += [(m.start(), "year") for m in _YEAR_END.finditer(text)]
    cues += [(m.start(), "year") for m in _IN_YEAR.finditer(text)]
    return cues


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
    cues += [(m.start(), "plan") for m in _TARGET.finditer(text)]
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
) -> tuple[str, bool]:
    """A value's period, and whether words of the text state it (not a default).

    ``before``: the words just before the value; ``sentence_before``: its sentence up to
    it; ``stock``: the catalog says the indicator is a level at a date; ``default``: the
    report's own period; ``after_basis``: the basis of the comparison the value is the
    reference of ("(kế hoạch 9,0%)"); ``context``: the period an earlier sentence set
    (:func:`context_cues`); ``unit``, ``after``: the value's unit and the words after
    it; ``inherited``: its total's or its list's period."""
    if after_basis in {"plan", "budget"}:
        return "plan", True
    cues: list[tuple[int, str]] = []
    for pattern, period in ((_YTD, "ytd"), (_MONTH, "month"), (_AS_OF, "as_of")):
        for m in pattern.finditer(before):
            cues.append((m.start(), period))
    cues += _span_cues(before)
    cues += _month_cues(before)
    cues += _quarter_cues(before)
    if cues:
        period = max(cues)[1]
        if period in ("as_of", "ytd") and not stock and _YEAR_END.search(before):
            return "year", True  # "tính đến hết tháng 12/2019, toàn tỉnh đón ..."
        if period == "as_of" and not stock and not held(before, unit, after):
            return "ytd", True
        if period == "month" and stock:
            return "as_of", True
        return period, True
    plan = _PLAN.search(before[-25:])
    after_plan = before[-25:][plan.end() :] if plan else ""
    if plan and not re.search(r"giải\s+ngân|đạt|[,;]", after_plan, re.IGNORECASE):
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
        return period, True
    if _opening_year(sentence_before):
        return ("as_of" if stock else "year"), True
    if stock:
        return "as_of", False
    if held(sentence_before, unit, after):
        return "as_of", True
    if inherited is not None:
        return inherited, True
    if context == "as_of":
        return ("as_of" if stock else "ytd"), True
    if context is not None:
        return context, True
    if default == "plan" and _REALISED.search(sentence_before):
        return "other", False  # "đã giải ngân" in a report read as a plan
    return default, False


def held(before: str, unit: str | None, after: str = "") -> bool:
    """Whether the words say the value is a level held at a date: "nâng tổng số ...
    lên", "đang hoạt động", "dư nợ"; "(tỉnh) có 115 khách sạn", "là trên 550.000 ha"
    for things that exist (establishments, areas)."""
    if _FLOW_AFTER.match(after):
        return False  # "có 180 doanh nghiệp đăng ký tạm ngừng": events, not a level
    if _STOCK_WORDS.search(before[-80:]):
        return True
    if unit is None or fold(unit) not in _HELD_UNITS:
        return False
    return bool(_EXISTS.search(before[-30:])) and not _FLOW_VERBS.search(before[-80:])


def both_held(a: str | None, b: str | None) -> bool:
    """Whether two units are both of things that exist at a date (a list of them)."""
    return a is not None and b is not None and fold(a) in _HELD_UNITS and fold(b) in _HELD_UNITS


def names_period(text: str, period: str) -> bool:
    """Whether ``text`` has words naming ``period`` ("lũy kế", "6 tháng đầu năm", "từ
    đầu năm", "tính đến" for ytd; "quý II" for quarter)."""
    if period == "quarter":
        return bool(_quarter_cues(text))
    if period == "ytd":
        return bool(_YTD.search(text) or _span_cues(text) or _AS_OF.search(text))
    return True
