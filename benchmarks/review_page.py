"""Size of the largest sample's review page, and how soon it is interactive in headless
Chromium (loaded from file://).

    python benchmarks/review_page.py [REPORT] [--runs 5]

Interactive: the page's script has parsed the data and bound its handlers (it sets
``body[data-ready]`` to ``performance.now()`` then, milliseconds since navigation
start). Targets (issue 14): under 2 MB, interactive in under 1 s.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extractor import analyse  # noqa: E402
from extractor.extraction.pipeline import extract_document  # noqa: E402
from extractor.extraction.rules_backend import RulesBackend  # noqa: E402
from extractor.review import ReportView, report_page  # noqa: E402
from extractor.validation import validate  # noqa: E402
from tests.browser import browser, open_page, why_no_browser  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("report", nargs="?", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    path = args.report or max((ROOT / "samples").glob("*.txt"), key=lambda p: p.stat().st_size)
    doc = analyse(path)
    run = extract_document(doc, RulesBackend())
    findings = validate(run.relations, run.gaps)
    t0 = time.perf_counter()
    html = report_page(ReportView.of(doc), run.facts, run.relations, findings)
    render = time.perf_counter() - t0
    size = len(html.encode("utf-8"))
    print(
        f"{path.name}: {len(run.facts):,} facts, {len(findings):,} findings; page "
        f"{size / 1e6:.2f} MB, rendered in {render * 1000:.0f} ms"
    )
    reason = why_no_browser()
    if reason:
        print(f"no browser measurement: {reason}")
        return
    with tempfile.TemporaryDirectory() as tmp:
        page_path = Path(tmp) / "page.html"
        page_path.write_text(html, encoding="utf-8")
        ready: list[float] = []
        with browser() as b:
            for _ in range(args.runs):
                with open_page(b, page_path) as visit:
                    visit.page.wait_for_selector("body[data-ready]")
                    ready.append(float(visit.page.get_attribute("body", "data-ready")))
    print(
        f"interactive after {statistics.median(ready):.0f} ms (median of {len(ready)}; "
        f"min {min(ready):.0f}, max {max(ready):.0f}); targets: < 2 MB, < 1000 ms"
    )


if __name__ == "__main__":
    main()
