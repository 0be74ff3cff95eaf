"""Review pages: a report's numbers and checks in a browser, and a run at a glance.

    html = report_page(ReportView.of(doc), facts, relations, findings, lang="vi")
    html = run_page(documents, facts, findings, skipped, "run-name")

Each page is one self-contained HTML file (inline CSS and script, no network, works from
``file://``). Templates are package data rendered with Jinja2, autoescape on.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from ..document import Document
from ..extraction.links import model_links
from ..records import Fact
from ..relations import find_relations
from ..relations.relation_records import Relation
from ..validation import validate
from ..validation.findings import Finding
from ..writers import atomic_write
from .labels import LANGS, labels
from .report_page import _json_for_html, finding_reports, report_context
from .run_page import DocumentRow, page_name, run_context
from .view import ReportView, id_prefix

__all__ = [
    "LANGS",
    "DocumentRow",
    "ReportView",
    "facts_page",
    "page_name",
    "report_page",
    "run_page",
    "write_page",
    "write_run_pages",
]


@cache
def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("extractor.review", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=False,
        keep_trailing_newline=True,
    )


def report_page(
    view: ReportView,
    facts: Iterable[Fact],
    relations: Iterable[Relation],
    findings: Iterable[Finding],
    lang: str = "vi",
) -> str:
    """The HTML of one report's review page."""
    return "".join(_report_parts(view, facts, relations, findings, lang))


def _report_parts(
    view: ReportView,
    facts: Iterable[Fact],
    relations: Iterable[Relation],
    findings: Iterable[Finding],
    lang: str,
) -> Iterator[str]:
    """The HTML of one report's review page, in parts (a long report's page is tens of
    MB: written as it is made, not held whole)."""
    context = report_context(view, facts, relations, findings, lang)
    context["labels_json"] = _json_for_html(labels(lang))
    return _environment().get_template("report.html.j2").generate(context)


def facts_page(doc: Document, facts: list[Fact], lang: str = "vi") -> str:
    """The page of facts read back from a file, with the relations and checks of their
    report found again (the same as when they were extracted: both are deterministic)."""
    found = find_relations(doc, (f.id for f in facts))
    linked, disputed = model_links(facts, found.relations)
    relations = [*found.relations, *linked]
    findings = validate(relations, [*found.gaps, *disputed])
    return report_page(ReportView.of(doc), facts, relations, findings, lang)


def run_page(
    documents: list[DocumentRow],
    facts: Iterable[Fact],
    findings: Iterable[Finding],
    skipped: list[tuple[str, str]],
    run_name: str,
    lang: str = "vi",
    pages: set[str] | None = None,
) -> str:
    """The HTML of a batch run's page (links to ``reports/<page_name>`` of the reports
    whose sha256 is in ``pages``, or of all)."""
    context = run_context(documents, facts, findings, skipped, run_name, lang, pages)
    return _environment().get_template("run.html.j2").render(context)


def write_run_pages(
    folder: Path,
    views: Iterable[ReportView],
    documents: list[DocumentRow],
    facts: list[Fact],
    relations: list[Relation],
    findings: list[Finding],
    skipped: list[tuple[str, str]],
    run_name: str,
    lang: str = "vi",
) -> list[Path]:
    """``folder/index.html`` and one page per report under ``folder/reports/``; returns
    the paths written. Views are read one at a time (a run may hold thousands)."""
    facts_of: dict[str, list[Fact]] = defaultdict(list)
    for f in facts:
        facts_of[f.doc_sha256].append(f)
    relations_of: dict[str, list[Relation]] = defaultdict(list)
    for r in relations:
        relations_of[id_prefix(r.id)].append(r)
    # by the reports whose facts they are about, else by the report they name
    findings_of: dict[str, list[Finding]] = defaultdict(list)
    for finding in findings:
        for key in finding_reports(finding) or {finding.doc or ""}:
            findings_of[key].append(finding)
    reports = folder / "reports"
    reports.mkdir(parents=True, exist_ok=True)
    written = []
    shas = set()
    for view in views:
        shas.add(view.sha256)
        mine = findings_of.get(view.prefix, []) + findings_of.get(view.name, [])  # disjoint
        parts = _report_parts(
            view, facts_of.get(view.sha256, []), relations_of.get(view.prefix, []), mine, lang
        )
        path = reports / page_name(view.name, view.sha256)
        with atomic_write(path) as fh:
            fh.writelines(parts)
        written.append(path)
    index = folder / "index.html"
    with atomic_write(index) as fh:
        fh.write(run_page(documents, facts, findings, skipped, run_name, lang, shas))
    return [index, *written]


def write_page(html: str, path: str | Path) -> Path:
    """One page, written whole or not at all."""
    with atomic_write(path) as fh:
        fh.write(html)
    return Path(path)
