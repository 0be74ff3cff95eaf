#!/usr/bin/env python3
# -*- coding: utf-8 -*-
"""Independent checker for the held-out batch G (real passages, ids G01...).

Recomputes every relation in relations.jsonl with exact decimal arithmetic
(decimal.Decimal), compares `expected`, `tolerance`, `holds` and `holds_interval`
with the stored values, checks that every number string occurs verbatim in its
passage, and verifies the planted copy (one digit changed per plant, the target
relation holds in the original and fails in the planted copy).

Differences from the checker of the synthetic set (../relations_dev):
  * two more kinds: `product` (yield x area = output) and `quotient`
    (a plain average such as "vốn bình quân ... 9,22 tỷ đồng");
  * `dot_decimal`: number strings printed with '.' as the decimal mark;
  * hedged round figures ("gần 270.000") get a wider interval, see interval();
  * nonrelations.jsonl (traps) is checked for verbatim number strings.

Usage:  python3 check.py            (exit 0 = everything consistent)
"""
import json
import os
import re
import sys
from collections import Counter
from decimal import Decimal, getcontext

getcontext().prec = 60
HERE = os.path.dirname(os.path.abspath(__file__))
HEADER = re.compile(r"^## (G\d\d) (.+) (\S+)$")
errors = []


def err(msg):
    errors.append(msg)
    print("ERROR:", msg)


# ---------------------------------------------------------------- passages
def read_passages(name):
    with open(os.path.join(HERE, name), encoding="utf-8") as f:
        raw = f.read()
    out, order = {}, []
    for block in raw.rstrip("\n").split("\n\n"):
        head, _, body = block.partition("\n")
        m = HEADER.match(head)
        if not m:
            err("%s: bad header %r" % (name, head[:80]))
            continue
        pid = m.group(1)
        if pid in out:
            err("%s: duplicate passage %s" % (name, pid))
        if not body.strip():
            err("%s: empty passage %s" % (name, pid))
        out[pid] = dict(head=head, where=m.group(2), url=m.group(3), text=body)
        order.append(pid)
    return out, order


# ---------------------------------------------------------------- numbers
def parse_vn(s, rel=None):
    """Vietnamese notation: '.' groups thousands, ',' is the decimal mark.
    Strings listed in rel['dot_decimal'] use '.' as the decimal mark."""
    t = s.strip().rstrip("%").strip()
    if rel is not None and s in rel.get("dot_decimal", []):
        if not re.fullmatch(r"\d+\.\d+", t):
            raise ValueError("not a dot-decimal number: %r" % s)
        intpart, _, frac = t.partition(".")
        return Decimal(intpart + "." + frac), len(frac)
    if not re.fullmatch(r"\d{1,3}(\.\d{3})*(,\d+)?|\d+(,\d+)?", t):
        raise ValueError("not a Vietnamese-notation number: %r" % s)
    intpart, _, frac = t.partition(",")
    return Decimal(intpart.replace(".", "") + ("." + frac if frac else "")), len(frac)


def value(s, rel):
    v, _ = parse_vn(s, rel)
    return v * Decimal(rel.get("scale", {}).get(s, "1"))


def last_digit_unit(s, rel=None):
    _, nd = parse_vn(s, rel)
    return Decimal(1).scaleb(-nd)


def nonzero_unit(v, u):
    """Unit of the last non-zero digit of v (v printed with last unit u)."""
    if v == 0:
        return u
    k = u
    while (v / (k * 10)) == (v / (k * 10)).to_integral_value():
        k *= 10
    return k


def interval(s, rel):
    """Range a printed figure may stand for: exact counts -> itself; hedged
    ('gần', 'hơn', 'trên', 'khoảng', 'xấp xỉ') -> +-w with
    w = max(1 unit of the last digit, min(1 unit of the last non-zero digit, 1% of the value)),
    so that a hedged round figure such as 'gần 1.820.000' may stand for 1.819.000;
    otherwise +-half a unit (rounding)."""
    v, _ = parse_vn(s, rel)
    u = last_digit_unit(s, rel)
    if s in rel.get("exact", []):
        w = Decimal(0)
    elif s in rel.get("hedged", []):
        w = max(u, min(nonzero_unit(v, u), v / 100))
    else:
        w = u / 2
    sc = Decimal(rel.get("scale", {}).get(s, "1"))
    return ((v - w) * sc, (v + w) * sc)


