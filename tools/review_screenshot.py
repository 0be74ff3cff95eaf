"""Draw docs/review.png, the README's picture of a report's review page.

    python tools/review_screenshot.py [REPORT]

Extracts the report with the rules backend, opens its page in headless Chromium at
1280×800, clicks the first failed check and saves the screenshot.
"""

from __future__ import annotations

import sys
import tempfile
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
    reason = why_no_browser()
    if reason:
        sys.exit(reason)
    report = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "samples" / "lai-chau-2024-02.txt"
    doc = analyse(report)
    run = extract_document(doc, RulesBackend())
    html = report_page(
        ReportView.of(doc), run.facts, run.relations, validate(run.relations, run.gaps)
    )
    target = ROOT / "docs" / "review.png"
    with tempfile.TemporaryDirectory() as tmp, browser() as b:
        page_path = Path(tmp) / "page.html"
        page_path.write_text(html, encoding="utf-8")
        with open_page(b, page_path) as visit:
            page = visit.page
            page.wait_for_selector("body[data-ready]")
            page.locator("#findings li[data-status=fail] button").first.click()
            page.wait_for_timeout(200)
            page.screenshot(path=str(target))
    print(f"wrote {target}")


if __name__ == "__main__":
    main()
