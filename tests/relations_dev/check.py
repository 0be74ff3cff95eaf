#!/usr/bin/env python3
"""Recompute every relation of the relations_dev set and verify its flags.

Usage:  python3 check.py [--quiet] [--stats]   (exit 0 when everything agrees)
        --stats also prints counts by tag and by passage.

What is checked, for the 48 passages in passages.txt and every line of
relations.jsonl:

* passages.txt: header format "## Dnn <province> | <period>", ids D01..D48
  in order, NFC text, no province Lai Châu / Lào Cai, years 2015-2026,
  1-5 prose sentences (footnote lines excluded), at least 16 provinces.
* every number string (total, parts, numerator, denominator, stated) occurs
  in its passage at a number boundary: not inside a longer number on the
  left; on the right either a clean boundary or a footnote marker glued to
  it whose footnote line ("<marker> ...") is in the same passage.
* the cue occurs verbatim in the passage.
* "expected" and "tolerance" equal what this script recomputes with
  decimal.Decimal, and "holds" equals the recomputed verdict.
* every relation flagged holds=false still fails when each input is widened
  by its own printed rounding (half a unit of its last digit): the
  deliberate errors are errors under every reading of the printed precision.

Number strings use Vietnamese notation ("." groups thousands, "," is the
decimal mark) and may carry a scale word that is applied to that string
alone: nghìn/ngàn = 1e3, vạn = 1e4, triệu = 1e6, tỷ = 1e9,
nghìn tỷ/ngàn tỷ = 1e12. "expected" and "tolerance" are plain decimals
("." as decimal point, no grouping) in base units: scale words expanded,
percentages and percentage points as numbers of percent, multiples as
plain factors. Ratios and percentage changes are rounded to 6 decimals
for display; verdicts use full precision.
"""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal, getcontext
from pathlib import Path

getcontext().prec = 60

HERE = Path(__file__).resolve().parent
PASSAGES = HERE / "passages.txt"
RELATIONS = HERE / "relations.jsonl"

KINDS = ("sum", "ratio", "change", "ytd", "shares")
CHANGE_FORMS = ("percent", "absolute", "multiple", "points")
FIELDS = (
    "id",
    "passage",
    "kind",
    "complete",
    "total",
    "parts",
    "numerator",
    "denominator",
    "stated",
    "expected",
    "holds",
    "tolerance",
    "cue",
    "note",
    "form",
    "direction",
    "tags",
)
HUNDRED = Decimal(100)
Q6 = Decimal("0.000001")

# Longest first: "nghìn tỷ" must win over "nghìn".
SCALES = (
    ("nghìn tỷ", Decimal(10) ** 12),
    ("ngàn tỷ", Decimal(10) ** 12),
    ("nghìn", Decimal(10) ** 3),
    ("ngàn", Decimal(10) ** 3),
    ("vạn", Decimal(10) ** 4),
    ("triệu", Decimal(10) ** 6),
    ("tỷ", Decimal(10) ** 9),
)
NUM_RE = re.compile(r"(?P<int>\d{1,3}(?:\.\d{3})+|\d+)(?:,(?P<frac>\d+))?(?P<rest>.*)", re.S)
HEADER_RE = re.compile(r"^## D(?P<num>\d{2}) (?P<province>[^|]+?) \| (?P<period>.+)$")
FOOTNOTE_RE = re.compile(r"^(?P<marker>\d{1,2}) \S")


@dataclass(frozen=True)
class Num:
    text: str
    value: Decimal  # in base units
    half: Decimal  # half a unit of the last printed digit, in base units
    percent: bool
    scaled: bool


def parse_num(text: str) -> Num:
    """Parse a number string as printed ("1.234,5 tỷ đồng", "4,2%", "420 nghìn")."""
    m = NUM_RE.fullmatch(text)
    if not m:
        raise ValueError(f"not a number string: {text!r}")
    digits = m["int"].replace(".", "")
    frac = m["frac"] or ""
    if re.match(r"[.,]\d", m["rest"]):
        raise ValueError(f"malformed number string: {text!r}")
    rest = m["rest"].strip()
    percent = rest.startswith("%")
    scale = Decimal(1)
    scaled = False
    for word, factor in SCALES:
        if rest.startswith(word):
            scale, scaled = factor, True
            break
    raw = Decimal(digits + ("." + frac if frac else ""))
    half = Decimal(5) * Decimal(10) ** (-(len(frac) + 1))
    return Num(text, raw * scale, half * scale, percent, scaled)


def fmt(d: Decimal) -> str:
    """Plain decimal string without exponent or trailing zeros."""
    if d == 0:
        return "0"
    s = format(d.normalize(), "f")
    return s


