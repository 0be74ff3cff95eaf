from dataclasses import replace
from decimal import Decimal

import pytest

from extractor.extraction.pipeline import extract_document
from extractor.extraction.rules_backend import RulesBackend
from extractor.numbers import parse_number
from extractor.records import Fact
from extractor.relations import Cue, Gap, Operand, Relation
from extractor.relations.relation_records import Kind, Role
from extractor.validation import check_relation, skipped_check, validate, validate_across
from extractor.validation.arithmetic import printed
from extractor.validation.intervals import Printed, read_printed, span


@pytest.fixture(scope="module")
def findings(docs):
    out = {}
    for name, doc in docs.items():
        run = extract_document(doc, RulesBackend())
        out[name] = validate(run.relations, run.gaps)
    return out


def fails(findings, name):
    return [f for f in findings[name] if f.status == "fail"]


def find(findings, name, rule, text):
    """The check of ``rule`` whose numbers include one printed ``text`` (a skipped one
    only when there is no other)."""
    hits = [f for f in findings[name] if f.rule == rule and any(x.text == text for x in f.facts)]
    for f in sorted(hits, key=lambda f: f.status == "skipped"):
        return f
    raise AssertionError(f"no {rule} finding with {text!r}")


# --- the real inconsistencies of DESIGN.md 3 are reported --------------------------------


def test_footnote_4_cases_do_not_add_up(findings) -> None:
    f = find(findings, "lai-chau-2024-02", "parts_sum", "09 vụ")
    assert (f.status, f.severity) == ("fail", "error")
    assert (f.expected, f.actual) == (13, 9)  # the parts make 13, the total says 9
    assert [x.text for x in f.facts] == ["09 vụ", "06 vụ", "02 vụ", "01 vụ", "04 vụ"]
    assert "09 vụ" in f.message_vi and "13" in f.message_en
    assert f.relation and f.relation.endswith(tuple(f":R{k}" for k in range(1, 100)))


def test_footnote_10_people_do_not_add_up(findings) -> None:
    f = find(findings, "lai-chau-2024-02", "parts_sum", "550 lao động")
    assert (f.status, f.severity) == ("fail", "error")
    assert (f.expected, f.actual) == (580, 550)


def test_lao_cai_investment_line_1110_of_952(findings) -> None:
    f = find(findings, "lao-cai-2024-02", "ratio", "1110/952 tỷ đồng")
    assert (f.status, f.severity) == ("fail", "error") and f.actual == 11
    assert f.expected > 100


# --- the correct relations of DESIGN.md 3 pass -----------------------------------------


@pytest.mark.parametrize(
    ("sample", "rule", "text"),
    [
        ("lai-chau-2024-02", "parts_sum", "349.090 con"),  # 92.400 + 25.490 + 231.200
        ("lai-chau-2024-02", "parts_sum", "37.423,876 triệu đồng"),  # footnote 12 budget
        ("lai-chau-2024-02", "ratio", "779/9.872 trẻ"),  # 7,89%
        ("lao-cai-2024-02", "ytd_sum", "524.266 lượt khách"),  # + 538.099 = 1.062.365
        ("lao-cai-2024-02", "change_percent", "524.266 lượt khách"),  # tăng 2,6%
        ("lao-cai-2024-02", "ratio", "74.000 tấn"),  # 10.800 tấn, 14,59% KH
        ("lao-cai-2024-02", "ratio", "6.053,9 tỷ đồng"),  # 2.883,9 is 90,98% of January
        ("lai-chau-2023-annual", "shares_sum_100", "15,49%"),  # GRDP structure
    ],
)
def test_correct_relations_pass(findings, sample, rule, text) -> None:
    f = find(findings, sample, rule, text)
    assert f.status == "pass", f.message_en


def test_tourist_breakdown_within_the_month(findings) -> None:
    f = find(findings, "lao-cai-2024-02", "parts_sum", "538.099 lượt khách")
    assert f.status == "pass" and f.expected == 538099  # 57.191 + 480.908