def overlap(a, b):
    return not (a[1] < b[0] or a[0] > b[1])


def div_iv(a, b):
    assert b[0] > 0
    c = [a[0] / b[0], a[0] / b[1], a[1] / b[0], a[1] / b[1]]
    return (min(c), max(c))


def evaluate(rel):
    """Return (expected, tolerance, holds, holds_interval) for one relation."""
    kind = rel["kind"]
    if kind in ("sum", "ytd"):
        total = rel["total"]
        if rel["stated"] != total:
            err("%s: stated should repeat the total" % rel["id"])
        sc = Decimal(rel.get("scale", {}).get(total, "1"))
        expected = sum((value(p, rel) for p in rel["parts"]), Decimal(0)) / sc
        tol = last_digit_unit(total, rel) / 2
        stated = value(total, rel) / sc
        ivs = [interval(p, rel) for p in rel["parts"]]
        lo = sum(i[0] for i in ivs) / sc
        hi = sum(i[1] for i in ivs) / sc
        t_iv = tuple(x / sc for x in interval(total, rel))
        if kind == "ytd" or rel["complete"] is False:
            # cumulative figure / whole must be at least the listed part(s)
            return expected, tol, expected <= stated + tol, lo <= t_iv[1]
        return expected, tol, abs(expected - stated) <= tol, overlap((lo, hi), t_iv)
    if kind == "shares":
        vals = [parse_vn(p, rel)[0] for p in rel["parts"]]
        expected = sum(vals, Decimal(0))
        tol = sum((last_digit_unit(p, rel) / 2 for p in rel["parts"]), Decimal(0))
        ivs = [interval(p, rel) for p in rel["parts"]]
        lo, hi = sum(i[0] for i in ivs), sum(i[1] for i in ivs)
        return expected, tol, abs(expected - 100) <= tol, lo <= 100 <= hi
    if kind == "product":
        # yield x area = output: numerator = yield, denominator = area, total = output
        total = rel["total"]
        if rel["stated"] != total:
            err("%s: stated should repeat the total" % rel["id"])
        sc = Decimal(rel.get("scale", {}).get(total, "1"))
        expected = value(rel["numerator"], rel) * value(rel["denominator"], rel) / sc
        tol = last_digit_unit(total, rel) / 2
        stated = value(total, rel) / sc
        a, b = interval(rel["numerator"], rel), interval(rel["denominator"], rel)
        c = [x * y / sc for x in a for y in b]
        t_iv = tuple(x / sc for x in interval(total, rel))
        return expected, tol, abs(expected - stated) <= tol, overlap((min(c), max(c)), t_iv)
    stated_s = rel["stated"]
    stated, _ = parse_vn(stated_s, rel)
    tol = last_digit_unit(stated_s, rel) / 2
    st_iv = interval(stated_s, {"hedged": rel.get("hedged", []), "dot_decimal": rel.get("dot_decimal", [])})
    if kind == "quotient":
        # plain quotient (an average), in the unit of `stated` (scale of stated applies)
        n, d = rel["numerator"], rel["denominator"]
        ssc = Decimal(rel.get("scale", {}).get(stated_s, "1"))
        expected = value(n, rel) / value(d, rel) / ssc
        q = div_iv(interval(n, rel), interval(d, rel))
        return expected, tol, abs(expected - stated) <= tol, overlap((q[0] / ssc, q[1] / ssc), st_iv)
    if kind == "ratio":
        n, d = rel["numerator"], rel["denominator"]
        expected = value(n, rel) / value(d, rel) * 100
        q = div_iv(interval(n, rel), interval(d, rel))
        e_iv = (q[0] * 100, q[1] * 100)
    elif kind == "change":
        v = rel["numerator"]
        inc = rel["direction"] == "increase"
        if rel.get("denominator"):
            ref = rel["denominator"]
            q = value(v, rel) / value(ref, rel)
            expected = (q - 1) * 100 if inc else (1 - q) * 100
            qi = div_iv(interval(v, rel), interval(ref, rel))
            e_iv = ((qi[0] - 1) * 100, (qi[1] - 1) * 100) if inc else ((1 - qi[1]) * 100, (1 - qi[0]) * 100)
        else:
            # absolute change printed instead of the reference value
            (delta,) = rel["parts"]

            def pct(cur, dl):
                base = cur - dl if inc else cur + dl
                return dl / base * 100
            expected = pct(value(v, rel), value(delta, rel))
            corners = [pct(a, b) for a in interval(v, rel) for b in interval(delta, rel)]
            e_iv = (min(corners), max(corners))
    else:
        raise ValueError("unknown kind %r" % kind)
    return expected, tol, abs(expected - stated) <= tol, overlap(e_iv, st_iv)


