"""A model's parent links enter the relations with origin llm; the text's structure wins."""

import pytest

from extractor.extraction.facts import build_facts
from extractor.extraction.links import RULE, model_links
from extractor.extraction.revision import ChunkRevision, apply_revision
from extractor.relations import find_relations
from extractor.validation import validate

from .helpers import draft_passage

# a breakdown the text states (trong đó), and herds the text lists without one
TEXT = (
    "Tổng đàn gia súc chính ước đạt 349.090 con, trong đó đàn trâu 92.400 con, "
    "đàn bò 61.300 con. Đàn lợn ước đạt 150.000 con; đàn dê 12.500 con; đàn ngựa 1.100 con; "
    "đàn gia cầm 1.200.000 con. Tỷ lệ hộ nghèo còn 20,5%, hộ cận nghèo 8,1%."
)


@pytest.fixture(scope="module")
def passage():
    doc, chunk, draft, _, catalog = draft_passage(TEXT)
    ids = {doc.quantity[i.value_id].text: i.value_id for i in draft.indicators}
    return doc, chunk, catalog, draft, ids


def linked(passage, links):
    """Facts as the hybrid backend makes them when the model answers ``links``."""
    doc, chunk, catalog, draft, ids = passage
    changes = [{"id": ids[part], "parent": ids[total]} for part, total in links]
    quantities = {q: doc.quantity[q] for q in chunk.quantity_ids}
    merged, changed = apply_revision(
        draft, ChunkRevision.model_validate({"changes": changes}), quantities, catalog
    )
    provenance: dict[str, tuple[str | None, tuple[str, ...]]] = {
        q: ("refined", fields) for q, fields in changed.items()
    }
    pairs = [(chunk.id, ind) for ind in merged.indicators]
    facts = build_facts(doc, pairs, catalog, "hybrid", "m", provenance)
    found = find_relations(doc, (f.id for f in facts))
    return facts, found.relations, model_links(facts, found.relations)


def test_a_link_the_structure_states_adds_nothing(passage) -> None:
    _, structure, (relations, gaps) = linked(passage, [("92.400 con", "349.090 con")])
    assert any(r.kind == "sum" for r in structure)  # "trong đó" was read from the text
    assert relations == [] and gaps == []


def test_a_link_the_structure_contradicts_is_reported_and_structure_is_checked(passage) -> None:
    _, structure, (relations, gaps) = linked(passage, [("150.000 con", "349.090 con")])
    assert relations == []
    [gap] = gaps
    assert gap.rule == RULE
    assert "the model links" in gap.reason and "the text lists" in gap.reason
    assert {o.text for o in gap.operands} == {"349.090 con", "150.000 con"}
    findings = validate([*structure, *relations], gaps)
    skipped = [f for f in findings if f.rule == RULE]
    assert [f.status for f in skipped] == ["skipped"]
    assert any(f.rule == "parts_sum" and f.status == "pass" for f in findings)


def test_a_link_the_structure_does_not_state_becomes_a_partial_llm_relation(passage) -> None:
    links = [("12.500 con", "150.000 con"), ("1.100 con", "150.000 con")]
    _, _, (relations, gaps) = linked(passage, links)
    assert gaps == []
    [relation] = relations
    assert relation.origin == "llm" and relation.kind == "sum" and relation.complete is False
    assert relation.one("total").text == "150.000 con"
    assert sorted(o.text for o in relation.role("part")) == ["1.100 con", "12.500 con"]
    assert all(o.fact for o in relation.operands)
    [finding] = [f for f in validate(relations) if f.relation == relation.id]
    assert finding.status == "pass"  # 13.600 <= 150.000, equality not assumed


def test_a_wrong_model_link_is_a_warning_never_an_error(passage) -> None:
    _, _, (relations, _) = linked(passage, [("1.200.000 con", "150.000 con")])
    [finding] = validate(relations)
    assert finding.status == "fail" and finding.severity == "warning"
    assert "the model proposed" in finding.message_en


def test_percentages_linked_as_parts_are_not_added(passage) -> None:
    _, _, (relations, gaps) = linked(passage, [("8,1%", "20,5%")])
    assert relations == []
    assert [g.reason for g in gaps] == ["the model links percentages as parts: they do not add up"]


def test_links_the_rules_made_are_not_the_models(passage) -> None:
    doc, chunk, catalog, draft, _ = passage
    facts = build_facts(doc, [(chunk.id, i) for i in draft.indicators], catalog, "rules", None)
    assert model_links(facts, find_relations(doc).relations) == ([], [])