def test_no_surprise_failures_on_the_samples(findings) -> None:
    """Every failure on the samples is a known inconsistency (DESIGN.md 3, or found by
    the relation gold in tests/gold/relations): a new one here is a regression."""
    known = {
        ("lai-chau-2024-02", "parts_sum", "09 vụ", "error"),
        ("lai-chau-2024-02", "parts_sum", "550 lao động", "error"),
        ("lao-cai-2024-02", "ratio", "1110/952 tỷ đồng", "error"),
        # 83,1 / 1.700 = 4,888%: printed 4,8% (cut, not rounded)
        ("lao-cai-2024-02", "ratio", "83,1 ha/1.700ha", "warning"),
        # 12 + 63 + 01 routes under "trong đó" are more than the 75 said
        ("lai-chau-2023-annual", "parts_sum", "75 tuyến", "error"),
        # footnote 25: the sectors make 115 of the 135 new firms
        ("lai-chau-2023-annual", "parts_sum", "135 doanh nghiệp", "error"),
        # footnote: 737,9 + 2.634,8 + 7,2 = 3.379,9 printed 3.379 (cut, not rounded)
        ("lai-chau-2023-annual", "parts_sum", "3.379 tỷ đồng", "warning"),
        # penalties: 1.354 triệu đồng in the month, 1.206.581.000 đồng to date
        ("lao-cai-2024-02", "ytd_sum", "1.206.581.000 đồng", "error"),
    }
    seen = {
        (name, f.rule, f.facts[0].text, f.severity)
        for name in findings
        for f in fails(findings, name)
    }
    assert seen == known


def test_every_gap_is_a_skipped_check_with_its_reason(findings) -> None:
    skipped = [f for f in findings["lao-cai-2024-02"] if f.status == "skipped"]
    assert skipped and all(f.reason for f in skipped)
    assert {f.reason for f in skipped} >= {"reference value not printed"}


def test_finding_record_contract(findings) -> None:
    rec = find(findings, "lai-chau-2024-02", "parts_sum", "09 vụ").record()
    assert list(rec) == [
        "rule",
        "status",
        "expected",
        "actual",
        "tolerance",
        "message_vi",
        "message_en",
        "facts",
        "doc",
        "reason",
        "severity",
        "relation",
        "unsure",
    ]
    assert rec["unsure"] is True  # a footnote list read as whole, unsure: still an error
    assert rec["facts"][0] == {
        "id": rec["facts"][0]["id"],
        "text": "09 vụ",
        "start": rec["facts"][0]["start"],
        "end": rec["facts"][0]["end"],
    }
    assert rec["doc"] == "lai-chau-2024-02.txt" and rec["actual"] == 9
    assert rec["severity"] == "error" and rec["relation"].startswith(rec["facts"][0]["id"][:12])


# --- every rule, from relation records built by hand (no backend, no text) ---------------

_SCALES = {"nghìn": 10**3, "triệu": 10**6, "tỷ": 10**9}


def op(role: Role, text: str, hedge: str | None = None, start: int = 0) -> Operand:
    """An operand as a finder would make it from the printed ``text``."""
    token, *rest = text.split()
    number = token.rstrip("%")
    parsed = parse_number(number)
    scale = _SCALES.get(rest[0], 1) if rest else 1
    unit = "%" if token.endswith("%") else (rest[-1] if rest else None)
    return Operand(
        role,
        f"q{start}",
        text,
        start,
        start + len(text),
        parsed.value,
        parsed.decimals,
        scale,
        unit,
        hedge=hedge,
    )


def rel(kind: Kind, *operands: Operand, **kw) -> Relation:
    return Relation("abc:R1", "d.txt", kind, operands, Cue("cue", 0, 3), **kw)


def status(relation: Relation) -> tuple[str, str | None]:
    f = check_relation(relation)
    return f.status, f.severity


def test_parts_sum_complete_and_partial() -> None:
    parts = [op("part", t) for t in ("92.400 con", "25.490 con", "231.200 con")]
    assert status(rel("sum", op("total", "349.090 con"), *parts, complete=True)) == ("pass", None)
    typo = rel("sum", op("total", "349.900 con"), *parts, complete=True)
    assert status(typo) == ("fail", "error")
    # partial: parts <= total holds whatever the rest is
    assert status(rel("sum", op("total", "400.000 con"), *parts, complete=False))[0] == "pass"
    assert status(rel("sum", op("total", "300.000 con"), *parts, complete=False))[0] == "fail"
    f = check_relation(rel("sum", op("total", "400.000 con"), *parts, complete=False))
    assert "equality not assumed" in f.message_en


def test_mixed_scales_in_one_sum() -> None:
    r = rel("sum", op("total", "1,37 triệu"), op("part", "420 nghìn"), op("part", "950 nghìn"))
    assert status(replace(r, complete=True)) == ("pass", None)


