"""Review pages as HTML (the browser tests are in test_review_browser.py)."""

import json
import re

from extractor.document import analyse_source
from extractor.extraction.pipeline import ExtractionRun, extract_document
from extractor.extraction.rules_backend import RulesBackend
from extractor.loading import Source
from extractor.review import ReportView, report_page
from extractor.review.report_page import _json_for_html
from extractor.review.run_page import page_name, sparkline
from extractor.validation import validate

TEXT = (
    "1. Nông nghiệp\n"
    "Tổng đàn gia súc </script><script>alert(1)</script> ước đạt 349.090 con; trong đó "
    "đàn trâu 92.400 con, đàn bò 61.300 con, đàn lợn 200.000 con.\n"
)


def page(text: str = TEXT, name: str = "r.txt") -> tuple[str, ExtractionRun]:
    doc = analyse_source(Source(name, "txt", text, None))
    run = extract_document(doc, RulesBackend())
    findings = validate(run.relations, run.gaps)
    return report_page(ReportView.of(doc), run.facts, run.relations, findings), run


def test_report_text_cannot_close_or_open_a_script() -> None:
    html, _ = page()
    assert html.count("<script") == 2  # the data block and the page's script
    assert "&lt;/script&gt;&lt;script&gt;alert(1)" in html
    data = re.search(r'<script type="application/json" id="data">(.*?)</script>', html, re.S)
    assert data is not None and "<" not in data.group(1)


def test_json_for_html_escapes_what_ends_a_script() -> None:
    raw = {"a": "</script><!-- & \u2028"}
    text = str(_json_for_html(raw))
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == raw


def test_every_fact_is_marked_once_in_text_order() -> None:
    html, run = page()
    marks = re.findall(r'<mark class="m p-([a-z_]+)" id="m(\d+)"[^>]*>([^<]*)</mark>', html)
    texts = [t for period, _, t in marks if period != "number"]
    assert texts == [f.text for f in run.facts]
    assert [int(k) for _, k, _ in marks] == list(range(len(marks)))


def test_a_check_failing_is_listed_first_with_its_numbers() -> None:
    html, run = page()
    data = json.loads(
        re.search(r'id="data">(.*?)</script>', html, re.S).group(1)  # type: ignore[union-attr]
    )
    first = data["findings"][0]
    assert first["status"] == "fail"  # the parts, 353.400, exceed the total
    text = run.doc.text  # offsets are into the cleaned text
    shown = sorted(text[s:e] for s, e, _ in (data["marks"][m] for m in first["m"]))
    assert shown == sorted(["349.090 con", "92.400 con", "61.300 con", "200.000 con"])


def test_report_view_round_trips() -> None:
    doc = analyse_source(Source("r.txt", "txt", TEXT, None))
    view = ReportView.of(doc)
    assert ReportView.loads(view.dumps()) == view


def test_sparkline_draws_two_or_more_values_with_gaps() -> None:
    assert str(sparkline([1.0])) == ""
    svg = str(sparkline([1.0, None, 3.0, 2.0]))
    assert svg.startswith("<svg") and svg.count("<circle") == 3
    assert re.search(r'd="M[\d.]+,[\d.]+ M[\d.]+,[\d.]+ L', svg)


def test_page_names_are_safe_and_distinct() -> None:
    a = page_name('x"><img src=x>/../../etc.txt', "ab" * 32)
    b = page_name('x"><img src=x>/../../etc.txt', "cd" * 32)
    assert a != b and re.fullmatch(r"[a-z0-9-]+\.html", a)


def test_review_command_draws_the_page_of_a_facts_file(tmp_path) -> None:
    from .helpers import SAMPLES, run_cli

    report = tmp_path / "lai-chau-2024-02.txt"
    report.write_bytes((SAMPLES / report.name).read_bytes())
    facts = tmp_path / "facts.jsonl"
    direct = tmp_path / "direct.html"
    code, out, _ = run_cli("extract", str(report), "-o", str(facts), "--html", str(direct))
    assert code == 0, out
    code, out, _ = run_cli("review", str(facts))  # the report found beside the facts
    assert code == 0, out
    assert (tmp_path / "facts.html").read_text("utf-8") == direct.read_text("utf-8")
    changed = tmp_path / "other.txt"
    changed.write_text(report.read_text("utf-8").replace("349.090", "349.091"), "utf-8")
    code, _, err = run_cli("review", str(facts), "--report", str(changed))
    assert code == 1 and "not the report these facts were extracted from" in err
    code, _, err = run_cli("review", str(facts), "-o", str(tmp_path / "page.txt"))
    assert code == 2 and ".html" in err


def test_numbers_are_written_the_way_the_page_language_writes_them() -> None:
    from decimal import Decimal

    from extractor.review.labels import display_number

    assert display_number(Decimal("3127371000000"), "vi") == "3.127.371.000.000"
    assert display_number(Decimal("1234567.50"), "vi") == "1.234.567,5"
    assert display_number(Decimal("1234567.50"), "en") == "1,234,567.5"
    assert display_number(Decimal("0.2032"), "vi") == "0,2032"


def test_review_command_draws_a_run_again_from_its_store(tmp_path) -> None:
    import asyncio
    from pathlib import Path

    from extractor.batch import BatchOptions, run_batch

    from .helpers import SAMPLES, run_cli

    run_dir = tmp_path / "run"
    samples: list[str | Path] = [SAMPLES / "lai-chau-2021-01.txt", SAMPLES / "lai-chau-2024-02.txt"]
    asyncio.run(run_batch(samples, run_dir, RulesBackend(), BatchOptions()))
    first = (run_dir / "index.html").read_text("utf-8")
    assert len(list((run_dir / "reports").glob("*.html"))) == 2
    out = tmp_path / "pages"
    code, stdout, _ = run_cli("review", str(run_dir), "-o", str(out), "--lang", "en")
    assert code == 0, stdout
    again = (out / "index.html").read_text("utf-8")
    assert '<html lang="en">' in again and '<html lang="vi">' in first
    assert sorted(p.name for p in (out / "reports").glob("*.html")) == sorted(
        p.name for p in (run_dir / "reports").glob("*.html")
    )
    code, _, err = run_cli("review", str(tmp_path))
    assert code == 1 and "not a batch run folder" in err
