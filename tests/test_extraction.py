import csv
import json

import pytest

from extractor.chunking import make_chunks
from extractor.errors import ConfigError
from extractor.extraction.pipeline import extract_document, split_chunk
from extractor.extraction.rules_backend import RulesBackend
from extractor.extraction.usage import CallFailed, PriceTable, Truncated, Usage, load_prices
from extractor.records import FACT_FIELDS, read_facts
from extractor.schema import ChunkExtraction
from extractor.writers import safe_cell, write_csv, write_jsonl
from tests.evaluation import load_gold, score

from .scenarios import GOLD_FILE


@pytest.fixture(scope="module")
def rules_runs(docs):
    return {name: extract_document(doc, RulesBackend()) for name, doc in docs.items()}


def test_rules_backend_extracts_every_sample_without_failures(rules_runs) -> None:
    for name, run in rules_runs.items():
        assert run.failed == [], name
        assert len(run.facts) > 100, name
        assert run.backend == "rules" and run.usage.calls == 0


def test_rules_backend_meets_targets_on_gold(lc2402, rules_runs) -> None:
    gold = load_gold(GOLD_FILE, lc2402)
    assert len(gold.values) == 78
    s = score(gold, rules_runs["lai-chau-2024-02"].facts)
    assert s.recall >= 0.90 and s.period_accuracy >= 0.85
    assert s.precision >= 0.9


def test_fact_contract(rules_runs, lc2402) -> None:
    facts = {f.text: f.record() for f in rules_runs["lai-chau-2024-02"].facts}
    herd = facts["349.090 con"]
    assert list(herd)[: len(FACT_FIELDS)] == list(FACT_FIELDS)
    assert (herd["value"], herd["unit"], herd["scale"], herd["code"], herd["period"]) == (
        349090,
        "con",
        1,
        "livestock_herd",
        "as_of",
    )
    assert herd["comparisons"] == [
        {
            "kind": "increase",
            "basis": "same_period",
            "value": 4.2,
            "unit": "%",
            "text": "4,2%",
            "start": herd["comparisons"][0]["start"],
            "end": herd["comparisons"][0]["end"],
        }
    ]
    assert lc2402.text[herd["start"] : herd["end"]] == "349.090 con"
    assert (herd["province"], herd["report_period"], herd["aggregation"]) == (
        "Lai Châu",
        "2024-02",
        "stock",
    )
    buffalo = facts["92.400 con"]
    assert buffalo["parent"] == herd["id"] and buffalo["footnote"] == 1


