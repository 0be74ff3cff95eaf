"""The words that compare a figure with another: the direction ("tăng", "giảm", "đạt",
"chiếm", a printed sign) and the basis ("so với cùng kỳ", "so với tháng trước", "kế
hoạch"), after the figure or printed before it; used by the quantity tagger."""

from __future__ import annotations

import re

# "(?<=[^\W\d_])": a PDF export may glue the word to the one before it ("tiêu thụtăng")
DIRECTION = re.compile(
    r"(?:(?:\b|(?<=[^\W\d_]))(tăng thêm|tăng trưởng|tăng|giảm|bằng|đạt|vượt|gấp|cao hơn|thấp hơn|"
    r"nhiều hơn|ít hơn|chiếm|"
    r"tương đương|âm)"
    r"(?:\s+(?:khoảng|gần|hơn|trên|xấp xỉ))?\s*(?:[:(=]\s*)?|(\(|\s)([+-]))$"
)
DIRECTION_WITH_BASIS = re.compile(
    r"\b(vượt|đạt|bằng)\s+(kế\s+hoạch|KH|dự\s+toán|chỉ\s+tiêu)(?:\s+giao)?\s*$"
)
# the basis between the verb and its figure: "cao hơn cùng kỳ 63 tấn", "tăng so với năm
# trước 5,2%", "tăng hơn vụ hè thu năm trước 7.000 ha"
DIRECTION_BASIS_BEFORE = re.compile(
    r"\b(tăng|giảm|cao hơn|thấp hơn|nhiều hơn|ít hơn)(?:\s+hơn)?\s+(?:so\s+(?:với\s+)?)?"
    r"(cùng\s+kỳ(?:\s+năm\s+(?:trước|\d{4}))?|năm\s+trước|tháng\s+trước|kỳ\s+trước|"
    r"(?:dự\s+toán|kế\s+hoạch|năm)(?:\s+năm)?\s+\d{4}|"
    r"(?:vụ|mùa)(?:\s+[^\W\d_]+){0,3}?\s+(?:năm\s+trước|trước))"
    r"\s*(?:là\s+|khoảng\s+|gần\s+|hơn\s+|trên\s+)?$",
    re.IGNORECASE,
)
# a basis printed before its change rather than after it: right before the verb ("so với
# tháng trước tăng 10,02%"), before a list of changes ("có chỉ số giá giảm so với tháng
# trước đó là: Giao thông giảm 4,7%; ..."), or opening the sentence ("So với tháng trước,
# ngành khai khoáng tăng 4,44%; ...")
_FRONTED_BASIS = (
    r"so\s+(?:với\s+)?(?P<basis>tháng\s+12\s+năm\s+(?:trước|\d{4})|"
    r"bình\s+quân\s+cùng\s+kỳ(?:\s+năm\s+(?:trước|\d{4}))?|(?:tháng\s+)?cùng\s+kỳ(?:\s+năm\s+(?:trước|\d{4}))?|"
    r"cùng\s+thời\s+điểm(?:\s+năm\s+(?:trước|\d{4}))?|tháng\s+trước|năm\s+trước|"
    r"quý\s+trước|kỳ\s+trước|đầu\s+năm|cuối\s+năm\s+(?:trước|\d{4})|"
    # "so với 31/12/2021 tăng 1.475 tỷ đồng (+6,2%)": a level's change since a date
    r"(?:thời\s+điểm\s+|ngày\s+)?\d{1,2}/\d{1,2}/\d{4})(?![^\W\d_])"
)
_BASIS_BEFORE_VERB = re.compile(
    _FRONTED_BASIS + r"[\s,]*(?:(?:đã|có|lại|thì|cũng)\s+)?(?:tăng|giảm|cao\s+hơn|thấp\s+hơn)"
    r"(?:\s+(?:nhẹ|mạnh|thêm))?(?:\s+(?:khoảng|gần|hơn|trên|xấp\s+xỉ))?\s*$",
    re.IGNORECASE,
)
# "giảm nhẹ so tháng trước (-1,54%)": the basis, then the signed change in brackets
_BASIS_BEFORE_BRACKET = re.compile(_FRONTED_BASIS + r"\s*\(\s*[+-]?\s*$", re.IGNORECASE)
_BASIS_BEFORE_LIST = re.compile(_FRONTED_BASIS + r"(?:\s+[^\W\d_]+){0,3}\s*:[^:]*$", re.IGNORECASE)
_BASIS_OPENING = re.compile(
    r"^\W*(?:[^\W\d_]+(?:\s+[\d/]+)?\s*,\s*)?" + _FRONTED_BASIS + r"\s*,", re.IGNORECASE
)
_SENTENCE_BREAK = re.compile(r"[.!?](?:\s|$)|\n")
# "vốn tăng thêm 96,5 triệu USD", "vốn cấp mới và tăng thêm 298,08 triệu USD": the capital
# added, a level named so, not a change
ADDED_NAMED = re.compile(
    r"(?:\bvốn|\bcấp mới và|\bmới và)\s+(?:tăng thêm|bổ sung)\s*(?:là\s+|đạt\s+)?$",
    re.IGNORECASE,
)
# a year printed after a figure with no comparing word before it and no "so với"
YEAR_OF_FIGURE = re.compile(r"\s*năm\s+\d{4}", re.IGNORECASE)
DIRECTIONS = {
    "tăng": "increase",
    "tăng thêm": "increase",
    "tăng trưởng": "increase",  # "tăng trưởng 3,25% so với tháng trước": grew by
    "cao hơn": "increase",
    "nhiều hơn": "increase",
    "+": "increase",
    "giảm": "decrease",
    "thấp hơn": "decrease",
    "ít hơn": "decrease",
    "âm": "decrease",
    "-": "decrease",
    "bằng": "ratio",
    "chiếm": "ratio",
    "tương đương": "ratio",
    "đạt": "reach",
    "vượt": "exceed",
    "gấp": "times",
}
BASIS = re.compile(
    r"(?:so\s+với|so\s+cùng|so|với)?\s*"
    r"(?P<basis>cùng\s+kỳ|cùng\s+thời\s+điểm|CK|kế\s+hoạch|KH|chỉ\s+tiêu|dự\s+toán|(?:cuối\s+|đầu\s+)?tháng\s+trước|"
    r"tháng\s+\d{1,2}/\d{4}|tháng\s+\d{1,2}(?![\d/])|tháng\s+cùng\s+kỳ|tuần\s+trước|quý\s+trước|"
    r"năm\s+trước|"
    r"năm\s+\d{4}|cuối\s+năm|đầu\s+năm|\d{1,2}/\d{1,2}/\d{4}|thời\s+điểm|kỳ\s+trước|"
    r"Kế\s+hoạch|Dự\s+toán|Cùng\s+kỳ)(?![^\W\d_])"
)


