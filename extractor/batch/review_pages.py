"""A run's checked results and its review pages, from the run store.

:func:`check_run` gives what a run's outputs are made of (facts, relations with the model's
links, findings); :func:`write_review` draws the pages: ``index.html`` and one page per
report under ``reports/``. A batch writes them when it finishes, and ``extractor review
RUN_DIR`` draws them again (in another language, or into another folder) from the store
alone.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import ConfigError
from ..extraction.links import model_links
from ..records import Fact
from ..relations import Relation, attach_facts
from ..review import DocumentRow, ReportView, write_run_pages
from ..validation import Finding, validate
from ..writers import RUN_STORE
from .store import RunStore

STORE_NAME = RUN_STORE


def check_run(
    store: RunStore, facts: list[Fact] | None = None
) -> tuple[list[Fact], list[Relation], list[Finding]]:
    """The run's facts (read from the store unless given), the relations its reports
    state (and the hybrid model's parent links), and every check."""
    facts = store.facts() if facts is None else facts
    relations = attach_facts(store.relations(), (f.id for f in facts))
    linked, disputed = model_links(facts, relations)
    relations += linked
    findings = validate(relations, [*store.gaps(), *disputed], facts=facts)
    return facts, relations, findings


def write_review(
    store: RunStore,
    folder: Path,
    facts: list[Fact],
    relations: list[Relation],
    findings: list[Finding],
    run_name: str,
    lang: str = "vi",
) -> list[Path]:
    documents = [
        DocumentRow(str(n), str(sha), p, per, str(st), int(ch or 0), err, cost)
        for n, sha, p, per, st, err, ch, cost in store.document_rows()
    ]
    return write_run_pages(
        folder,
        (ReportView.loads(v) for v in store.views()),
        documents,
        facts,
        relations,
        findings,
        store.skipped(),
        run_name,
        lang,
    )


def review_run(run_dir: Path, folder: Path | None = None, lang: str = "vi") -> list[Path]:
    """The review pages of a finished (or stopped) run, drawn again from its store."""
    path = run_dir / STORE_NAME
    if not path.is_file():
        raise ConfigError(
            f"{str(run_dir)!r} is not a batch run folder (no {STORE_NAME}): give the folder "
            "passed to extractor batch -o, or a facts .jsonl file with --report"
        )
    store = RunStore(path)
    try:
        facts, relations, findings = check_run(store)
        return write_review(
            store, folder or run_dir, facts, relations, findings, run_dir.resolve().name, lang
        )
    finally:
        store.close()