def q6(d: Decimal) -> Decimal:
    return d.quantize(Q6, rounding=ROUND_HALF_EVEN)


@dataclass
class Verdict:
    expected: Decimal
    tolerance: Decimal
    holds: bool
    robust_fail: bool  # fails even with every input widened by its rounding
    detail: str


def _sum_like(rel: dict) -> Verdict:
    parts = [parse_num(p) for p in rel["parts"]]
    total = parse_num(rel["total"])
    expected = sum((p.value for p in parts), Decimal(0))
    tol = total.half
    lo = sum((p.value - p.half for p in parts), Decimal(0))
    hi = sum((p.value + p.half for p in parts), Decimal(0))
    if rel["complete"]:
        holds = abs(expected - total.value) <= tol
        robust = lo > total.value + tol or hi < total.value - tol
        detail = f"sum(parts)={fmt(expected)} vs total={fmt(total.value)}"
    else:
        holds = expected <= total.value + tol
        robust = lo > total.value + tol
        detail = f"sum(parts)={fmt(expected)} <= total={fmt(total.value)}?"
    return Verdict(expected, tol, holds, robust, detail)


def _shares(rel: dict) -> Verdict:
    parts = [parse_num(p) for p in rel["parts"]]
    expected = sum((p.value for p in parts), Decimal(0))
    tol = sum((p.half for p in parts), Decimal(0))
    holds = abs(expected - HUNDRED) <= tol
    return Verdict(expected, tol, holds, not holds, f"sum(shares)={fmt(expected)} vs 100")


def _ratio_bounds(num: Num, den: Num) -> tuple[Decimal, Decimal]:
    return (num.value - num.half) / (den.value + den.half), (num.value + num.half) / (
        den.value - den.half
    )


def _ratio(rel: dict) -> Verdict:
    num, den, stated = (parse_num(rel[k]) for k in ("numerator", "denominator", "stated"))
    exact = num.value / den.value * HUNDRED
    tol = stated.half
    holds = abs(exact - stated.value) <= tol
    lo, hi = (b * HUNDRED for b in _ratio_bounds(num, den))
    robust = lo > stated.value + tol or hi < stated.value - tol
    return Verdict(
        q6(exact), tol, holds, robust, f"{fmt(q6(exact))}% vs stated {fmt(stated.value)}%"
    )


def _change(rel: dict) -> Verdict:
    num, den, stated = (parse_num(rel[k]) for k in ("numerator", "denominator", "stated"))
    form, direction = rel["form"], rel["direction"]
    sign = Decimal(-1) if direction == "-" else Decimal(1)
    target = sign * stated.value
    tol = stated.half
    if form == "percent":
        exact = (num.value / den.value - 1) * HUNDRED
        lo, hi = ((b - 1) * HUNDRED for b in _ratio_bounds(num, den))
        shown = q6(exact)
    elif form == "multiple":
        exact = num.value / den.value
        lo, hi = _ratio_bounds(num, den)
        shown = q6(exact)
    else:  # absolute, points
        exact = num.value - den.value
        lo = num.value - num.half - (den.value + den.half)
        hi = num.value + num.half - (den.value - den.half)
        shown = exact
    holds = abs(exact - target) <= tol
    robust = lo > target + tol or hi < target - tol
    return Verdict(shown, tol, holds, robust, f"{form}: {fmt(shown)} vs stated {fmt(target)}")


def evaluate(rel: dict) -> Verdict:
    kind = rel["kind"]
    if kind in ("sum", "ytd"):
        return _sum_like(rel)
    if kind == "shares":
        return _shares(rel)
    if kind == "ratio":
        return _ratio(rel)
    if kind == "change":
        return _change(rel)
    raise ValueError(f"unknown kind {kind!r}")


# ---------------------------------------------------------------- passages


@dataclass
class Passage:
    pid: str
    province: str
    period: str
    text: str  # header excluded, lines joined with "\n"
    footnote_markers: set[str]
    prose: str


