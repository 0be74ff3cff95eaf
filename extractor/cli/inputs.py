"""What ``extractor validate`` reads: relations and facts, from files or run folders."""

from __future__ import annotations

import json
from pathlib import Path

from ..document import analyse
from ..errors import ConfigError
from ..metadata import ReportMeta
from ..records import Fact, read_facts
from ..relations import Gap, Relation, find_relations, read_relations


def read_checked(paths: list[Path]) -> tuple[list[Relation], list[Fact]]:
    """The relations and facts in ``paths``: ``relations.jsonl`` and facts ``.jsonl``
    files (told apart by their records), or run folders holding both."""
    relation_files: list[Path] = []
    fact_files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = [path / "relations.jsonl", path / "facts.jsonl"]
            if not any(p.exists() for p in found):
                raise ConfigError(
                    f"{str(path)!r} holds no relations.jsonl or facts.jsonl: give a batch "
                    "run folder or the files written by extractor extract"
                )
            relation_files += [found[0]] if found[0].exists() else []
            fact_files += [found[1]] if found[1].exists() else []
        elif _holds_relations(path):
            relation_files.append(path)
        else:
            fact_files.append(path)
    return read_relations(relation_files), read_facts(fact_files)


def _holds_relations(path: Path) -> bool:
    """Whether a JSON Lines file's first record is a relation (it has operands)."""
    try:
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    record = json.loads(line)
                    return isinstance(record, dict) and "operands" in record
    except OSError as exc:
        raise ConfigError(f"cannot read {str(path)!r}: {exc.strerror}") from exc
    except ValueError as exc:
        raise ConfigError(
            f"{str(path)!r} is not JSON Lines: give relations.jsonl or facts .jsonl files "
            "written by extractor"
        ) from exc
    return False


def relations_of_reports(facts: list[Fact], beside: Path) -> tuple[list[Relation], list[Gap]]:
    """The relations the reports of ``facts`` state, found again from the reports
    themselves (each found as :func:`find_report` does and checked to be the very file
    the facts came from): what ``validate`` checks when it is given facts alone."""
    relations: list[Relation] = []
    gaps: list[Gap] = []
    reports: dict[tuple[str, str], Fact] = {}
    for f in facts:
        reports.setdefault((f.doc, f.doc_sha256), f)
    for (name, sha), fact in reports.items():
        path = find_report(
            name,
            beside,
            "pass the relations.jsonl written with it (extract "
            "--relations) or run in the report's folder",
        )
        doc = analyse(path, ReportMeta(province=fact.province))
        if sha and doc.sha256 != sha:
            raise ConfigError(
                f"{str(path)!r} is not the report the facts were extracted from (its content "
                "differs): pass the relations.jsonl written with the facts"
            )
        found = find_relations(doc, (f.id for f in facts if f.doc_sha256 == sha))
        relations += found.relations
        gaps += found.gaps
    return relations, gaps


def find_report(name: str, beside: Path, otherwise: str) -> Path:
    """The report a facts file names: as named, or beside the facts file."""
    folder = beside.parent if beside.is_file() else beside
    for candidate in (Path(name), folder / name, folder / Path(name).name):
        if candidate.is_file():
            return candidate
    raise ConfigError(
        f"cannot find the report {name!r} the facts name (looked in the current folder and "
        f"beside {str(beside)!r}): {otherwise}"
    )
