"""The hybrid backend's answer contract: a model's changes to the rules' draft."""

import json

import pytest
from pydantic import ValidationError

from extractor import InternalError
from extractor.catalog import load_catalog
from extractor.extraction.prompting import (
    draft_table,
    load_refine_prompts,
    parse_refine_prompts,
    refine_chunk_message,
)
from extractor.extraction.revision import (
    ChunkRevision,
    apply_revision,
    narrowed_revision,
    revision_errors,
    revision_schema_path,
    revision_scope,
)
from extractor.tokens import count_tokens

from .helpers import draft_passage

# the herds are printed with no "trong đó", so the rules' draft has no parent for them
TEXT = (
    "Tổng đàn gia súc chính ước đạt 349.090 con, tăng 4,2% so với cùng kỳ năm trước. "
    "Đàn trâu 92.400 con, đàn bò 61.300 con. Tỷ lệ che phủ rừng đạt 52,3%."
)


@pytest.fixture(scope="module")
def drafted():
    return draft_passage(TEXT)


def revise(changes):
    return ChunkRevision.model_validate({"changes": changes})


def test_checked_in_schema_matches_the_model() -> None:
    on_disk = json.loads(revision_schema_path().read_text(encoding="utf-8"))
    on_disk.pop("$comment")
    assert on_disk == ChunkRevision.model_json_schema(), (
        "schema changed: bump REVISION_VERSION and run python -m extractor.extraction.revision"
    )


def test_the_draft_has_every_value_the_rules_found(drafted) -> None:
    _, _, draft, quantities, _ = drafted
    values = [q for q in quantities.values() if q.kind != "percent" or q.comparison is None]
    assert [i.value_id for i in draft.indicators] == [q.id for q in values]
    table = draft_table(draft).splitlines()
    assert table[0] == "id period code"
    assert table[1] == "q1 as_of livestock_herd"
    assert len(table) == len(draft.indicators) + 1


def test_changes_are_merged_and_named_per_value(drafted) -> None:
    _, _, draft, quantities, catalog = drafted
    total, buffalo, cattle, forest = (i.value_id for i in draft.indicators)
    revision = revise(
        [
            {"id": total, "name": "Tổng đàn gia súc chính toàn tỉnh", "period": "ytd"},
            {"id": cattle, "parent": total, "name": "Đàn bò"},
            {"id": forest, "not_value": True, "period": "as_of"},
        ]
    )
    assert revision_errors(revision, draft, catalog) == []
    merged, changed = apply_revision(draft, revision, quantities, catalog)
    by_id = {i.value_id: i for i in merged.indicators}
    assert [i.value_id for i in merged.indicators] == [i.value_id for i in draft.indicators]
    assert by_id[total].name == "Tổng đàn gia súc chính toàn tỉnh"
    assert by_id[total].period == "as_of"  # a herd is a stock: never a year to date
    assert by_id[forest].period == "as_of"  # a rate may be a level; "other" was a default
    assert by_id[cattle].parent_id == total
    assert by_id[buffalo] == draft.indicators[1]  # not mentioned: the draft's, untouched
    assert changed[total] == ("name",)
    assert set(changed[cattle]) == {"name", "parent"}
    assert changed[forest] == ("period", "not_value")  # kept, marked
    assert buffalo not in changed


def test_a_field_equal_to_the_draft_is_no_change(drafted) -> None:
    _, _, draft, quantities, catalog = drafted
    first, second, third = draft.indicators[:3]
    revision = revise(
        [
            {"id": first.value_id, "name": first.name, "period": first.period},
            {"id": second.value_id, "name": "-"},  # the draft's notation for "nothing"
            {"id": third.value_id, "name": " "},
        ]
    )
    assert revision_errors(revision, draft, catalog) == []
    merged, changed = apply_revision(draft, revision, quantities, catalog)
    assert changed == {}
    assert merged.indicators[:3] == draft.indicators[:3]