def strings_of(rel):
    xs = [rel.get("total"), rel.get("numerator"), rel.get("denominator")]
    if rel["kind"] in ("ratio", "change", "quotient"):
        xs.append(rel["stated"])
    return [x for x in xs if x] + list(rel.get("parts") or [])


# ---------------------------------------------------------------- main
def main():
    orig, order = read_passages("passages.txt")
    planted, order_p = read_passages("passages_planted.txt")
    if order != order_p:
        err("passage order / ids differ between passages.txt and passages_planted.txt")
    with open(os.path.join(HERE, "relations.jsonl"), encoding="utf-8") as f:
        rels = [json.loads(line) for line in f if line.strip()]
    with open(os.path.join(HERE, "planted.json"), encoding="utf-8") as f:
        plants = json.load(f)

    required = ["id", "passage", "kind", "complete", "total", "parts", "numerator", "denominator",
                "stated", "expected", "holds", "tolerance", "note"]
    ids = set()
    for r in rels:
        for k in required:
            if k not in r:
                err("%s: missing field %s" % (r.get("id"), k))
        if r["id"] in ids:
            err("duplicate relation id %s" % r["id"])
        ids.add(r["id"])
        if r["passage"] not in orig:
            err("%s: unknown passage %s" % (r["id"], r["passage"]))
            continue
        text = orig[r["passage"]]["text"]
        for s in strings_of(r):
            if s not in text:
                err("%s: %r not found verbatim in %s" % (r["id"], s, r["passage"]))
        for s in r.get("hedged", []) + r.get("exact", []) + list(r.get("scale", {})) + r.get("dot_decimal", []):
            if s not in strings_of(r):
                err("%s: annotation for %r which the relation does not use" % (r["id"], s))
        exp, tol, holds, hint = evaluate(r)
        if abs(exp - Decimal(r["expected"])) > Decimal("0.000001"):
            err("%s: expected %s, recomputed %s" % (r["id"], r["expected"], exp))
        if Decimal(r["tolerance"]) != tol:
            err("%s: tolerance %s, recomputed %s" % (r["id"], r["tolerance"], tol))
        if bool(r["holds"]) != bool(holds):
            err("%s: holds flag %s but recomputation gives %s" % (r["id"], r["holds"], holds))
        if "holds_interval" in r and bool(r["holds_interval"]) != bool(hint):
            err("%s: holds_interval %s but recomputation gives %s" % (r["id"], r["holds_interval"], hint))
        if r["boundary"] and abs(abs(exp - (Decimal(100) if r["kind"] == "shares" else parse_vn(r["stated"], r)[0])) - tol) > Decimal("1e-9"):
            err("%s: marked boundary but |expected - stated| != tolerance" % r["id"])

    # ---- planted copy
    by_id = {r["id"]: r for r in rels}
    expected_planted = {pid: orig[pid]["text"] for pid in orig}
    for pl in plants:
        pid, old, new = pl["passage"], pl["old"], pl["new"]
        if orig[pid]["text"].count(old) != 1:
            err("plant %s %r: must occur exactly once in the original passage" % (pid, old))
        diff = [(a, b) for a, b in zip(old, new) if a != b]
        if len(old) != len(new) or len(diff) != 1 or not (diff[0][0].isdigit() and diff[0][1].isdigit()):
            err("plant %s %r -> %r is not a single-digit change" % (pid, old, new))
        expected_planted[pid] = expected_planted[pid].replace(old, new)
        target = by_id[pl["relation"]]
        if target["passage"] != pid or old not in strings_of(target):
            err("plant %s: relation %s does not use %r" % (pid, target["id"], old))
        if not target["holds"]:
            err("plant %s: target relation %s does not hold in the original" % (pid, target["id"]))
    for pid in orig:
        if orig[pid]["head"] != planted[pid]["head"]:
            err("header differs for %s" % pid)
        if planted[pid]["text"] != expected_planted[pid]:
            err("planted text for %s is not the original plus the listed plants" % pid)

    def swap(rel, old, new):
        r2 = json.loads(json.dumps(rel))
        for k in ("total", "numerator", "denominator", "stated"):
            if r2.get(k) == old:
                r2[k] = new
        r2["parts"] = [new if p == old else p for p in (r2.get("parts") or [])]
        for k in ("hedged", "exact", "dot_decimal"):
            r2[k] = [new if p == old else p for p in r2.get(k, [])]
        if old in r2.get("scale", {}):
            r2["scale"][new] = r2["scale"].pop(old)
        return r2

    print("\nplants:")
    for pl in plants:
        pid, old, new = pl["passage"], pl["old"], pl["new"]
        for r in rels:
            if r["passage"] != pid or old not in strings_of(r):
                continue
            e0, t0, h0, i0 = evaluate(r)
            e1, t1, h1, i1 = evaluate(swap(r, old, new))
            tag = "TARGET" if r["id"] == pl["relation"] else "also"
            print("  %s %-6s %s %r->%r  holds %s->%s  interval %s->%s  expected %s->%s" % (
                pid, tag, r["id"], old, new, h0, h1, i0, i1,
                round(e0, 4), round(e1, 4)))
            if tag == "TARGET" and (h1 or i1):
                err("plant %s: target %s still holds after the change (strict=%s interval=%s)" % (pid, r["id"], h1, i1))

    # ---- traps (nonrelations.jsonl)
    traps = []
    with open(os.path.join(HERE, "nonrelations.jsonl"), encoding="utf-8") as f:
        traps = [json.loads(line) for line in f if line.strip()]
    for i, t in enumerate(traps, 1):
        for k in ("passage", "numbers", "why"):
            if k not in t:
                err("trap %d: missing field %s" % (i, k))
        if t["passage"] not in orig:
            err("trap %d: unknown passage %s" % (i, t["passage"]))
            continue
        if len(t["numbers"]) < 2:
            err("trap %d: needs at least two numbers" % i)
        for s in t["numbers"]:
            if s not in orig[t["passage"]]["text"]:
                err("trap %d: %r not found verbatim in %s" % (i, s, t["passage"]))

    # ---- summary
    kinds = Counter(r["kind"] for r in rels)
    holds = sum(1 for r in rels if r["holds"])
    strict_fail = [r["id"] for r in rels if not r["holds"]]
    robust_fail = [r["id"] for r in rels if not r["holds"] and not r.get("holds_interval", False)]
    sources = Counter(orig[p]["where"].split(" | ")[0] for p in orig)
    print("\npassages: %d   distinct places/sources: %d" % (len(orig), len(sources)))
    print("relations: %d  by kind: %s" % (len(rels), dict(sorted(kinds.items()))))
    print("hold: %d   fail (strict, real errors in source): %d %s" % (holds, len(strict_fail), strict_fail))
    print("   of which fail even allowing for rounding/hedging of every input: %d %s" % (len(robust_fail), robust_fail))
    print("boundary cases (|expected-stated| == tolerance): %s" % [r["id"] for r in rels if r["boundary"]])
    print("plants: %d" % len(plants))
    print("nonrelations (traps): %d in %d passages" % (len(traps), len({t["passage"] for t in traps})))
    if errors:
        print("\n%d ERROR(S)" % len(errors))
        return 1
    print("\nOK: every flag matches the recomputation")
    return 0


if __name__ == "__main__":
    sys.exit(main())
