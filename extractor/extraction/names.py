"""How the rules backend names a value: the noun phrase of the measure before it, with
the verbs, period words, the place and the subject's verb left out; the subject of a
change printed with no level; what a count counts when nothing names it."""

from __future__ import annotations

import re

from ..catalog import Catalog
from ..metadata import PROVINCES
from ..quantities import Quantity
from ..text import fold

_TRAILING = re.compile(
    r"(?:\s+|^)(?:ước\s+(?:đạt|tính|thực\s+hiện|đón|là)|ước|đạt|là|được|có|với|cho|khoảng|"
    r"trên|hơn|gần|dưới|đến|tới|xấp\s+xỉ|dự\s+kiến|thực\s+hiện|bằng|gồm|trong\s+đó|"
    r"chiếm(?:\s+tỷ\s+trọng)?|"
    r"trong\s+tháng|từ\s+đầu\s+năm|tính\s+chung|lũy\s+kế|luỹ\s+kế|lũy\s+tích|ước\s+đến|"
    r"đến\s+ngày\s+[\d/]+|đến\s+[\d/]+|tháng\s+\d{1,2}(?:/\d{4})?|năm\s+\d{4}|hiện\s+có|"
    r"\d{1,2}\s+tháng(?:\s+đầu\s+năm)?(?:\s+(?:năm\s+)?\d{4})?|quý\s+[IV1-4]+(?:/\d{4})?|"
    r"[-–:,]|và|nay|còn)\s*$",
    re.IGNORECASE,
)
_LEADING = re.compile(
    r"^(?:[-+*•]\s*|trong\s+đó(?:\s+có)?\s*|gồm\s*|và\s+|với\s+|\(|cụ\s+thể\s*|"
    r"trong\s+(?:tháng|năm|quý)(?:\s+(?:này|qua|vừa\s+qua))?(?:\s+|$)|"
    r"trong(?:\s+(?!đó|nước)(?:số\s+)?|\s*$))",
    re.IGNORECASE,
)
# a name that is only a period: "Trong tháng 4 vừa qua", "quý I/2024"
PERIOD_ONLY = re.compile(
    r"(?:trong\s+)?(?:tháng\s+\d{1,2}(?:/\d{4})?|quý\s+[IVX\d]+(?:/\d{4})?|năm\s+\d{4}|"
    r"\d{1,2}\s+tháng(?:\s+đầu\s+năm)?)(?:\s+(?:vừa\s+qua|qua|này|năm\s+\d{4}))?",
    re.IGNORECASE,
)
# where the subject of a change printed with no level starts: after a ";", ":", "trong
# đó", a full stop's sentence start, or the last figure before it
SUBJECT_BREAK = re.compile(
    r"[;:]\s*|\btrong\s+đó\s*,?\s*|\bgồm\s*|\bcụ\s+thể\s*,?\s*|\bnhư(?!\s+(?:vậy|sau))\s*:?\s*",
    re.IGNORECASE,
)
# words before the subject or between it and its change that are not its name
SUBJECT_LEAD = re.compile(
    r"^\s*(?:[-–•+*]\s*)?(?:(?:so\s+với|riêng|bình\s+quân|tính\s+chung|trong|còn|đối\s+với|"
    r"về|theo|như\s+vậy|nhìn\s+chung|nhưng|và|so|quý|tháng|năm|\d{1,2}\s+tháng)\b[^,]{0,50},\s*)+",
    re.IGNORECASE,
)
_SUBJECT_TAIL = re.compile(
    r"(?:\s+|^)(?:ước\s+tính\s+|ước\s+|dự\s+ước\s+|dự\s+kiến\s+)?(?:tăng\s+trưởng|tăng|"
    r"giảm|bằng|đạt(?:\s+mức)?|chỉ\s+tăng|vẫn\s+tăng|lại\s+tăng|chiếm(?:\s+tỷ\s+trọng)?)"
    r"(?:\s+(?:nhẹ|mạnh|gấp))?"
    r"(?:\s+(?:khoảng|gần|hơn|trên|xấp\s+xỉ))?\s*$",
    re.IGNORECASE,
)
_SUBJECT_PERIOD = re.compile(
    r"\s*(?:(?:bình\s+quân|tính\s+chung|trong|lũy\s+kế|luỹ\s+kế)\s+)*(?:\d{1,2}\s+tháng(?:\s+đầu\s+năm)?|"
    r"tháng\s+\d{1,2}|quý\s+[IVX1-4]+|năm)(?:[\s/-]+(?:năm\s+)?(?:19|20)\d{2})?\s*$|"
    r"\s+tính\s+chung\s*$",
    re.IGNORECASE,
)