def test_none_clears_a_code_and_a_parent(drafted) -> None:
    _, _, draft, quantities, catalog = drafted
    total, buffalo = draft.indicators[0].value_id, draft.indicators[1].value_id
    assert draft.indicators[1].code == "buffalo_herd"
    linked, _ = apply_revision(
        draft, revise([{"id": buffalo, "parent": total}]), quantities, catalog
    )
    assert linked.indicators[1].parent_id == total
    revision = revise([{"id": buffalo, "code": "none", "parent": "none"}])
    merged, changed = apply_revision(linked, revision, quantities, catalog)
    assert merged.indicators[1].code is None
    assert merged.indicators[1].parent_id is None
    assert changed == {buffalo: ("code", "parent")}


def test_a_parent_loop_goes_back_to_the_draft(drafted) -> None:
    _, _, draft, quantities, catalog = drafted
    total, buffalo = draft.indicators[0].value_id, draft.indicators[1].value_id
    revision = revise(
        [{"id": total, "parent": buffalo, "name": "Tổng đàn"}, {"id": buffalo, "parent": total}]
    )
    merged, changed = apply_revision(draft, revision, quantities, catalog)
    parents = {i.value_id: i.parent_id for i in merged.indicators}
    assert not (parents[total] == buffalo and parents[buffalo] == total)
    assert "parent" not in changed[total]
    assert changed[total] == ("name",)  # the name still counts; the loop does not


@pytest.mark.parametrize("position", [0, -1])  # a herd in "con", a percentage
def test_a_code_whose_unit_does_not_fit_is_not_taken(drafted, position) -> None:
    _, _, draft, quantities, catalog = drafted
    value = draft.indicators[position]
    money = next(e.code for e in catalog.entries if e.unit_kind == "money")
    revision = revise([{"id": value.value_id, "code": money}])
    merged, changed = apply_revision(draft, revision, quantities, catalog)
    assert merged.indicators[position].code == value.code
    assert value.value_id not in changed
    rate = next(e.code for e in catalog.entries if e.unit_kind == "percent")
    if position == -1:  # a rate code may replace a rate code
        merged, changed = apply_revision(
            draft, revise([{"id": value.value_id, "code": rate}]), quantities, catalog
        )
        assert merged.indicators[position].code == rate


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"id": "q99"}, "'q99' is not a value of the draft"),
        ({"id": "q1", "parent": "q1"}, "q1: parent q1 is the value itself"),
        ({"id": "q1", "parent": "q2"}, "q1: parent 'q2' is not a value of the draft"),
        ({"id": "q1", "code": "gdp_typo"}, "q1: code 'gdp_typo' is not in the catalog"),
    ],
)
def test_errors_name_the_id_and_the_rule(drafted, change, message) -> None:
    _, _, draft, _, catalog = drafted
    errors = revision_errors(revise([change]), draft, catalog)
    assert len(errors) == 1 and errors[0].startswith(message), errors


def test_validation_inside_a_scope_raises_for_the_model(drafted) -> None:
    _, _, draft, _, catalog = drafted
    with revision_scope(draft, catalog), pytest.raises(ValidationError, match="q1 is changed"):
        revise([{"id": "q1", "period": "month"}, {"id": "q1", "name": "Đàn"}])
    revise([{"id": "q99"}])  # outside a scope there is no draft to check against


def test_request_schema_limits_ids_and_codes(drafted) -> None:
    _, _, draft, _, catalog = drafted
    ids = [i.value_id for i in draft.indicators]
    fields = narrowed_revision(draft, catalog).model_json_schema()["$defs"]["Change"]
    fields = fields["properties"]
    assert fields["id"]["enum"] == ids
    assert fields["parent"]["anyOf"][0]["enum"] == [*ids, "none"]
    assert fields["code"]["anyOf"][0]["enum"] == [*catalog.codes(), "none"]


def test_message_carries_the_draft_and_only_relevant_codes(drafted) -> None:
    doc, chunk, draft, _, catalog = drafted
    message, _ = refine_chunk_message(doc, chunk, draft, catalog)
    assert "[q1: 349.090 con], tăng 4,2% so" in message  # a change is not tagged
    assert draft_table(draft) in message
    listed = message.split("Catalog codes:\n")[1].split("\nText:")[0].splitlines()
    assert 0 < len(listed) <= 14
    assert len(listed) < len(catalog.codes())
    assert not any(i.name in message.split("Draft:")[1] for i in draft.indicators if i.name)


