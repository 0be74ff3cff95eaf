"""The targets a sentence names, a plan's period for what follows them: "phấn đấu", "mục
tiêu", "chỉ tiêu", "kế hoạch năm", a council's resolution; not a plan named as the purpose
of what was done, nor targets said to be met (what follows them is a result).
"""

from __future__ import annotations

import re

# a target: "phấn đấu đưa 1.200 người", "mục tiêu năm 2024 (8,4 triệu lượt)"; not the plan a
# figure is measured against ("đạt 99,2% kế hoạch năm 2023 (trong đó ...)")
_TARGET = re.compile(
    # (not the programmes' name: "chi từ nguồn vốn chương trình, mục tiêu 1.424 tỉ đồng")
    r"phấn\s+đấu|(?<!chương\strình\s)(?<!chương\strình,\s)mục\s+tiêu|chỉ\s+tiêu|"
    # a council's resolution: "HĐND tỉnh đã quyết nghị thông qua tổng thu ngân sách ..."
    r"quyết\s+nghị\s+thông\s+qua|thông\s+qua\s+(?:dự\s+toán|kế\s+hoạch|chỉ\s+tiêu)|"
    r"(?<!%\s)(?<!%)(?<!đạt\s)(?<!với\s)(?<!bằng\s)(?<!vượt\s)kế\s+hoạch\s+(?:năm|giao)",
    re.I,
)

# a plan named as the purpose of what was done: "nhờ ..., tạo tiền đề, động lực để thực
# hiện tốt nhiệm vụ, kế hoạch năm 2023" frames no target
_PURPOSE = re.compile(r"\bđể\s+(?:thực\s+hiện|hoàn\s+thành|đạt)", re.IGNORECASE)

# targets said to be met, not a figure they introduce ("sẽ vượt chỉ tiêu đạt khoảng 4,2")
_MET = re.compile(
    r"[^\d,.;:]{0,25}?\b(?:đã\s+)?(?:đạt|vượt|hoàn\s+thành)\b"
    r"(?!\s*(?:khoảng\s+|gần\s+|hơn\s+|trên\s+)?(?:\d|$))",
    re.IGNORECASE,
)

# "Trong 16 nhóm chỉ tiêu giao có 13/16 nhóm chỉ tiêu xấp xỉ đạt và vượt kế hoạch đề ra"
_MET_LATER = re.compile(
    r"[^.;\n]*?\b(?:đạt\s+và\s+vượt|(?:đạt|vượt|hoàn\s+thành)\s+(?:kế\s+hoạch|chỉ\s+tiêu|mục\s+tiêu))",
    re.IGNORECASE,
)


def target_cues(text: str) -> list[tuple[int, str]]:
    """The targets ``text`` names ("phấn đấu", "chỉ tiêu", "kế hoạch năm"), not a plan
    named as the purpose of what was done, nor targets said to be met ("có 27/28 chỉ tiêu
    chủ yếu đạt và vượt kế hoạch đề ra": what follows is the year's results)."""
    return [
        (m.start(), "plan")
        for m in _TARGET.finditer(text)
        if not _PURPOSE.search(text[max(0, m.start() - 50) : m.start()])
        and not _MET.match(text, m.end())
        and not _MET_LATER.match(text, m.end())
    ]


def after_target(cues: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """The cues, without a year named within a target's phrase ("các chỉ tiêu kinh tế - xã
    hội chủ yếu năm 2026, trong đó ... đạt từ 11%")."""
    targets = [pos for pos, period in cues if period == "plan"]
    return [
        (pos, period)
        for pos, period in cues
        if period != "year" or not any(0 < pos - t <= 60 for t in targets)
    ]