def test_hedged_and_cut_figures_fail_as_warnings() -> None:
    hedged = rel(
        "sum",
        op("total", "520 nghìn", "khoảng"),
        op("part", "12 nghìn", "khoảng"),
        op("part", "503 nghìn", "khoảng"),
        complete=True,
    )
    assert status(hedged) == ("fail", "warning")  # 515 against "about 520"
    # a round figure is read as rounded to its last non-zero digit only when hedged
    # ("gần 1.820.000"): unhedged, "14.800" stands for 14.800 and "520 nghìn" for 520
    parts = (op("part", "12 nghìn"), op("part", "503 nghìn"))
    assert status(rel("sum", op("total", "520 nghìn", "gần"), *parts, complete=True))[1] == (
        "warning"
    )
    assert status(rel("sum", op("total", "520 nghìn"), *parts, complete=True)) == (
        "fail",
        "error",
    )
    budget = (op("part", "11.270"), op("part", "3.580"))
    assert status(rel("sum", op("total", "14.800"), *budget, complete=True)) == ("fail", "error")
    assert status(rel("sum", op("total", "14.900", "gần"), *budget, complete=True)) == (
        "fail",
        "warning",
    )
    cut = rel(
        "sum",
        op("total", "3.379 tỷ đồng"),
        op("part", "737,9 tỷ đồng"),
        op("part", "2.634,8 tỷ đồng"),
        op("part", "7,2 tỷ đồng"),
        complete=True,
    )
    assert status(cut) == ("fail", "warning")  # 3.379,9 printed cut to 3.379


def test_ytd_rules() -> None:
    assert status(rel("ytd", op("total", "8.120 tỷ"), op("part", "2.915 tỷ"))) == ("pass", None)
    below = rel("ytd", op("total", "891,2 tỷ"), op("part", "1.086 tỷ"), complete=False)
    assert status(below) == ("fail", "error")
    chain = [op("total", "26.480 người"), op("part", "22.490 người"), op("part", "3.540 người")]
    assert status(rel("ytd", *chain, complete=True)) == ("fail", "error")  # 26.030


def test_shares_sum_to_100() -> None:
    shares = [op("part", t) for t in ("15,49%", "37,32%", "40,35%", "6,84%")]
    assert status(rel("shares", *shares, complete=True)) == ("pass", None)
    wrong = [op("part", t) for t in ("12,6%", "31,8%", "49,7%", "6,7%")]
    assert status(rel("shares", *wrong, complete=True)) == ("fail", "error")  # 100,8


def test_ratio_rules() -> None:
    ok = rel("ratio", op("numerator", "779"), op("denominator", "9.872"), op("stated", "7,89%"))
    assert status(replace(ok, form="percent")) == ("pass", None)
    base = rel(
        "ratio", op("numerator", "612.400"), op("denominator", "1.850.000"), op("stated", "38,2%")
    )
    assert status(base) == ("fail", "error")  # 33,1%
    january = rel(  # February: 2.883,9 is 90,98% of (6.053,9 - 2.883,9)
        "ratio", op("numerator", "2.883,9 tỷ"), op("total", "6.053,9 tỷ"), op("stated", "90,98%")
    )
    assert status(january) == ("pass", None)
    zero = rel("ratio", op("numerator", "5"), op("denominator", "0"), op("stated", "1%"))
    assert status(zero)[0] == "skipped"


@pytest.mark.parametrize(
    ("form", "direction", "value", "reference", "stated", "holds"),
    [
        ("percent", "+", "4.126,8 tỷ", "3.671,5 tỷ", "12,4%", True),
        ("percent", "+", "121.580 tỷ", "115.840 tỷ", "6,2%", False),  # +5,0%
        ("percent", "-", "58", "66", "12,1%", True),
        ("absolute", "+", "348", "321", "27", True),
        ("absolute", "-", "142", "124", "18", False),  # rose by 18: the sign is wrong
        ("points", "-", "0,86%", "1,27%", "0,41%", True),
        ("multiple", None, "6.480 tỷ", "3.590 tỷ", "1,8", True),
        ("multiple", None, "6.480 tỷ", "3.590 tỷ", "2,8", False),
    ],
)
def test_change_rules(form, direction, value, reference, stated, holds) -> None:
    r = rel(
        "change",
        op("value", value),
        op("reference", reference),
        op("stated", stated),
        form=form,
        direction=direction,
    )
    assert status(r) == (("pass", None) if holds else ("fail", "error"))


def test_a_gap_is_skipped_with_its_reason() -> None:
    gap = Gap("d.txt", "change_percent", Cue("tăng 5%", 10, 17), "reference value not printed", ())
    f = skipped_check(gap)
    assert (f.status, f.rule, f.reason) == ("skipped", "change_percent", gap.reason)
    assert "tăng 5%" in f.message_vi


