"""Which paragraphs make one statement: a photo caption or a repeated title between
paragraphs makes none, and a paragraph that ends with a list word and a colon goes on in
the short list items after it.
"""

from __future__ import annotations

import re

from ..document import Document
from ..text import fold

CAPTION = 200  # characters: a caption is a short line
_PHOTO = re.compile(
    r"(?i)\bảnh\b\s*\d*\s*[.:]|ảnh:|\.jpe?g\b|\.png\b|img_\d|\(ảnh\b|ảnh minh họa|ảnh tư liệu"
)


def is_caption(line: str) -> bool:
    """A photo caption or a repeated title between paragraphs, not a statement: a short
    line with no figure ("Thác Bản Giốc ... thu hút khách du lịch."), with a photo credit
    ("... - Ảnh 1.", "Ảnh: N.T.B", "(Ảnh minh họa)", "IMG_8805.jpeg"), or without a full
    stop ("Đoàn khách quốc tế ... thăm danh thắng Tràng An hôm 28-8")."""
    line = line.strip()
    if not line or len(line) > CAPTION:
        return False
    if _PHOTO.search(fold(line)) or not any(ch.isdigit() for ch in line):
        return True
    return not line.endswith((".", ";", ":", "!", "?", ")"))


_BULLET = re.compile(r"\s*(?:[-+•–*]|[a-zđ]\)|\d{1,2}\))\s")


_LIST_OPENER = re.compile(
    r"(?:trong đó|bao gồm|gồm có|gồm|cụ thể|chia ra|chia theo|như sau)\s*:\s*$", re.IGNORECASE
)
LIST_ITEM_MAX = 300  # characters: a list item, not a paragraph of its own


def with_lists(doc: Document, paragraphs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Paragraphs, a paragraph that ends with a list word and a colon joined with the
    short list items after it ("..., chia ra:" then "- Hàng container 8,6 triệu tấn;"
    ...): one statement."""
    out: list[tuple[int, int]] = []
    open_list = False
    for start, end in paragraphs:
        head = doc.text[start : start + 8]
        if out and open_list and _BULLET.match(head) and end - start <= LIST_ITEM_MAX:
            out[-1] = (out[-1][0], end)
            continue
        out.append((start, end))
        open_list = bool(_LIST_OPENER.search(doc.text[max(start, end - 30) : end]))
    return out
