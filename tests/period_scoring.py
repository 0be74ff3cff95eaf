"""Score the facts of real passages against the period and name gold (tests/gold/periods/).

Each gold file names a passages file and, per figure, its role (a level, a change, an
index, a rate, a percentage of plan), its period and the name an analyst would give it
(tests/gold/periods/check.py documents the format). Every passage is analysed as a
user's file is (its metadata read from its own text) and extracted by the rules backend.

Scores per gold set:

* present: figures (per role) that are the value of a fact or a comparison of one;
* period accuracy over the figures that are facts' values: strict, and with as_of and
  ytd counted as one (a stock "tính đến" and a flow "lũy kế" are both "to date");
* name overlap: the mean syllable F1 of the fact's name against the gold name;
* catalog coverage: facts with a catalog code / facts, over every fact of the passages.
"""

from __future__ import annotations

import importlib.util
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from extractor.document import Document
from extractor.extraction.pipeline import extract_document
from extractor.extraction.rules_backend import RulesBackend
from extractor.records import Fact
from tests.evaluation import name_f1
from tests.relation_scoring import Passage, load_real_passages, real_document

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "tests" / "gold" / "periods"
MERGED = {"as_of": "to_date", "ytd": "to_date"}
ROLES_ORDER = ("value", "rate", "change_pct", "change_abs", "index", "plan_pct")


def _checker() -> Any:
    spec = importlib.util.spec_from_file_location("period_gold_check", GOLD / "check.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@dataclass
class Figure:
    passage: str
    start: int  # in the passage's cleaned text
    gold: dict[str, Any]


@dataclass
class Miss:
    passage: str
    number: str
    what: str  # "absent", "period month (gold ytd)", ...
    context: str


@dataclass
class PeriodScore:
    name: str
    figures: int = 0
    present: Counter[str] = field(default_factory=Counter)
    stated: Counter[str] = field(default_factory=Counter)
    valued: int = 0  # figures that are a fact's value
    period_strict: int = 0
    period_merged: int = 0
    name_sum: float = 0.0
    facts: int = 0
    coded: int = 0
    misses: list[Miss] = field(default_factory=list)

    @property
    def strict(self) -> float:
        return self.period_strict / self.valued if self.valued else 0.0

    @property
    def merged(self) -> float:
        return self.period_merged / self.valued if self.valued else 0.0

    @property
    def names(self) -> float:
        return self.name_sum / self.valued if self.valued else 0.0

    @property
    def coverage(self) -> float:
        return self.coded / self.facts if self.facts else 0.0

    def presence(self, role: str | None = None) -> float:
        if role is None:
            n, d = sum(self.present.values()), sum(self.stated.values())
        else:
            n, d = self.present[role], self.stated[role]
        return n / d if d else 0.0


def gold_files() -> list[Path]:
    return sorted(GOLD.glob("*.yaml"))


def _documents(passages_file: Path) -> dict[str, tuple[Passage, Document]]:
    passages = load_real_passages(passages_file.parent, passages_file.name)
    return {p.id: (p, real_document(p)) for p in passages}


def _facts(doc: Document) -> list[Fact]:
    return extract_document(doc, RulesBackend()).facts


def score_file(path: Path, extract: Callable[[Document], list[Fact]] = _facts) -> PeriodScore:
    """The rules' facts on one gold set's passages, scored (``extract`` for another backend)."""
    check = _checker()
    data = yaml.safe_load(path.read_text("utf-8"))
    docs = _documents(ROOT / data["passages"])
    wanted = {v["passage"] for v in data["values"]}
    s = PeriodScore(path.stem)
    facts_of: dict[str, list[Fact]] = {}
    for pid in sorted(wanted):
        facts_of[pid] = extract(docs[pid][1])
        s.facts += len(facts_of[pid])
        s.coded += sum(1 for f in facts_of[pid] if f.code)
    for v in data["values"]:
        doc = docs[v["passage"]][1]
        start = check.locate(doc.text, str(v["number"]), str(v["near"]))
        if start is None:  # the cleaned text has one space where the page had two
            start = check.locate(doc.text, str(v["number"]), " ".join(str(v["near"]).split()))
        role = v["role"]
        s.figures += 1
        s.stated[role] += 1
        context = doc.text[max(0, (start or 0) - 50) : (start or 0) + 25].replace("\n", " ")
        if start is None:
            s.misses.append(Miss(v["passage"], v["number"], "not in the cleaned text", ""))
            continue
        facts = facts_of[v["passage"]]
        fact = next((f for f in facts if f.start <= start < f.end), None)
        compared = fact is None and any(
            c.start <= start < c.end for f in facts for c in f.comparisons
        )
        if fact is None and not compared:
            s.misses.append(Miss(v["passage"], v["number"], f"absent ({role})", context))
            continue
        s.present[role] += 1
        if fact is None:
            continue
        s.valued += 1
        got, want = _period_of(fact, start), v["period"]
        s.period_strict += got == want
        s.period_merged += MERGED.get(got, got) == MERGED.get(want, want)
        s.name_sum += name_f1(fact.indicator, v["name"])
        if got != want:
            s.misses.append(Miss(v["passage"], v["number"], f"period {got} (gold {want})", context))
    return s


# a printed fraction's y ("749.648/820.000 con", "7/16 khoản thu"): the plan it is
# measured against, or the size of the whole (gold ``other``)
_DENOMINATOR_PERIODS = {"plan": "plan", "total": "other"}


def _period_of(fact: Fact, start: int) -> str:
    """The period the output gives the figure at ``start``: its fact's, or for the y of a
    fraction x/y, what ``denominator_of`` says that y is."""
    slash = fact.text.find("/")
    if fact.denominator_of and slash >= 0 and start > fact.start + slash:
        return _DENOMINATOR_PERIODS.get(fact.denominator_of, fact.period)
    return fact.period


def pooled(scores: Iterable[PeriodScore]) -> PeriodScore:
    """The sum of several sets' counts, scored as one set ("pooled")."""
    total = PeriodScore("pooled")
    for s in scores:
        total.figures += s.figures
        total.present.update(s.present)
        total.stated.update(s.stated)
        total.valued += s.valued
        total.period_strict += s.period_strict
        total.period_merged += s.period_merged
        total.name_sum += s.name_sum
        total.facts += s.facts
        total.coded += s.coded
    return total


def score_all(files: Iterable[Path] | None = None) -> list[PeriodScore]:
    return [score_file(p) for p in (files if files is not None else gold_files())]