def load_passages(path: Path = PASSAGES) -> tuple[dict[str, Passage], list[str]]:
    problems: list[str] = []
    raw = path.read_text(encoding="utf-8")
    if raw != unicodedata.normalize("NFC", raw):
        problems.append("passages.txt is not NFC")
    passages: dict[str, Passage] = {}
    blocks = [b for b in raw.strip("\n").split("\n\n")]
    for i, block in enumerate(blocks, 1):
        lines = block.split("\n")
        m = HEADER_RE.match(lines[0])
        if not m:
            problems.append(f"block {i}: bad header {lines[0]!r}")
            continue
        pid = f"D{m['num']}"
        if pid != f"D{i:02d}":
            problems.append(f"block {i}: id {pid} out of order")
        body = lines[1:]
        if not body or any(not ln.strip() for ln in body):
            problems.append(f"{pid}: empty body or blank line inside the block")
        prose_lines, markers = [], set()
        for j, ln in enumerate(body):
            fm = FOOTNOTE_RE.match(ln)
            if j > 0 and fm:
                markers.add(fm["marker"])
            else:
                prose_lines.append(ln)
        prose = " ".join(prose_lines)
        passages[pid] = Passage(
            pid, m["province"].strip(), m["period"].strip(), "\n".join(body), markers, prose
        )
    return passages, problems


SENT_RE = re.compile(
    r"(?<=\.)\s+(?=[A-ZĐÁÀẢÃẠÂẤẦẨẪẬĂẮẰẲẴẶÉÈẺẼẸÊẾỀỂỄỆÍÌỈĨỊÓÒỎÕỌÔỐỒỔỖỘƠỚỜỞỠỢÚÙỦŨỤƯỨỪỬỮỰÝỲỶỸỴ])"
)


def check_passages(passages: dict[str, Passage]) -> list[str]:
    problems = []
    if len(passages) != 48:
        problems.append(f"expected 48 passages, found {len(passages)}")
    provinces = {p.province for p in passages.values()}
    if len(provinces) < 16:
        problems.append(f"only {len(provinces)} provinces")
    for p in passages.values():
        if unicodedata.normalize("NFC", p.province).casefold() in ("lai châu", "lào cai"):
            problems.append(f"{p.pid}: province {p.province!r} is excluded")
        years = [int(y) for y in re.findall(r"\b(20\d\d)\b", p.period)]
        if not years or any(y < 2015 or y > 2026 for y in years):
            problems.append(f"{p.pid}: period {p.period!r} outside 2015-2026")
        n_sent = len([s for s in SENT_RE.split(p.prose) if s.strip()])
        if not 1 <= n_sent <= 5:
            problems.append(f"{p.pid}: {n_sent} sentences (want 1-5)")
    return problems


def _occurs(text: str, s: str, markers: set[str]) -> bool:
    """True when s occurs in text at a number boundary (see module docstring)."""
    start = 0
    while (i := text.find(s, start)) != -1:
        start = i + 1
        if i > 0:
            before = text[i - 1]
            if before.isdigit():
                continue
            if before in ".," and i > 1 and text[i - 2].isdigit():
                continue
        j = i + len(s)
        after = text[j] if j < len(text) else ""
        if after.isdigit():
            run = re.match(r"\d+", text[j:]).group(0)
            nxt = text[j + len(run) : j + len(run) + 2]
            glued_ok = run in markers and not re.match(r"[.,]?\d", nxt)
            if not glued_ok:
                continue
        elif s[-1].isdigit() and after in ".," and j + 1 < len(text) and text[j + 1].isdigit():
            continue
        elif s[-1].isalpha() and after.isalpha():
            continue
        return True
    return False