def test_shipped_refine_prompt_is_short_and_static_first() -> None:
    prompts = load_refine_prompts()
    assert "{examples}" not in prompts.system and "Answer:\n{" in prompts.system
    assert count_tokens(prompts.system) < 900  # paid on every call


def test_an_example_answer_that_misses_its_draft_is_rejected() -> None:
    examples = (
        "- report: r\n  section: s\n  text: Sản lượng lúa đạt 12.000 tấn.\n"
        "  answer: {changes: [{id: q7, name: Lúa}]}\n"
    )
    with pytest.raises(InternalError, match="does not fit its draft"):
        parse_refine_prompts("{examples}", examples, load_catalog())


def test_a_period_the_text_words_is_not_overruled_a_default_is() -> None:
    text = (
        "Doanh thu vận tải trong tháng ước đạt 45,6 tỷ đồng; lũy kế đạt 98,1 tỷ đồng. "
        "Số hộ được hỗ trợ 120 hộ."
    )
    _, _, draft, quantities, catalog = draft_passage(text)
    month, ytd, households = draft.indicators
    assert (month.period, ytd.period) == ("month", "ytd")
    assert draft._worded_periods == {month.value_id, ytd.value_id}
    revision = revise(
        [
            {"id": month.value_id, "period": "year"},
            {"id": ytd.value_id, "period": "year", "name": "Doanh thu vận tải lũy kế"},
            {"id": households.value_id, "period": "month"},
        ]
    )
    merged, changed = apply_revision(draft, revision, quantities, catalog)
    assert [i.period for i in merged.indicators] == ["month", "ytd", "month"]
    assert changed == {ytd.value_id: ("name",), households.value_id: ("period",)}


def test_names_must_be_worded_by_the_text_and_periods_fit_the_catalog() -> None:
    from extractor.extraction.revision import Grounds

    text = (
        "Doanh thu vận tải ước đạt 45,6 tỷ đồng. Số hộ được hỗ trợ 120 hộ. "
        "Giá trị sản xuất công nghiệp ước đạt 1.245 tỷ đồng. Tổng đàn trâu 92.400 con."
    )
    doc, _, draft, quantities, catalog = draft_passage(text)
    transport, households, industry, buffalo = draft.indicators
    assert not draft._worded_periods  # every period here is a default
    revision = revise(
        [
            {"id": transport.value_id, "name": "Doanh thu vận tải hàng không"},  # "hàng không"?
            {"id": households.value_id, "name": "Hộ được hỗ trợ", "period": "year"},
            {"id": industry.value_id, "name": "Giá trị sản xuất công nghiệp lũy kế"},
            {"id": buffalo.value_id, "period": "month"},  # a herd is a stock
        ]
    )
    grounds = Grounds(doc.text, "monthly")
    merged, changed = apply_revision(draft, revision, quantities, catalog, grounds)
    by_id = {i.value_id: i for i in merged.indicators}
    assert by_id[transport.value_id].name == transport.name  # words the text has not
    assert by_id[households.value_id].name == "Hộ được hỗ trợ"
    assert by_id[households.value_id].period == households.period  # no year in a month
    assert by_id[industry.value_id].name == industry.name  # "lũy kế" only for a ytd
    assert by_id[buffalo.value_id].period == buffalo.period
    assert changed == {households.value_id: ("name",)}
    ytd = revise(
        [{"id": industry.value_id, "name": "Giá trị sản xuất công nghiệp lũy kế", "period": "ytd"}]
    )
    merged, changed = apply_revision(draft, ytd, quantities, catalog, grounds)
    # no word of the sentence says "to date": the model's ytd (and so its name) is refused
    assert (merged.indicators[2].name, merged.indicators[2].period) == (
        industry.name,
        industry.period,
    )
    assert changed == {}  # a ytd with its words: tests/test_rules_figures.py
