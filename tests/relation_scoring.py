"""Annotated relation sets, and the scoring of found relations against them: the
development set (tests/relations_dev/, its README.md), our own passages
(tests/relations_own/, same format) and the gold of the four sample reports
(tests/gold/relations/); shared by tests/test_relations.py and benchmarks/relations.py.

A found relation matches an annotated one of the same passage and kind whose printed
numbers are the same (scale words aside: "1,37 triệu" is 1,37), so matching does not
depend on offsets or on how a finder names roles."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from extractor.document import Document, analyse, analyse_source
from extractor.loading import Source
from extractor.metadata import ReportMeta
from extractor.relations import Relation

TESTS = Path(__file__).resolve().parent
DEV = TESTS / "relations_dev"
OWN = TESTS / "relations_own"
SAMPLE_GOLD = TESTS / "gold" / "relations"
SAMPLES = TESTS.parent / "samples"
_SCALES = {"nghìn": 10**3, "ngàn": 10**3, "triệu": 10**6, "tỷ": 10**9, "tỉ": 10**9}
_NUMBER = re.compile(r"\d[\d.,]*")


@dataclass
class Passage:
    id: str
    province: str
    period: str
    text: str  # prose, then a footnote block as the PDF-text layout has it


def load_passages(folder: Path = DEV) -> list[Passage]:
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


def load_gold(folder: Path = DEV) -> list[dict]:
    lines = (folder / "relations.jsonl").read_text("utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def load_sample_gold(name: str) -> list[dict]:
    lines = (SAMPLE_GOLD / f"{name}.jsonl").read_text("utf-8").splitlines()
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
    found_by_kind: Counter[str] = field(default_factory=Counter)  # found, right or not
    severity_mismatches: list[str] = field(default_factory=list)  # gold says warning/error

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 1.0

    @property
    def precision(self) -> float:
        return self.correct / self.found if self.found else 1.0


def score_devset(folder: Path = DEV) -> Score:
    """Find and check the relations of every passage of the set in ``folder``; compare
    with its annotations."""
    return score(((p.id, document(p)) for p in load_passages(folder)), load_gold(folder))


def score_sample(name: str, doc: Document | None = None) -> Score:
    """The relations of sample report ``name`` against its gold."""
    doc = doc or analyse(SAMPLES / f"{name}.txt")
    return score([(name, doc)], load_sample_gold(name))


def score(documents: Iterable[tuple[str, Document]], gold: list[dict]) -> Score:
    """Found relations of ``documents`` (passage id, document) against ``gold``."""
    from extractor.relations import find_relations
    from extractor.validation.relations import check_relation

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
    for passage_id, doc in documents:
        for rel in find_relations(doc).relations:
            score.found += 1
            score.found_by_kind[rel.kind] += 1
            finding = check_relation(rel)
            key = found_key(passage_id, rel)
            hits = [r for r in by_key.get(key, []) if r["id"] not in matched_ids]
            if not hits:
                score.extra.append(
                    f"{passage_id} {rel.kind} {[o.text for o in rel.operands]} {finding.status}"
                )
                if finding.status == "fail":
                    score.false_alarms.append(f"{passage_id} (not in gold) {finding.message_en}")
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
                    score.false_alarms.append(f"{r['id']} {passage_id} {finding.message_en}")
            elif finding.status == "fail":
                score.errors_caught += 1
                expected = r.get("severity")
                if expected and finding.severity != expected:
                    score.severity_mismatches.append(
                        f"{r['id']}: {finding.severity}, expected {expected}"
                    )
    score.missed = [
        f"{r['id']} {r['passage']} {r['kind']} {r['cue']!r}"
        for r in gold
        if r["id"] not in matched_ids
    ]
    return score
