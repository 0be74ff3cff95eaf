"""Annotated relation sets as documents, and scoring of found relations against their
annotations: the development set here (README.md) and our own passages
(tests/relations_own/, same format); shared by tests/test_relations.py and
benchmarks/relations.py."""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from extractor.document import Document, analyse_source
from extractor.loading import Source
from extractor.metadata import ReportMeta
from extractor.relations import Relation

HERE = Path(__file__).resolve().parent
OWN = HERE.parent / "relations_own"
_SCALES = {"nghìn": 10**3, "ngàn": 10**3, "triệu": 10**6, "tỷ": 10**9, "tỉ": 10**9}
_NUMBER = re.compile(r"\d[\d.,]*")


@dataclass
class Passage:
    id: str
    province: str
    period: str
    text: str  # prose, then a footnote block as the PDF-text layout has it


def load_passages(folder: Path = HERE) -> list[Passage]:
    blocks = (folder / "passages.txt").read_text("utf-8").strip().split("\n\n")
    out = []
    for block in blocks:
        head, *body = block.split("\n")
        m = re.match(r"## ([A-Z]\d+) (.+?) \| (.+)", head)
        assert m, head
        notes = [line for line in body if re.match(r"\d+ ", line)]
        prose = [line for line in body if line not in notes]
        text = "\n".join(prose) + "\n"
        if notes:
            text += "\n" + " " * 43 + "\n" + "\n".join(notes) + "\n"
        out.append(Passage(m.group(1), m.group(2), m.group(3), text))
    return out


def meta_of(passage: Passage) -> ReportMeta:
    """The period of a passage header ("tháng 3/2024", "quý I/2023", "năm 2022")."""
    text = passage.period
    m = re.search(r"tháng (\d{1,2})/(\d{4})", text)
    if m:
        return ReportMeta(passage.province, int(m.group(2)), int(m.group(1)), None, "monthly")
    years = re.findall(r"\d{4}", text)
    year = int(years[-1]) if years else None
    if "quý" in text:
        return ReportMeta(passage.province, year, None, None, "quarterly")
    if re.search(r"\d+ tháng", text):
        return ReportMeta(passage.province, year, None, None, "half_year")
    return ReportMeta(passage.province, year, None, None, "annual")


def document(passage: Passage) -> Document:
    return analyse_source(Source(f"{passage.id}.txt", "txt", passage.text, None), meta_of(passage))


def load_gold(folder: Path = HERE) -> list[dict]:
    lines = (folder / "relations.jsonl").read_text("utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def printed_value(text: str) -> Decimal:
    """The number a gold string prints, without its scale word: "1,37 triệu" -> 1.37.
    Relations are matched on these: a report that prints one scale word for a group
    ("2.471,8/4.126,3 tỷ đồng") has its gold strings bare (README)."""
    m = _NUMBER.search(text)
    assert m, text
    token = m.group().rstrip(".,")
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?", token):
        return Decimal(token.replace(".", "").replace(",", ".")).normalize()
    return Decimal(token.replace(",", ".")).normalize()


def base_value(text: str) -> Decimal:
    """A gold number string in base units: "1,37 triệu" -> 1370000, "92,8%" -> 92.8."""
    m = _NUMBER.search(text)
    assert m, text
    token = m.group().rstrip(".,")
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?", token):
        value = Decimal(token.replace(".", "").replace(",", "."))
    else:
        value = Decimal(token.replace(",", "."))
    rest = text[m.end() :].split()
    scale = 1
    for word in rest[:2]:
        if word in _SCALES:
            scale *= _SCALES[word]
        else:
            break
    return (value * scale).normalize()


def gold_key(r: dict) -> tuple[str, str, tuple[Decimal, ...]]:
    strings = [r["total"], *r["parts"], r["numerator"], r["denominator"]]
    if r["kind"] in ("ratio", "change"):
        strings.append(r["stated"])
    values = tuple(sorted(printed_value(s) for s in strings if s))
    return (r["passage"], r["kind"], values)


def found_key(passage: str, rel: Relation) -> tuple[str, str, tuple[Decimal, ...]]:
    values = tuple(sorted(o.value.normalize() for o in rel.operands))
    return (passage, rel.kind, values)


@dataclass
class Score:
    gold: int = 0
    found: int = 0
    matched: int = 0  # gold relations found
    correct: int = 0  # found relations that are in the gold
    holding: int = 0
    holding_found: int = 0
    errors: int = 0
    errors_caught: int = 0
    false_alarms: list[str] = field(default_factory=list)  # failing checks that should pass
    missed: list[str] = field(default_factory=list)  # gold ids not found
    extra: list[str] = field(default_factory=list)  # found relations not in the gold
    by_kind: Counter[str] = field(default_factory=Counter)
    by_kind_found: Counter[str] = field(default_factory=Counter)
    by_tag: Counter[str] = field(default_factory=Counter)
    by_tag_found: Counter[str] = field(default_factory=Counter)

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 1.0

    @property
    def precision(self) -> float:
        return self.correct / self.found if self.found else 1.0


def score_devset(folder: Path = HERE) -> Score:
    """Find and check the relations of every passage of the set in ``folder``; compare
    with its annotations."""
    from extractor.relations import find_relations
    from extractor.validation.relations import check_relation

    gold = load_gold(folder)
    score = Score()
    by_key: dict[tuple[str, str, tuple[Decimal, ...]], list[dict]] = {}
    for r in gold:
        by_key.setdefault(gold_key(r), []).append(r)
        score.gold += 1
        score.by_kind[r["kind"]] += 1
        for tag in r["tags"]:
            score.by_tag[tag] += 1
        if r["holds"]:
            score.holding += 1
        else:
            score.errors += 1
    matched_ids: set[str] = set()
    for passage in load_passages(folder):
        doc = document(passage)
        for rel in find_relations(doc).relations:
            score.found += 1
            finding = check_relation(rel)
            key = found_key(passage.id, rel)
            hits = [r for r in by_key.get(key, []) if r["id"] not in matched_ids]
            if not hits:
                score.extra.append(
                    f"{passage.id} {rel.kind} {[o.text for o in rel.operands]} {finding.status}"
                )
                if finding.status == "fail":
                    score.false_alarms.append(f"{passage.id} (not in gold) {finding.message_en}")
                continue
            r = hits[0]
            matched_ids.add(r["id"])
            score.correct += 1
            score.matched += 1
            score.by_kind_found[r["kind"]] += 1
            for tag in r["tags"]:
                score.by_tag_found[tag] += 1
            if r["holds"]:
                score.holding_found += 1
                if finding.status == "fail":
                    score.false_alarms.append(f"{r['id']} {passage.id} {finding.message_en}")
            elif finding.status == "fail":
                score.errors_caught += 1
    score.missed = [
        f"{r['id']} {r['passage']} {r['kind']} {r['cue']!r}"
        for r in gold
        if r["id"] not in matched_ids
    ]
    return score