def check_relation(rel: dict, passages: dict[str, Passage]) -> tuple[list[str], Verdict | None]:
    rid = rel.get("id", "?")
    problems = []
    if tuple(rel) != FIELDS:
        problems.append(f"{rid}: fields {tuple(rel)} differ from {FIELDS}")
        return problems, None
    p = passages.get(rel["passage"])
    if p is None:
        return [f"{rid}: unknown passage {rel['passage']!r}"], None
    kind = rel["kind"]
    if kind not in KINDS:
        return [f"{rid}: unknown kind {kind!r}"], None

    # field shapes per kind
    if kind in ("sum", "ytd"):
        ok = (
            isinstance(rel["complete"], bool)
            and rel["total"]
            and rel["parts"]
            and rel["numerator"] is None
            and rel["denominator"] is None
            and rel["stated"] == rel["total"]
            and rel["form"] is None
            and rel["direction"] is None
        )
    elif kind == "shares":
        ok = (
            rel["complete"] is True
            and rel["total"] is None
            and len(rel["parts"]) >= 2
            and rel["stated"] is None
            and rel["numerator"] is None
            and rel["form"] is None
            and all(x.endswith("%") for x in rel["parts"])
        )
    elif kind == "ratio":
        ok = (
            rel["complete"] is None
            and rel["total"] is None
            and rel["parts"] == []
            and rel["numerator"]
            and rel["denominator"]
            and rel["stated"]
            and rel["stated"].endswith("%")
            and rel["form"] == "percent"
            and rel["direction"] is None
        )
    else:  # change
        ok = (
            rel["complete"] is None
            and rel["total"] is None
            and rel["parts"] == []
            and rel["numerator"]
            and rel["denominator"]
            and rel["stated"]
            and rel["form"] in CHANGE_FORMS
            and (
                rel["direction"] is None
                if rel["form"] == "multiple"
                else rel["direction"] in ("+", "-")
            )
        )
    if not ok:
        problems.append(f"{rid}: fields do not fit kind {kind!r}")
    if not isinstance(rel["holds"], bool) or not isinstance(rel["tags"], list):
        problems.append(f"{rid}: holds must be bool and tags a list")

    strings = [rel["total"], *rel["parts"], rel["numerator"], rel["denominator"], rel["stated"]]
    for s in (x for x in strings if x is not None):
        if s != unicodedata.normalize("NFC", s):
            problems.append(f"{rid}: {s!r} is not NFC")
        if not _occurs(p.text, s, p.footnote_markers):
            problems.append(f"{rid}: {s!r} does not occur (at a number boundary) in {p.pid}")
    if not rel["cue"] or rel["cue"] not in p.text:
        problems.append(f"{rid}: cue {rel['cue']!r} not found in {p.pid}")

    try:
        v = evaluate(rel)
    except (ValueError, ArithmeticError, KeyError, TypeError) as exc:
        problems.append(f"{rid}: cannot evaluate: {exc}")
        return problems, None
    if rel["expected"] != fmt(v.expected):
        problems.append(f"{rid}: expected {rel['expected']!r}, recomputed {fmt(v.expected)!r}")
    if rel["tolerance"] != fmt(v.tolerance):
        problems.append(f"{rid}: tolerance {rel['tolerance']!r}, recomputed {fmt(v.tolerance)!r}")
    if rel["holds"] != v.holds:
        problems.append(f"{rid}: holds={rel['holds']} but recomputed {v.holds} ({v.detail})")
    if rel["holds"] is False and not v.robust_fail:
        problems.append(
            f"{rid}: flagged as an error but input rounding can explain it ({v.detail})"
        )
    return problems, v


def load_relations(path: Path = RELATIONS) -> list[dict]:
    rels = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                rels.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise SystemExit(f"relations.jsonl line {n}: {exc}")
    return rels


def main(argv: list[str]) -> int:
    quiet = "--quiet" in argv
    stats = "--stats" in argv
    passages, problems = load_passages()
    problems += check_passages(passages)
    rels = load_relations()
    for n, rel in enumerate(rels, 1):
        if rel.get("id") != f"DR{n:03d}":
            problems.append(f"line {n}: id {rel.get('id')!r}, want DR{n:03d}")
        probs, _ = check_relation(rel, passages)
        problems += probs
    used = {r.get("passage") for r in rels}
    for pid in passages:
        if pid not in used:
            problems.append(f"{pid}: no relation")

    by_kind = {k: sum(r["kind"] == k for r in rels) for k in KINDS}
    errors = [r for r in rels if r.get("holds") is False]
    if not quiet:
        print(
            f"passages: {len(passages)}  provinces: {len({p.province for p in passages.values()})}"
        )
        print(f"relations: {len(rels)}  " + "  ".join(f"{k}={n}" for k, n in by_kind.items()))
        print(f"deliberate errors (holds=false): {len(errors)}")
        for r in errors:
            print(f"  {r['id']} {r['passage']} {r['kind']}: {r['note']}")
    if stats:
        tags: dict[str, int] = {}
        for r in rels:
            for t in r.get("tags", []):
                tags[t] = tags.get(t, 0) + 1
        print("\ntags:")
        for t, n in sorted(tags.items(), key=lambda kv: (-kv[1], kv[0])):
            print(f"  {t:22s} {n}")
        complete = {
            str(c): sum(r["kind"] in ("sum", "ytd") and r["complete"] is c for r in rels)
            for c in (True, False)
        }
        print(f"\nsum/ytd complete=true: {complete['True']}  complete=false: {complete['False']}")
        forms = {
            f: sum(r["kind"] == "change" and r["form"] == f for r in rels) for f in CHANGE_FORMS
        }
        print("change forms: " + "  ".join(f"{f}={n}" for f, n in forms.items()))
        per = [sum(r["passage"] == pid for r in rels) for pid in passages]
        print(f"relations per passage: min {min(per)}, max {max(per)}")
    if problems:
        print(f"\n{len(problems)} problem(s):", file=sys.stderr)
        for pr in problems:
            print("  " + pr, file=sys.stderr)
        return 1
    if not quiet:
        print("\nOK: every relation recomputes to its flags")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