def test_validate_orders_errors_first() -> None:
    parts = [op("part", "92.400 con"), op("part", "25.490 con")]
    good = rel("sum", op("total", "117.890 con"), *parts, complete=True)
    bad = replace(good, id="abc:R2", operands=(op("total", "117.980 con"), *parts))
    gap = Gap("d.txt", "ratio", Cue("chiếm 5%", 0, 8), "plan value not printed", ())
    out = validate([good, bad], [gap])
    assert [f.status for f in out] == ["fail", "skipped", "pass"]
    assert out[0].relation == "abc:R2"


# --- tolerance from printed precision -----------------------------------------------------


def test_printed_intervals() -> None:
    assert printed(op("stated", "7,89%")) == Printed(Decimal("7.89"), Decimal("0.005"))
    assert printed(op("total", "200,2 tỷ đồng")).half == Decimal("0.05") * 10**9
    assert printed(op("total", "349.090 con")).half == 0  # a count
    assert printed(op("stated", "10%")).half == Decimal("0.5")
    assert read_printed("1.234,5 tỷ đồng", 10**9, "đồng") == Printed(
        Decimal("1234.5") * 10**9, Decimal("0.05") * 10**9
    )
    assert read_printed("-3,2%", 1, "%") == Printed(Decimal("-3.2"), Decimal("0.05"))
    assert read_printed("không rõ", 1, None) is None


def test_span_widens_only_by_input_rounding() -> None:
    exact = span(
        lambda a, b: a / b * 100,
        Printed(Decimal(779), Decimal(0)),
        Printed(Decimal(9872), Decimal(0)),
    )
    assert exact is not None
    lo, centre, hi = exact
    assert lo == centre == hi  # exact counts: no widening
    rounded = span(
        lambda a, b: a / b * 100,
        Printed(Decimal("6.9"), Decimal("0.05")),
        Printed(Decimal(100), Decimal(0)),
    )
    assert rounded is not None
    lo, _, hi = rounded
    assert (lo, hi) == (Decimal("6.85"), Decimal("6.95"))


def _fact(**kw):
    base = {
        "id": "x",
        "doc": "d.txt",
        "doc_sha256": "d",
        "province": "Lai Châu",
        "report_period": "2024-02",
        "code": "retail_sales",
        "aggregation": "flow",
        "period": "month",
        "unit": "đồng",
        "scale": 10**9,
        "comparisons": [],
        "parent": None,
        "start": 0,
        "end": 5,
    }
    return Fact.from_record({**base, **kw})


# --- across reports ------------------------------------------------------------------------


def test_ytd_chain_across_a_consistent_pair() -> None:
    jan_month = _fact(
        id="j1",
        doc="jan",
        doc_sha256="jan",
        report_period="2024-01",
        text="771,6 tỷ đồng",
        period="month",
    )
    jan_ytd = _fact(
        id="j2",
        doc="jan",
        doc_sha256="jan",
        report_period="2024-01",
        text="771,6 tỷ đồng",
        period="ytd",
    )
    feb_month = _fact(id="f1", text="732,3 tỷ đồng", period="month")
    feb_ytd = _fact(id="f2", text="1.503,9 tỷ đồng", period="ytd")
    findings = validate_across([jan_month, jan_ytd, feb_month, feb_ytd])
    chain = [f for f in findings if f.rule == "ytd_chain"]
    assert [f.status for f in chain] == ["pass"]
    feb_ytd_bad = replace(feb_ytd, text="1.530,9 tỷ đồng")  # transposed digits
    chain = [
        f
        for f in validate_across([jan_month, jan_ytd, feb_month, feb_ytd_bad])
        if f.rule == "ytd_chain"
    ]
    assert [f.status for f in chain] == ["fail"]


def test_stocks_are_never_summed_across_months() -> None:
    jan = _fact(
        id="j",
        doc="jan",
        doc_sha256="jan",
        report_period="2024-01",
        period="ytd",
        code="loans_outstanding",
        aggregation="stock",
        text="20.100 tỷ đồng",
    )
    jan_m = replace(jan, id="jm", period="month")
    feb = _fact(
        id="f", period="ytd", code="loans_outstanding", aggregation="stock", text="20.935 tỷ đồng"
    )
    feb_m = replace(feb, id="fm", period="month")
    assert not [f for f in validate_across([jan, jan_m, feb, feb_m]) if f.rule == "ytd_chain"]