_INNER_PERIOD = re.compile(
    r"\s+(?:(?:bình\s+quân|trong)\s+)?(?:tháng\s+\d{1,2}(?:\s*[-/]\s*(?:19|20)\d{2})?|"
    r"\d{1,2}\s+tháng(?:\s+đầu\s+năm)?|quý\s+(?:IV|I{1,3}|[1-4])(?:\s*/\s*(?:19|20)\d{2})?)"
    r"(?:\s+năm\s+(?:19|20)\d{2})?(?=\s|$)",
    re.IGNORECASE,
)
_OF_PLACE = re.compile(
    r"\s+(?:của|trên\s+địa\s+bàn)\s+(?:toàn\s+)?(?:tỉnh|thành\s+phố|huyện)\b[^,;]*$", re.I
)
_BASIS_LEAD = re.compile(r"[\s,;]*so\s+(?:với\s+)?", re.IGNORECASE)
# "Chỉ số ... so với tháng trước (tăng 10,02%)": the basis printed before the verb
_BASIS_TAIL = re.compile(
    r"\s*,?\s*\bso\s+(?:với\s+)?(?:tháng|cùng|năm|quý|kỳ|đầu|cuối)\b[^,;:()]*$", re.IGNORECASE
)
_OPEN_SIGN = re.compile(r"^\)[\s,;]*|\s*\(\s*[+-]?$")
_CONJUNCTION = re.compile(r"\s*(?:\b(?:và|nhưng|còn)\b|,)\s*", re.IGNORECASE)


# words left before a figure that name nothing: "riêng quý III năm 2020 đạt 15%", "cao hơn
# 6 tháng đầu năm 8,5%", "Bên cạnh đó có 27 dự án"
NOT_A_NAME = re.compile(
    r"(?:riêng|còn|và|(?:cao|thấp)(?:\s+hơn)?(?:\s+(?:mức|tốc\s+độ)(?:\s+(?:tăng|giảm))?)?|"
    r"bên\s+cạnh\s+đó|đồng\s+thời|nhưng|"
    r"tuy\s+nhiên|trong\s+đó|ngoài\s+ra|như\s+vậy|theo\s+đó|với|cụ\s+thể|dành|bố\s+trí|"
    r"lần\s+lượt(?:\s+(?:ở\s+mức|là|đạt))?)",
    re.IGNORECASE,
)


def subject_name(words: str) -> str:
    """The name of what a change printed with no level describes, from the words before
    it: "So với cùng kỳ năm 2022, chỉ số sản xuất công nghiệp (IIP) ước tăng" ->
    "chỉ số sản xuất công nghiệp (IIP)"; "" when only a verb is left ("nhưng tăng")."""
    # "(đóng góp 4.49 điểm phần trăm vào tăng trưởng chung) cao hơn mức tăng 6.50% của":
    # a remark in brackets and an earlier year's figure are not what the change is of
    words = re.sub(r"\([^()]*\d[^()]*\)?", " ", words)
    name = " ".join(PLACE.sub("", words).split())
    name = SUBJECT_LEAD.sub("", name)
    name = re.sub(r"^(?:riêng|còn)\s+", "", name, flags=re.IGNORECASE)  # "Riêng phân ngành"
    # "chỉ số giá tiêu dùng (CPI) tháng 4-2024 của thành phố": the month and the place
    name = _INNER_PERIOD.sub("", name)
    name = _OF_PLACE.sub("", name)
    if _BASIS_LEAD.match(name):
        # "so với tháng trước và tăng": between two changes, only their basis
        cut = list(_CONJUNCTION.finditer(name))
        name = name[cut[-1].end() :] if cut else ""
    for _ in range(4):
        new = _SUBJECT_TAIL.sub("", name)
        new = _BASIS_TAIL.sub("", new)
        new = _SUBJECT_PERIOD.sub("", new)
        new = SUBJECT_LEAD.sub("", new).strip(" ,;:-–")
        new = _OPEN_SIGN.sub("", new)  # "công nghiệp khai khoáng (-" of "(-6,51%)"
        if new == name:
            break
        name = new
    if not re.search(r"[^\W\d_]{2}", name) or NOT_A_NAME.fullmatch(name):
        return ""
    if len(name.split()) > 12 and ", " in name:
        name = name.rsplit(", ", 1)[1]
    return name


