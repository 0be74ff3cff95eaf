# One command per job; each sets up .venv on first use.
#   make demo    the main job on a sample report, no API key needed
#   make test    lint, types, import contracts and the test suite (what CI runs)
#   make bench   the benchmark scripts (numbers go to BENCHMARKS.md)

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
SAMPLE ?= samples/lai-chau-2024-02.txt

.PHONY: demo test lint bench clean

# setuptools notes every editable install ("be careful with folders ... with the same
# name as your package"): the one warning left, and not about this project, so silenced
$(BIN)/extractor: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	PYTHONWARNINGS=ignore::UserWarning $(BIN)/pip install --quiet -e '.[dev]'
	touch $@

demo: $(BIN)/extractor
	$(BIN)/extractor extract $(SAMPLE) -o facts.jsonl --relations relations.jsonl --findings findings.jsonl --html review.html
	@echo "open review.html in a browser; the facts are in facts.jsonl (or -o facts.csv);"
	@echo "every command: .venv/bin/extractor --help (or . .venv/bin/activate first)"

lint: $(BIN)/extractor
	$(BIN)/ruff check extractor tests benchmarks tools
	$(BIN)/ruff format --check extractor tests benchmarks tools
	$(BIN)/mypy
	$(BIN)/mypy tests
	$(BIN)/lint-imports

test: lint
	$(BIN)/pytest

bench: $(BIN)/extractor
	$(BIN)/python benchmarks/bench_core.py
	$(BIN)/python benchmarks/token_ratio.py
	$(BIN)/python benchmarks/evaluate.py
	$(BIN)/python benchmarks/relations.py
	$(BIN)/python benchmarks/mutation.py
	$(BIN)/python benchmarks/bench_validation.py
	$(BIN)/python benchmarks/bench_client.py
	$(BIN)/python benchmarks/bench_batch.py
	$(BIN)/python benchmarks/review_page.py

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache
