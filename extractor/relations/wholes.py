"""Wholes and the parts that make them, as reports name them.

A breakdown is complete when its words say so: "gồm", "bao gồm", a list that ends with
the rest ("khác", "còn lại"), or parts that name every member of a whole the reports
always split the same way: visitors into international and domestic, budget revenue
into domestic revenue and import-export duties, GRDP into its four sectors, vocational
trainees into their three levels. Each member is one of a few ways of naming it
("khách quốc tế", "khách nước ngoài"; "nội địa", "trong nước"), a phrase matched
whole and in its order in the words before a figure (:attr:`~.reading.Num.name`).

A member is named only when the name does not also name another member of the same
whole more precisely: "ngoài công lập" is not "công lập", "xuất nhập khẩu" is neither
"xuất khẩu" nor "nhập khẩu".
"""

from __future__ import annotations

import re
from functools import lru_cache

from extractor.text import fold

Member = tuple[str, ...]  # the ways of naming one member, each a phrase
Whole = tuple[Member, ...]


def _m(*phrases: str) -> Member:
    return tuple(fold(phrase) for phrase in phrases)  # compared with folded text


_FOREIGN = _m("quốc tế", "nước ngoài", "fdi", "có vốn đầu tư nước ngoài")
_DOMESTIC = _m("trong nước", "nội địa")

_FARMING = _m("nông lâm", "lâm nghiệp", "lâm và thủy sản", "lâm thủy sản", "khu vực i")
# workers by sector: three sectors (GRDP has a fourth, taxes on products)
_LABOUR_BY_SECTOR = (_FARMING, _m("công nghiệp", "xây dựng"), _m("dịch vụ"))
# output, investment, exports by kind of owner (never budget revenue, which has more lines)
_BY_OWNER = (
    _m("nhà nước", "quốc doanh"),
    _m("ngoài nhà nước", "ngoài quốc doanh", "dân doanh", "tư nhân"),
    _m("có vốn đầu tư nước ngoài", "đầu tư trực tiếp nước ngoài", "fdi"),
)
_CUSTOMS = _m("xuất nhập khẩu", "xuất, nhập khẩu", "xuất khẩu", "hải quan")
_BUDGET_WITHOUT_OIL = (_m("nội địa"), _CUSTOMS)  # budget revenue

WHOLES: tuple[Whole, ...] = (
    (_FOREIGN, _DOMESTIC),  # visitors, projects, capital
    (_m("xuất khẩu"), _m("nhập khẩu")),
    _BUDGET_WITHOUT_OIL,
    (_m("nội địa"), _m("dầu thô", "dầu khí"), _CUSTOMS),  # with oil
    (_m("trung ương"), _m("địa phương")),
    (_m("thành thị"), _m("nông thôn")),
    (_m("nam"), _m("nữ")),
    (_m("nuôi trồng"), _m("khai thác")),
    (_m("trồng trọt"), _m("chăn nuôi")),
    (_m("công lập"), _m("ngoài công lập")),
    (_m("lưu trú"), _m("ăn uống")),
    (_m("công nghiệp"), _m("xây dựng")),
    (  # foreign investment: new, added, and capital contributions
        _m("cấp mới", "đăng ký mới", "cấp phép mới"),
        _m("điều chỉnh", "tăng thêm", "bổ sung"),
        _m("góp vốn", "mua cổ phần"),
    ),
    (_m("cao đẳng"), _m("trung cấp"), _m("sơ cấp")),  # vocational training
    (  # pupils and teachers by level of school
        _m("mầm non"),
        _m("tiểu học"),
        _m("trung học cơ sở", "thcs"),
        _m("trung học phổ thông", "thpt"),
    ),
    (  # industry by branch
        _m("khai khoáng"),
        _m("chế biến", "chế tạo"),
        _m("điện"),
        _m("cung cấp nước", "rác thải", "nước thải"),
    ),
    _LABOUR_BY_SECTOR,
    _BY_OWNER,
    (  # GRDP by sector
        _FARMING,
        _m("công nghiệp", "xây dựng"),
        _m("dịch vụ"),
        _m("thuế"),
    ),
)


# "nam" in a place's name is not the male side
_PLACES_WITH_NAM = re.compile(r"\b(?:quảng nam|hà nam|việt nam|nam định|miền nam)\b")


def _has(name: str, phrase: str) -> bool:
    return f" {phrase} " in f" {name} "


def _names(name: str, member: Member, whole: Whole) -> bool:
    mine = [w for w in member if _has(name, w)]
    if not mine:
        return False
    others = [w for m in whole if m is not member for w in m if _has(name, w)]
    return all(any(o != w and _has(w, o) for w in mine) for o in others)


@lru_cache(maxsize=65536)  # names repeat: a long report asks for the same few thousand
def members(name: str) -> tuple[tuple[int, int], ...]:
    """The (whole, member) pairs ``name`` (words, folded) names: "khách quốc tế" names
    the foreign side of visitors; a phrase counts only whole and in its order."""
    name = _PLACES_WITH_NAM.sub(" ", name)
    return tuple(
        (k, j)
        for k, whole in enumerate(WHOLES)
        for j, member in enumerate(whole)
        if _names(name, member, whole)
    )


def side_of(name: str) -> tuple[int, int] | None:
    """The first member ``name`` names, or None."""
    found = members(name)
    return found[0] if found else None


# a whole that is not whole where the text names one more member: budget revenue is
# domestic and import-export revenue, unless the province has crude oil
_UNLESS: dict[Whole, tuple[str, ...]] = {
    _BUDGET_WITHOUT_OIL: ("dầu thô", "dầu khí"),
    _BY_OWNER: ("ngân sách", "thu nội địa", "thuế"),
}
# a whole that is whole only where the text is about ...: three sectors, of workers
_ONLY_IF: dict[Whole, str] = {_LABOUR_BY_SECTOR: "lao động"}


def every_member(names: list[str], context: str = "") -> bool:
    """Whether ``names`` name every member of one whole, each a different one: "khách
    quốc tế" and "khách trong nước"; "cao đẳng", "trung cấp", "sơ cấp". ``context``
    (the paragraph, folded) may name a member the whole then lacks ("thu dầu thô")."""
    return _every_member(tuple(names), context)


@lru_cache(maxsize=65536)
def _every_member(names: tuple[str, ...], context: str) -> bool:
    for k, whole in enumerate(WHOLES):
        if len(whole) != len(names):
            continue
        if any(word in context for word in _UNLESS.get(whole, ())):
            continue
        if whole in _ONLY_IF and _ONLY_IF[whole] not in context:
            continue
        hits = [{j for kk, j in members(n) if kk == k} for n in names]
        if all(len(h) == 1 for h in hits) and len(set().union(*hits)) == len(whole):
            return True
    return False


def other_members(a: str, b: str) -> bool:
    """Whether ``a`` and ``b`` name different members of one whole (two items of one
    list: "khu vực nông, lâm nghiệp ..." and "khu vực công nghiệp - xây dựng ...")."""
    ma, mb = members(a), members(b)
    return any(ka == kb and ja != jb for ka, ja in ma for kb, jb in mb)


def one_more_member(name: str, listed: list[str]) -> bool:
    """Whether ``name`` names a member of a whole the ``listed`` names are members of
    ("khách Việt Nam đi du lịch nước ngoài" after "khách quốc tế" and "khách trong
    nước": outbound travel, one more)."""
    wholes = {k for n in listed for k, _ in members(n)}
    return any(k in wholes for k, _ in members(name))
