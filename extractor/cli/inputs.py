"""What ``extractor validate`` reads: relations and facts, from files or run folders."""

from __future__ import annotations

import json
from pathlib import Path

from ..errors import ConfigError
from ..extraction.facts import Fact, read_facts
from ..relations import Relation, read_relations


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
