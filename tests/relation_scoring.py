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
from dataclasses import dataclass, field, fields
from decimal import Decimal, InvalidOperation
from pathlib import Path

from extractor.document import Document, analyse, analyse_source
from extractor.loading import Source
from extractor.metadata import ReportMeta
from extractor.relations import Relation
from extractor.validation.findings import Finding

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
    from extractor.validation.arithmetic import check_relation

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


# --- the real development set (tests/relations_real/) ----------------------------------

REAL = TESTS / "relations_real"
COLLECTED = tuple(TESTS / "relations_collected" / f"batch_{b}" for b in "abcdefg")
_REAL_HEADER = re.compile(r"## ([A-Z]\d+) (.+?) \| (.+) (\S+)$")


def load_real_passages(folder: Path = REAL, name: str = "passages.txt") -> list[Passage]:
    """Passages copied from public pages: a header ``## P01 <place> | <period> <url>``,
    then the text as printed (no footnote block: a line that starts with a number is
    prose, "6 tháng đầu năm 2013, ...")."""
    out = []
    for block in (folder / name).read_text("utf-8").rstrip("\n").split("\n\n"):
        head, _, body = block.partition("\n")
        m = _REAL_HEADER.match(head)
        assert m, head
        out.append(Passage(m.group(1), m.group(2), m.group(3), body + "\n"))
    return out


def real_document(passage: Passage) -> Document:
    """A passage analysed as a user's file is: its metadata read from its own text."""
    return analyse_source(Source(f"{passage.id}.txt", "txt", passage.text, None))


def load_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


@dataclass
class RealScore:
    """The real development set scored as the issue counts it."""

    holding: int = 0  # gold relations that hold (strictly)
    holding_checked: int = 0  # ... found, and checked (pass or fail, not skipped)
    robust: int = 0  # source errors that fail under every reading
    robust_flagged: int = 0  # ... found and failing as an error
    rounding: int = 0  # failing only when hedged figures are read as exact
    rounding_errors: list[str] = field(default_factory=list)  # ... flagged as errors
    found: int = 0
    false_errors: list[str] = field(default_factory=list)  # error, relation not a stated error
    false_warnings: list[str] = field(default_factory=list)  # warning on a holding relation
    missed: list[str] = field(default_factory=list)  # holding relations not checked
    extra: list[str] = field(default_factory=list)  # found, not in the gold
    traps: int = 0
    traps_tied: list[str] = field(default_factory=list)  # a found relation ties a trap
    by_kind: Counter[str] = field(default_factory=Counter)  # holding, by kind
    by_kind_checked: Counter[str] = field(default_factory=Counter)
    skipped: Counter[str] = field(default_factory=Counter)  # gaps by reason
    plants: int = 0
    plants_caught: int = 0  # planted target failing as an error
    plants_warned: list[str] = field(default_factory=list)  # ... only as a warning
    plants_missed: list[str] = field(default_factory=list)
    planted_false_errors: list[str] = field(default_factory=list)

    @classmethod
    def combined(cls, scores: list[RealScore]) -> RealScore:
        """The scores of several sets added up, as one set."""
        out = cls()
        for s in scores:
            for f in fields(cls):
                setattr(out, f.name, getattr(out, f.name) + getattr(s, f.name))
        return out


def _real_key(r: dict) -> tuple[str, str, tuple[Decimal, ...]]:
    strings = [r["total"], *r["parts"], r["numerator"], r["denominator"]]
    if r["kind"] in ("ratio", "change", "quotient"):
        strings.append(r["stated"])
    values = tuple(sorted(printed_value(s) for s in strings if s))
    return (r["passage"], r["kind"], values)


def _found_real_key(passage: str, rel: Relation) -> tuple[str, str, tuple[Decimal, ...]]:
    # the real set writes "gấp 2 lần cùng kỳ (146 triệu USD)" as a quotient; the finders
    # as a change of form "multiple" (value / reference = stated): the same arithmetic
    kind = "quotient" if rel.kind == "change" and rel.form == "multiple" else rel.kind
    return (passage, kind, tuple(sorted(abs(o.value).normalize() for o in rel.operands)))


def _trap_values(trap: dict) -> list[Decimal]:
    """The numbers of a trap; a date ("31.1.2024") is not one and is left out."""
    out = []
    for s in trap["numbers"]:
        try:
            out.append(printed_value(s))
        except InvalidOperation:
            continue
    return out


def _run(passages: list[Passage]) -> list[tuple[str, list[tuple[Relation, Finding]], list]]:
    from extractor.relations import find_relations
    from extractor.validation.arithmetic import check_relation

    out = []
    for p in passages:
        found = find_relations(real_document(p))
        out.append((p.id, [(r, check_relation(r)) for r in found.relations], found.gaps))
    return out