def classify_basis(text: str, report_year: int | None) -> str:
    t = re.sub(r"\s+", " ", text).lower()
    if t in {"ck", "năm trước"} or "cùng kỳ" in t or t.startswith("cùng thời điểm"):
        return "same_period"
    if t in {"kế hoạch", "kh", "chỉ tiêu"}:
        return "plan"
    if t == "dự toán":
        return "budget"
    if t.startswith("tháng 12 năm"):
        return "other"  # December of the year before: the start of this year
    if t.startswith(("cuối tháng trước", "đầu tháng trước")):
        return "previous_period"
    if t in {"tháng trước", "tuần trước", "quý trước", "kỳ trước"} or t.startswith("tháng "):
        return "previous_period"
    m = re.fullmatch(r"năm (\d{4})", t)
    if m and report_year is not None and int(m.group(1)) == report_year - 1:
        return "same_period"
    return "other"


def basis_fronted(text: str, start: int) -> str | None:
    """The basis of a change printed before it in its sentence: before the verb, before
    the list the change is in, or opening the sentence with no other basis after it."""
    sentence = text[max(0, start - 400) : start]
    breaks = list(_SENTENCE_BREAK.finditer(sentence))
    if breaks:
        sentence = sentence[breaks[-1].end() :]
    m = (
        _BASIS_BEFORE_VERB.search(sentence)
        or _BASIS_BEFORE_BRACKET.search(sentence)
        or _BASIS_BEFORE_LIST.search(sentence)
    )
    if m is None:
        m = _BASIS_OPENING.match(sentence)
        if m is not None and re.search(r"\bso\s+(?:với\s+)?", sentence[m.end() :], re.I):
            return None  # another basis stated since: not this change's
    return " ".join(m.group("basis").split()) if m else None