def test_jsonl_and_csv_outputs(tmp_path, rules_runs) -> None:
    facts = rules_runs["lao-cai-2024-02"].facts
    records = [f.record() for f in facts]
    assert write_jsonl(records, tmp_path / "f.jsonl") == len(records)
    back = [json.loads(x) for x in (tmp_path / "f.jsonl").read_text("utf-8").splitlines()]
    assert back == records
    assert [f.record() for f in read_facts([tmp_path / "f.jsonl"])] == records  # reads back
    assert write_csv(facts, tmp_path / "f.csv") == len(records)
    with (tmp_path / "f.csv").open(encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == len(records)
    with_comp = next(r for r in rows if r["comparison1_kind"])
    assert with_comp["comparison1_text"]


def test_csv_cells_that_look_like_formulas_are_escaped() -> None:
    assert safe_cell('=HYPERLINK("x")') == '\'=HYPERLINK("x")'
    assert safe_cell("-5") == "'-5" and safe_cell("+x") == "'+x" and safe_cell("@a") == "'@a"
    assert safe_cell("Đàn trâu") == "Đàn trâu" and safe_cell(-5) == -5


class TruncatingBackend:
    """Test double: truncates any chunk with more than 6 quantities, else rules."""

    name = "double"
    model: str | None = None
    budget = 1200
    prices: PriceTable | None = None

    def __init__(self) -> None:
        self.rules = RulesBackend()
        self.calls = 0

    def extract(self, doc, chunk):
        self.calls += 1
        if len(chunk.quantity_ids) > 6:
            raise Truncated("hit the token cap", Usage(calls=1, input_tokens=10))
        return self.rules.extract(doc, chunk)

    def prompt_tokens(self, doc, chunk):
        return 0

    def close(self):
        pass


def test_truncated_chunk_is_split_and_retried(lc2402) -> None:
    """A chunk whose answer is truncated is not asked again as is: its two halves are
    asked, and their answers together are the chunk's, with every value in it."""

    class TruncatedWhole(TruncatingBackend):
        """Truncates the chunk as first asked (the model loops on it); answers a half."""

        def __init__(self) -> None:
            super().__init__()
            self.asked: list[str] = []

        def extract(self, doc, chunk):
            self.asked.append(chunk.id)
            if "." not in chunk.id:
                raise Truncated("hit the token cap", Usage(calls=1, input_tokens=10))
            return self.rules.extract(doc, chunk)

    chunks = make_chunks(lc2402, 450)
    chunk = next(c for c in chunks if 7 <= len(c.quantity_ids) <= 20)
    backend = TruncatedWhole()
    run = extract_document(lc2402, backend, chunks=[chunk])
    outcome = run.outcomes[0]
    assert (outcome.status, outcome.reason, outcome.splits) == ("extracted", None, 1)
    assert backend.asked == [chunk.id, f"{chunk.id}.1", f"{chunk.id}.2"]
    whole = extract_document(lc2402, RulesBackend(), chunks=[chunk])
    assert run.facts and [f.quantity_id for f in run.facts] == [f.quantity_id for f in whole.facts]


def test_unsplittable_truncation_fails_visibly(lc2402) -> None:
    class AlwaysTruncated(TruncatingBackend):
        def extract(self, doc, chunk):
            raise Truncated("hit the token cap", Usage(calls=1))

    chunk = make_chunks(lc2402, 450)[3]
    run = extract_document(lc2402, AlwaysTruncated(), chunks=[chunk])
    assert run.outcomes[0].status == "failed" and run.facts == []
    assert run.usage.calls >= 3  # the chunk and its halves were all tried


def test_split_chunk_halves_cover_the_chunk(lc2402) -> None:
    chunk = max(make_chunks(lc2402, 1200), key=lambda c: len(c.quantity_ids))
    halves = split_chunk(lc2402, chunk)
    assert halves is not None
    a, b = halves
    assert sorted(a.quantity_ids + b.quantity_ids) == sorted(chunk.quantity_ids)


def test_failed_chunk_is_counted_and_absent(lc2402) -> None:
    class Failing(TruncatingBackend):
        def extract(self, doc, chunk):
            if chunk.id == "c3":
                raise CallFailed("no valid answer after 3 attempt(s)", Usage(calls=3))
            return self.rules.extract(doc, chunk)

    run = extract_document(lc2402, Failing())
    assert [o.chunk.id for o in run.failed] == ["c3"]
    failed_ids = set(run.failed[0].chunk.quantity_ids)
    assert not any(f.quantity_id in failed_ids for f in run.facts)


def test_max_cost_stops_new_chunks(lc2402) -> None:
    class Paid(TruncatingBackend):
        model: str | None = "gpt-4o-mini"
        prices = load_prices()

        def extract(self, doc, chunk):
            return ChunkExtraction(indicators=[]), Usage(calls=1, cost=0.01)

    run = extract_document(lc2402, Paid(), max_cost=0.025)
    statuses = [o.status for o in run.outcomes if o.chunk.quantity_ids]
    assert statuses[:3] == ["extracted"] * 3 and "not_run" in statuses
    assert run.usage.cost == pytest.approx(0.03)
    assert any("cost cap" in (o.reason or "") for o in run.outcomes)


def test_max_cost_needs_a_price(lc2402) -> None:
    from extractor.backends import LLMBackend
    from extractor.providers.client import LLMClient
    from extractor.providers.settings import LLMSettings

    backend = LLMBackend(LLMClient(LLMSettings(model="mystery-model", base_url="http://x")))
    with pytest.raises(ConfigError, match="no price known"):
        extract_document(lc2402, backend, max_cost=1.0)
