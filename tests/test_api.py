"""The library API: `import extractor` gives every stage, and the deterministic part
works where the openai SDK and instructor are not installed at all."""

from __future__ import annotations

import inspect
import subprocess
import sys
import types

import extractor

from .helpers import SAMPLES, subprocess_env


def test_all_is_complete_and_every_name_exists() -> None:
    public = {
        name
        for name, value in vars(extractor).items()
        if not name.startswith("_")
        and not isinstance(value, types.ModuleType)
        and getattr(value, "__module__", "extractor").startswith("extractor")
        and name not in {"annotations", "Path"}
    }
    assert public - set(extractor.__all__) == set(), "public but not in __all__"
    assert [n for n in extractor.__all__ if not hasattr(extractor, n)] == []
    assert inspect.signature(extractor.extract).parameters["backend"].default is None


BLOCKED = """
import asyncio, sys, tempfile
from pathlib import Path
for name in ("openai", "instructor", "httpx2", "tenacity"):
    sys.modules[name] = None  # "not installed": any import of it raises ImportError
import extractor
from extractor import *  # noqa: F403
report = Path(sys.argv[1])
run = extractor.extract(report)
findings = extractor.validate(run.relations, run.gaps)
with tempfile.TemporaryDirectory() as tmp:
    result = asyncio.run(
        extractor.run_batch([report], Path(tmp) / "run", extractor.RulesBackend(),
                            extractor.BatchOptions(analysis_processes=0))
    )
with extractor.open_backend(extractor.BackendOptions(kind="rules")) as backend:
    assert backend.name == "rules"
print(len(run.facts), len(findings), result.facts)
"""


def test_the_core_works_without_the_llm_libraries() -> None:
    done = subprocess.run(
        [sys.executable, "-c", BLOCKED, str(SAMPLES / "lai-chau-2024-02.txt")],
        env=subprocess_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    facts, findings, batch_facts = map(int, done.stdout.split())
    assert facts > 100 and findings > 5 and batch_facts == facts