def clean_name(words: str) -> str:
    name = " ".join(words.split())
    for _ in range(6):
        new = _TRAILING.sub("", name).strip().rstrip(" ,;:-–")
        new = _LEADING.sub("", new).strip()
        if new == name:
            break
        name = new
    return name.strip(" ,;:-–")


_PROVINCE_NAMES = "|".join(re.escape(p) for p in sorted(PROVINCES, key=len, reverse=True))
# a place or a subject before the measure: "toàn tỉnh", "trên địa bàn tỉnh", "Cao Bằng
# đã", "tỉnh Điện Biên đã", "Hiện tỉnh đang"
PLACE = re.compile(
    r"(?:\s*\b(?:đến|tại|của|ở|vào)\s+)?(?:\b(?:tỉnh|thành\s+phố|TP\.?)\s*)?\b(?:"
    + _PROVINCE_NAMES
    + r")\b",
    re.IGNORECASE,
)
_SUBJECT_WORDS = re.compile(
    r"^(?:(?:toàn|cả)\s+(?:tỉnh|thành\s+phố|huyện)|trên\s+địa\s+bàn(?:\s+(?:tỉnh|thành\s+phố))?|"
    r"hiện\s+nay|hiện|tỉnh|thành\s+phố|đã|đang|sẽ|[,\s])+",
    re.IGNORECASE,
)
_VERB_ENDING = re.compile(
    r"(?:^|\s+)(?:đã\s+|đang\s+|sẽ\s+)?(?:đón(?:\s+tiếp)?|có(?:\s+thêm)?|thu\s+hút|"
    r"triển\s+khai|tiếp\s+nhận|phục\s+vụ|là|được|tương\s+ứng|tương\s+đương|với|đã|đang)\s*$",
    re.IGNORECASE,
)
# units that are the things counted ("8.350 doanh nghiệp", "270.000 lượt khách")
COUNTED = frozenset(
    fold(u)
    for u in (
        "doanh nghiệp",
        "dự án",
        "cơ sở",
        "trang trại",
        "hợp tác xã",
        "HTX",
        "khách sạn",
        "lượt",
        "lượt khách",
        "khách",
        "người",
        "lao động",
        "hộ",
        "xã",
        "vụ",
        "đơn vị",
        "lượt người",
        "học sinh",
        "trường",
        "con",
        "tàu",
        "sản phẩm",
    )
)


def measure_name(name: str) -> str:
    """The name with the place and the subject's verb taken off: "Cao Bằng đã đón" ->
    "", "khách du lịch đến Cao Bằng" -> "khách du lịch", "tỉnh đã giải ngân" ->
    "giải ngân"."""
    out = PLACE.sub("", name).strip(" ,")
    for _ in range(3):
        new = _VERB_ENDING.sub("", _SUBJECT_WORDS.sub("", out)).strip(" ,")
        if new == out:
            break
        out = new
    return out if re.search(r"[^\W\d_]{2}", out) else ""


def counted_name(q: Quantity, after: str) -> str:
    """What a count counts, from its unit and the words after it: "8.350 doanh nghiệp
    đăng ký hoạt động" -> "doanh nghiệp đăng ký hoạt động"."""
    unit = q.unit or ""
    tail = re.match(
        r"\s*([^\W\d_][^,;.()\n:]{0,50}?)(?=[,;.()\n:]|\s+(?:tăng|giảm|bằng|đạt|với|so)\b|$)",
        after,
    )
    words = tail.group(1).strip() if tail else ""
    return f"{unit} {words}".strip() if words else unit


_ABBREVIATION = re.compile(r"[A-Z]{2,5}")


def spelled_out(name: str, catalog: Catalog) -> str:
    """A name that is only an abbreviation the catalog knows, in the catalog's words:
    "CPI" -> "Chỉ số giá tiêu dùng (CPI)", "CPI - giao thông" likewise."""
    abbreviation, dash, rest = name.partition(" - ")
    if not _ABBREVIATION.fullmatch(abbreviation):
        return name
    entry = catalog.match(abbreviation)
    if entry is None or abbreviation not in entry.name:
        return name
    return entry.name + dash + rest
