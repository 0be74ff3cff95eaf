from dataclasses import replace
from decimal import Decimal

import pytest

from extractor.extraction.backend import RulesBackend
from extractor.extraction.facts import Fact, FactComparison
from extractor.extraction.runner import extract_document
from extractor.validation import validate, validate_across
from extractor.validation.intervals import Printed, printed, span


@pytest.fixture(scope="module")
def findings(docs):
    out = {}
    for name, doc in docs.items():
        run = extract_document(doc, RulesBackend())
        out[name] = validate(run.facts)
    return out


def fails(findings, name):
    return [f for f in findings[name] if f.status == "fail"]


def find(findings, name, rule, text):
    """The finding of ``rule`` whose facts include one with ``text``."""
    for f in findings[name]:
        if f.rule == rule and any(x.text == text for x in f.facts):
            return f
    raise AssertionError(f"no {rule} finding with {text!r}")


# --- the real inconsistencies of DESIGN.md 3 are reported --------------------------------


def test_footnote_4_cases_do_not_add_up(findings) -> None:
    f = find(findings, "lai-chau-2024-02", "parts_sum", "09 vụ")
    assert f.status == "fail" and f.expected == 9 and f.actual == 13
    assert [x.text for x in f.facts] == ["09 vụ", "06 vụ", "02 vụ", "01 vụ", "04 vụ"]
    assert "09 vụ" in f.message_vi and "13" in f.message_en


def test_footnote_10_people_do_not_add_up(findings) -> None:
    f = find(findings, "lai-chau-2024-02", "parts_sum", "550 lao động")
    assert f.status == "fail" and (f.expected, f.actual) == (550, 580)


def test_lao_cai_investment_line_1110_of_952(findings) -> None:
    f = find(findings, "lao-cai-2024-02", "fraction_percent", "1110/952 tỷ đồng")
    assert f.status == "fail" and f.actual == 11
    assert f.expected > 100


# --- the correct relations of DESIGN.md 3 pass -----------------------------------------


@pytest.mark.parametrize(
    ("sample", "rule", "text"),
    [
        ("lai-chau-2024-02", "parts_sum", "349.090 con"),  # 92.400 + 25.490 + 231.200
        ("lai-chau-2024-02", "parts_sum", "37.423,876 triệu đồng"),  # footnote 12 budget
        ("lai-chau-2024-02", "fraction_percent", "779/9.872 trẻ"),  # 7,89%
        ("lao-cai-2024-02", "ytd_sum", "1.062.365 lượt khách"),  # 524.266 + 538.099
        ("lao-cai-2024-02", "change_vs_reference", "538.099 lượt khách"),  # tăng 2,6%
        ("lao-cai-2024-02", "plan_share", "10.800 tấn"),  # 14,59% KH (74.000 tấn)
        ("lao-cai-2024-02", "ratio_previous_month", "2.883,9 tỷ đồng"),  # 90,98%
        ("lai-chau-2023-annual", "shares_sum_100", "15,49%"),  # GRDP structure
    ],
)
def test_correct_relations_pass(findings, sample, rule, text) -> None:
    f = find(findings, sample, rule, text)
    assert f.status == "pass", f.message_en


def test_tourist_breakdown_within_the_month(findings) -> None:
    f = find(findings, "lao-cai-2024-02", "parts_sum", "538.099 lượt khách")
    assert f.status == "pass" and f.actual == 538099  # 57.191 + 480.908


def test_no_surprise_failures_on_the_samples(findings) -> None:
    """Every failure on the samples is a known inconsistency or a listed false alarm
    (BENCHMARKS.md): a new one here is a regression."""
    known = {
        ("lai-chau-2024-02", "parts_sum", "09 vụ"),
        ("lai-chau-2024-02", "parts_sum", "550 lao động"),
        ("lao-cai-2024-02", "fraction_percent", "1110/952 tỷ đồng"),
        ("lao-cai-2024-02", "fraction_percent", "83,1 ha/1.700ha"),  # 4,89% printed 4,8%
        ("lai-chau-2023-annual", "parts_sum", "142.337 tỷ đồng"),  # rules attribution
    }
    seen = {(name, f.rule, f.facts[0].text) for name in findings for f in fails(findings, name)}
    assert seen == known


def test_finding_record_contract(findings) -> None:
    rec = find(findings, "lai-chau-2024-02", "parts_sum", "09 vụ").record()
    assert list(rec)[:9] == [
        "rule",
        "status",
        "expected",
        "actual",
        "tolerance",
        "message_vi",
        "message_en",
        "facts",
        "doc",
    ]
    assert rec["facts"][0] == {
        "id": rec["facts"][0]["id"],
        "text": "09 vụ",
        "start": rec["facts"][0]["start"],
        "end": rec["facts"][0]["end"],
    }
    assert rec["doc"] == "lai-chau-2024-02.txt" and rec["expected"] == 9


# --- tolerance from printed precision -----------------------------------------------------


def test_printed_intervals() -> None:
    def item(text, unit, scale=1):
        return FactComparison("reach", None, None, unit, text, 0, len(text), scale)

    assert printed(item("7,89%", "%")) == Printed(Decimal("7.89"), Decimal("0.005"))
    assert printed(item("200,2 tỷ đồng", "đồng", 10**9)).half == Decimal("0.05") * 10**9
    assert printed(item("349.090 con", "con")).half == 0  # a count
    assert printed(item("10%", "%")).half == Decimal("0.5")


def test_span_widens_only_by_input_rounding() -> None:
    lo, centre, hi = span(
        lambda a, b: a / b * 100,
        Printed(Decimal(779), Decimal(0)),
        Printed(Decimal(9872), Decimal(0)),
    )
    assert lo == centre == hi  # exact counts: no widening
    lo, _, hi = span(
        lambda a, b: a / b * 100,
        Printed(Decimal("6.9"), Decimal("0.05")),
        Printed(Decimal(100), Decimal(0)),
    )
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


def test_a_planted_transposition_is_caught() -> None:
    parent = _fact(id="p", text="349.090 con", unit="con", scale=1, breakdown="full")
    kids = [
        _fact(id=f"k{i}", text=t, unit="con", scale=1, parent="p", start=10 + i)
        for i, t in enumerate(["92.400 con", "25.490 con", "231.020 con"])
    ]  # 200 -> 020
    [f] = validate([parent, *kids])
    assert f.rule == "parts_sum" and f.status == "fail" and f.actual == 348910


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

    by_code = {}
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
        decimals = max(-value.as_tuple().exponent, 0)
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

    from .conftest import SAMPLES

    outcomes, base_fails = mutate_sample(SAMPLES / "lai-chau-2024-02.txt", limit=4)
    assert outcomes and not [o for o in outcomes if o.result == "missed"]
    assert sum(o.result == "caught" for o in outcomes) >= len(outcomes) // 2
    assert {f.facts[0].text for f in base_fails} == {"09 vụ", "550 lao động"}