def test_year_on_year_and_scale_jump() -> None:
    last = _fact(id="l", doc="y23", doc_sha256="y23", report_period="2023-02", text="691,5 tỷ đồng")
    cur = _fact(
        id="c",
        text="732,3 tỷ đồng",
        comparisons=[
            {
                "kind": "increase",
                "basis": "same_period",
                "value": 5.9,
                "unit": "%",
                "text": "5,9%",
                "start": 20,
                "end": 24,
            }
        ],
    )
    [yoy] = [f for f in validate_across([last, cur]) if f.rule == "year_on_year"]
    assert yoy.status == "pass"  # 732,3 / 691,5 - 1 = 5,90%
    wrong_unit = replace(last, text="691.500 tỷ đồng")  # typed in millions by mistake
    jumps = [f for f in validate_across([wrong_unit, cur]) if f.rule == "scale_jump"]
    assert len(jumps) == 1 and jumps[0].status == "fail"


# --- across reports, on a real pair ------------------------------------------------------


def _january_from(feb_facts):
    """A January 2024 report derived from February: January month = February ytd -
    February month (= January ytd), for every coded flow indicator printed both ways."""
    from extractor.numbers import format_number

    by_code: dict[str, dict[str, Fact]] = {}
    for f in feb_facts:
        if f.code and f.aggregation == "flow" and not f.parent:
            by_code.setdefault(f.code, {}).setdefault(f.period, f)
    jan = []
    for code, periods in by_code.items():
        if "month" not in periods or "ytd" not in periods:
            continue
        month, ytd = periods["month"], periods["ytd"]
        if (month.unit, month.scale) != (ytd.unit, ytd.scale):
            continue
        value = Decimal(str(ytd.value)) - Decimal(str(month.value))
        exponent = value.as_tuple().exponent
        assert isinstance(exponent, int)  # a finite number
        decimals = max(-exponent, 0)
        number = format_number(value, decimals)
        unit_text = ytd.text.split(" ", 1)[1] if " " in ytd.text else ""
        for period in ("month", "ytd"):
            jan.append(
                replace(
                    month,
                    id=f"jan:{code}:{period}",
                    doc="lai-chau-2024-01 (derived)",
                    doc_sha256="jan",
                    report_period="2024-01",
                    period=period,
                    value=float(value),
                    text=f"{number} {unit_text}".strip(),
                    comparisons=(),
                )
            )
    return jan


@pytest.fixture(scope="module")
def pair(docs):
    feb = extract_document(docs["lai-chau-2024-02"], RulesBackend()).facts
    return feb, _january_from(feb)


def test_consistent_pair_passes_ytd_chain(pair) -> None:
    feb, jan = pair
    chain = [f for f in validate_across(feb + jan) if f.rule == "ytd_chain"]
    assert len(chain) >= 5
    assert all(f.status == "pass" for f in chain), [
        f.message_en for f in chain if f.status != "pass"
    ]
    codes = {f.message_en.split(" ")[0] for f in chain}
    assert {"retail_sales", "industrial_output", "transport_revenue"} <= codes


def test_planted_inconsistency_in_the_pair_fails(pair) -> None:
    feb, jan = pair
    planted = [
        replace(f, text="871,6 tỷ đồng", value=871.6)
        if f.code == "retail_sales" and f.period == "ytd"
        else f
        for f in jan
    ]
    chain = {
        f.message_en.split(" ")[0]: f
        for f in validate_across(feb + planted)
        if f.rule == "ytd_chain"
    }
    assert chain["retail_sales"].status == "fail"
    assert chain["retail_sales"].expected == Decimal("1603.9") * 10**9
    assert all(f.status == "pass" for code, f in chain.items() if code != "retail_sales")


def test_planted_transpositions_are_caught_or_within_precision() -> None:
    """A slice of benchmarks/mutation.py: no planted error in an equality relation may
    be missed (vanish, or pass while off by more than the printed precision)."""
    from benchmarks.mutation import mutate_sample

    from .helpers import SAMPLES

    outcomes, base_fails = mutate_sample(SAMPLES / "lai-chau-2024-02.txt", limit=4)
    assert outcomes and not [o for o in outcomes if o.result == "missed"]
    assert sum(o.result in ("caught", "inequality_caught") for o in outcomes) >= 1
    assert {f.facts[0].text for f in base_fails} == {"09 vụ", "550 lao động"}


def test_facts_given_for_relations_get_a_clear_error() -> None:
    with pytest.raises(TypeError, match=r"validate\(run\.relations, run\.gaps, facts=run\.facts\)"):
        validate([_fact()])