def _match(
    runs: list[tuple[str, list[tuple[Relation, Finding]], list]], gold: list[dict]
) -> tuple[dict[str, tuple[Relation, Finding]], list[tuple[str, Relation, Finding]]]:
    """Gold id -> its found relation and finding; and the found relations not in it."""
    by_key: dict[tuple[str, str, tuple[Decimal, ...]], list[dict]] = {}
    for r in gold:
        by_key.setdefault(_real_key(r), []).append(r)
    matched: dict[str, tuple[Relation, Finding]] = {}
    extra = []
    for pid, pairs, _ in runs:
        for rel, finding in pairs:
            hits = [r for r in by_key.get(_found_real_key(pid, rel), []) if r["id"] not in matched]
            if hits:
                matched[hits[0]["id"]] = (rel, finding)
            else:
                extra.append((pid, rel, finding))
    return matched, extra


def _describe(pid: str, rel: Relation, finding) -> str:
    return f"{pid} {rel.kind} {[o.text for o in rel.operands]} {finding.message_en}"


def score_real(folder: Path = REAL) -> RealScore:
    """The real set: relations found and checked, false errors and warnings, the
    source's errors, the traps tied, and the planted copy."""
    gold = load_jsonl(folder / "relations.jsonl")
    traps = load_jsonl(folder / "nonrelations.jsonl")
    s = RealScore()
    runs = _run(load_real_passages(folder))
    matched, extra = _match(runs, gold)
    for _pid, pairs, gaps in runs:
        s.found += len(pairs)
        for g in gaps:
            s.skipped[g.reason] += 1
    for r in gold:
        hit = matched.get(r["id"])
        finding = hit[1] if hit else None
        status = finding.status if finding else None
        severity = finding.severity if finding else None
        if r["holds"]:
            s.holding += 1
            s.by_kind[r["kind"]] += 1
            if status in ("pass", "fail"):
                s.holding_checked += 1
                s.by_kind_checked[r["kind"]] += 1
            else:
                s.missed.append(f"{r['id']} {r['passage']} {r['kind']}: {r['note'][:70]}")
        elif r["holds_interval"]:
            s.rounding += 1
        else:
            s.robust += 1
            if status == "fail" and severity == "error":
                s.robust_flagged += 1
        if hit and status == "fail":
            text = f"{r['id']} {_describe(r['passage'], *hit)}"
            if severity == "error" and r["holds_interval"]:
                (s.false_errors if r["holds"] else s.rounding_errors).append(text)
            elif severity == "warning" and r["holds"]:
                s.false_warnings.append(text)
    for pid, rel, finding in extra:
        s.extra.append(f"{_describe(pid, rel, finding)} [{finding.status}]")
        if finding.status == "fail":
            target = s.false_errors if severity == "error" else s.false_warnings
            target.append(f"(not in gold) {_describe(pid, rel, finding)}")
    s.traps = len(traps)
    extra_values: dict[str, list[tuple[list[Decimal], Relation]]] = {}
    for pid, rel, _ in extra:
        extra_values.setdefault(pid, []).append(([o.value.normalize() for o in rel.operands], rel))
    for t in traps:
        want = _trap_values(t)
        for values, rel in extra_values.get(t["passage"], []):
            if sum(1 for v in set(want) if v in values) >= 2:
                s.traps_tied.append(f"{t['passage']} {t['numbers']}: {rel.kind} {t['why'][:60]}")
                break
    if (folder / "planted.json").exists():
        _score_planted(folder, gold, s)
    return s


def _score_planted(folder: Path, gold: list[dict], s: RealScore) -> None:
    plants = json.loads((folder / "planted.json").read_text("utf-8"))
    by_id = {r["id"]: r for r in gold}
    changed = []
    for pl in plants:
        r = json.loads(json.dumps(by_id[pl["relation"]]))
        for k in ("total", "numerator", "denominator", "stated"):
            if r.get(k) == pl["old"]:
                r[k] = pl["new"]
        r["parts"] = [pl["new"] if x == pl["old"] else x for x in r["parts"]]
        r["holds"] = r["holds_interval"] = False
        changed.append(r)
    planted_ids = {r["id"] for r in changed}
    gold2 = [r for r in gold if r["id"] not in planted_ids] + changed
    runs = _run(load_real_passages(folder, "passages_planted.txt"))
    matched, extra = _match(runs, gold2)
    s.plants = len(plants)
    for r in changed:
        hit = matched.get(r["id"])
        if hit and hit[1].status == "fail" and hit[1].severity == "error":
            s.plants_caught += 1
        elif hit and hit[1].status == "fail":
            s.plants_warned.append(f"{r['id']} {_describe(r['passage'], *hit)}")
        else:
            s.plants_missed.append(f"{r['id']} {r['passage']} {'found' if hit else 'not found'}")
    for r in gold2:
        hit = matched.get(r["id"])
        if hit and r["holds_interval"] and hit[1].status == "fail" and hit[1].severity == "error":
            s.planted_false_errors.append(f"{r['id']} {_describe(r['passage'], *hit)}")
    for pid, rel, finding in extra:
        if finding.status == "fail" and finding.severity == "error":
            s.planted_false_errors.append(f"(not in gold) {_describe(pid, rel, finding)}")
