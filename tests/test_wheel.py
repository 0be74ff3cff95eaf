"""An installed wheel, not the source tree, finds its prompts, schemas, catalog, price
table and tokenizer file. Builds the wheel, installs it into a fresh venv and runs
`extractor extract` from a directory outside the repository."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from .helpers import ROOT, SAMPLES, subprocess_env


@pytest.mark.slow
def test_installed_wheel_runs_extract(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    # from a copy of the tree: setuptools would reuse a stale build/ left in the checkout
    source = tmp_path / "source"
    shutil.copytree(
        ROOT,
        source,
        ignore=shutil.ignore_patterns(
            ".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", ".*_cache"
        ),
    )
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(source)],
        check=True,
    )
    wheel = next(dist.glob("vn_report_extractor-*.whl"))
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
    # every subpackage ships; the test helpers (cassettes need vcrpy, a test extra) do not
    for package in ("batch", "cli", "extraction", "providers", "relations", "review", "validation"):
        assert f"extractor/{package}/__init__.py" in names, package
    for template in ("report.html.j2", "run.html.j2", "review.css", "review.js"):
        assert f"extractor/review/templates/{template}" in names, template
    assert not [n for n in names if n.endswith(("cassettes.py", "evaluation.py"))]
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = venv / "bin" / "pip"
    subprocess.run([str(pip), "install", "-q", str(wheel)], check=True)
    work = tmp_path / "elsewhere"
    work.mkdir()
    env = subprocess_env(pythonpath=None)  # the installed command, not this checkout
    result = subprocess.run(
        [
            str(venv / "bin" / "extractor"),
            "extract",
            str(SAMPLES / "lai-chau-2024-02.txt"),
            "-o",
            "facts.jsonl",
            "--html",
            "review.html",
        ],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "rules backend" in result.stdout
    facts = [json.loads(x) for x in (work / "facts.jsonl").read_text("utf-8").splitlines()]
    assert len(facts) > 100
    assert 'id="findings"' in (work / "review.html").read_text("utf-8")  # templates found
    check = subprocess.run(
        [
            str(venv / "bin" / "python"),
            "-c",
            "import extractor, extractor.extraction.prompting as p, extractor.tokens as t;"
            "print(extractor.__file__); p.load_prompts(); print(t.count_tokens('Lai Châu'))",
        ],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert str(venv) in check.stdout  # imported from the install, not the source tree
