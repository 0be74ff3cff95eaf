"""The review pages in a real headless Chromium, loaded from file://.

Each sample's page is made by the CLI (``extract --html``) next to its JSON Lines
outputs, and the page is checked against them. Screenshots (1280×800) go to
``test-artifacts/`` for a person to look at.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from .browser import browser, open_page, why_no_browser
from .helpers import ROOT, SAMPLE_NAMES, SAMPLES, run_cli

pytestmark = pytest.mark.skipif(why_no_browser() is not None, reason=str(why_no_browser()))
ARTIFACTS = ROOT / "test-artifacts"


@pytest.fixture(scope="module")
def chromium():
    with browser() as b:
        yield b


def jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def make_page(tmp: Path, report: Path, *extra: str) -> dict[str, Path]:
    out = {k: tmp / f"{report.stem}.{k}" for k in ("html", "facts", "findings")}
    code, stdout, _ = run_cli(
        *("extract", str(report), "--backend", "rules", "--html", str(out["html"])),
        *("-o", str(out["facts"].with_suffix(".facts.jsonl"))),
        *("--findings", str(out["findings"].with_suffix(".findings.jsonl")), *extra),
    )
    assert code == 0, stdout
    return {
        "html": out["html"],
        "facts": out["facts"].with_suffix(".facts.jsonl"),
        "findings": out["findings"].with_suffix(".findings.jsonl"),
    }


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_report_page_matches_its_outputs_and_links_failures_to_the_text(
    tmp_path, chromium, name
) -> None:
    files = make_page(tmp_path, SAMPLES / f"{name}.txt")
    facts, findings = jsonl(files["facts"]), jsonl(files["findings"])
    with open_page(chromium, files["html"]) as visit:
        page = visit.page
        page.wait_for_selector("body[data-ready]")
        # the counts on the page are the outputs'
        assert int(page.text_content("#n-facts")) == len(facts)
        errors = sum(1 for f in findings if f["severity"] == "error")
        warnings = sum(1 for f in findings if f["severity"] == "warning")
        assert int(page.text_content("#n-errors")) == errors
        assert int(page.text_content("#n-warnings")) == warnings
        assert page.locator("#findings li").count() == len(findings)
        assert int(page.text_content("#n-skipped")) == sum(
            1 for f in findings if f["status"] == "skipped"
        )
        marks = page.eval_on_selector_all(
            "mark[data-m]",
            "els => els.map(e => [e.textContent, e.className])",
        )
        fact_marks = [t for t, cls in marks if "p-number" not in cls]
        assert sorted(fact_marks) == sorted(f["text"] for f in facts)
        # errors first; clicking a failure highlights exactly its numbers
        failed = [f for f in findings if f["status"] == "fail"]
        if failed:
            first = page.locator("#findings li").first
            assert first.get_attribute("data-status") == "fail"
            assert first.get_attribute("data-kind") == failed[0]["severity"]
            first.locator("button").click()
            lit = page.eval_on_selector_all("mark.hl", "els => els.map(e => e.textContent)")
            expected = [r["text"] for r in failed[0]["facts"]]
            assert sorted(lit) == sorted(expected)
            assert page.evaluate("document.activeElement.classList.contains('hl')")
        # a value's details on focus, keyboard only
        page.focus("mark[data-m]")
        assert page.is_visible("#tip")
        assert page.text_content("#tip dd")
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"review-{name}.png"))
    assert visit.errors == []
    assert visit.requests == []  # no network, not even a favicon


def test_filters_and_search(tmp_path, chromium) -> None:
    files = make_page(tmp_path, SAMPLES / "lai-chau-2024-02.txt")
    findings = jsonl(files["findings"])
    with open_page(chromium, files["html"]) as visit:
        page = visit.page
        page.wait_for_selector("body[data-ready]")
        page.uncheck(".status-filter[value=pass]")
        page.uncheck(".status-filter[value=skipped]")
        shown = page.locator("#findings li:not([hidden])").count()
        assert shown == sum(1 for f in findings if f["status"] == "fail")
        rule = findings[0]["rule"]
        page.check(".status-filter[value=pass]")
        page.check(".status-filter[value=skipped]")
        page.select_option("#rule-filter", rule)
        shown = page.locator("#findings li:not([hidden])").count()
        assert shown == sum(1 for f in findings if f["rule"] == rule)
        # relations drawn on demand: the herd total and its three parts (footnote 1)
        total = page.locator("mark[data-m]", has_text="349.090 con")
        total.focus()
        assert page.locator("#links line").count() == 0  # not asked for
        assert page.locator("mark.rel").count() == 3
        page.check("#draw-relations")
        total.focus()
        assert page.locator("#links line").count() == 3
        page.fill("#search", "đàn trâu")
        found = page.eval_on_selector_all("mark.found", "els => els.map(e => e.textContent)")
        assert found == ["92.400 con"]
        assert page.text_content("#search-count").startswith("1 ")
    assert visit.errors == []


INJECTION = """BÁO CÁO Tình hình kinh tế - xã hội tháng 02 năm 2024 <script>alert('text')</script>
I. KINH TẾ
1. Nông nghiệp
Tổng đàn gia súc "><img src=x onerror=alert('img')> ước đạt 349.090 con, tăng 4,2%;
trong đó đàn trâu <a href="javascript:alert('link')">bấm</a> 92.400 con, đàn bò 61.300 con.
Xem [chi tiết](javascript:alert('md')) và <iframe src="https://example.com"></iframe>.
Doanh thu <svg onload=alert('svg')> ước đạt 1.245 tỷ đồng.
"""


def test_untrusted_report_text_and_file_names_stay_text(tmp_path, chromium) -> None:
    report = tmp_path / "bad\"><img src=x onerror=alert('name')>.txt"
    report.write_text(INJECTION, encoding="utf-8")
    files = make_page(tmp_path, report, "--province", "<b onmouseover=alert('meta')>X</b>")
    with open_page(chromium, files["html"]) as visit:
        page = visit.page
        page.wait_for_selector("body[data-ready]")
        for mark in page.locator("mark[data-m]").all():
            mark.hover()
            mark.focus()
        page.locator("#findings button").first.click()
        assert page.locator("img, iframe, a[href^='javascript'], svg:not(#links), b").count() == 0
        assert page.locator("script").count() == 2  # the data block and the page's own
        text = page.text_content("#text")
        assert "<script>alert('text')</script>" in page.text_content("header") + text
        assert "\"><img src=x onerror=alert('img')>" in text
        assert "<a href=\"javascript:alert('link')\">" in text
        assert "alert('name')" in page.text_content("h1")
        assert page.title().startswith("Báo cáo: bad")
    assert visit.dialogs == []
    assert visit.requests == []
    assert visit.errors == []


def test_run_page_links_reports_and_charts_indicators(tmp_path, chromium) -> None:
    reports = tmp_path / "reports"
    reports.mkdir()
    for name in ("lai-chau-2021-01", "lai-chau-2024-02", "lao-cai-2024-02"):
        (reports / f"{name}.txt").write_bytes((SAMPLES / f"{name}.txt").read_bytes())
    run_dir = tmp_path / "run"
    cmd = [sys.executable, "-m", "extractor.cli", "batch", str(reports), "-o", str(run_dir)]
    done = subprocess.run(
        [*cmd, "--backend", "rules", "--quiet", "--lang", "en"],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    facts = jsonl(run_dir / "facts.jsonl")
    with open_page(chromium, run_dir / "index.html") as visit:
        page = visit.page
        assert page.locator("#documents tbody tr").count() == 3
        assert int(page.text_content("#n-facts")) == len(facts)
        findings = jsonl(run_dir / "findings.jsonl")
        failed_2024 = sum(
            1
            for f in findings
            if f["status"] == "fail" and f["doc"].endswith("lai-chau-2024-02.txt")
        )
        row = page.locator("#documents tbody tr >> nth=1").locator("td")
        assert int(row.nth(5).text_content()) == sum(
            1 for f in facts if f["doc"].endswith("lai-chau-2024-02.txt")
        )
        assert int(row.nth(6).text_content()) == failed_2024 > 0
        assert page.locator("svg.spark").count() >= 1  # Lai Châu over two periods
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "review-run.png"))
        # a check across reports (Lai Châu's poultry flock, 2021 against 2024) opens the
        # report page with its values outlined
        across = page.locator("#across a").first
        target = across.get_attribute("href")
        assert "#facts=" in target
        across.click()
        page.wait_for_selector("body[data-ready]")
        lit = page.eval_on_selector_all("mark.hl", "els => els.map(e => e.textContent)")
        assert lit, target
        page.go_back()
        page.click("#documents a >> nth=1")
        page.wait_for_selector("body[data-ready]")
        assert page.text_content("h1") == "lai-chau-2024-02.txt"
        assert page.locator("html").get_attribute("lang") == "en"
    assert visit.errors == []
    assert visit.requests == [] or all(u.startswith("file://") for u in visit.requests)
