import json

import pytest
from pydantic import ValidationError

from extractor import InternalError
from extractor.catalog import load_catalog, parse_catalog
from extractor.extraction.prompting import fill, load_prompts, parse_prompts
from extractor.quantities import tag_quantities
from extractor.schema import ChunkExtraction, json_schema, narrowed_model, schema_path

TEXT = (
    "Tổng đàn gia súc chính ước đạt 349.090 con, tăng 4,2% so với cùng kỳ năm trước; "
    "trong đó đàn trâu 92.400 con. Tỷ lệ che phủ rừng đạt 52,3%."
)


def ctx():
    return {"quantities": {q.id: q for q in tag_quantities(TEXT)}, "catalog": load_catalog()}


def ind(**kw):
    base = {
        "name": "Tổng đàn gia súc",
        "code": "livestock_herd",
        "value_id": "q1",
        "period": "as_of",
        "comparison_ids": ["q2"],
        "parent_id": None,
    }
    return {**base, **kw}


def test_checked_in_schema_matches_the_model() -> None:
    on_disk = json.loads(schema_path().read_text(encoding="utf-8"))
    on_disk.pop("$comment")
    assert on_disk == json_schema(), (
        "schema changed: bump SCHEMA_VERSION and run python -m extractor.schema"
    )


def test_request_schema_narrows_ids_and_codes_to_the_chunk() -> None:
    catalog = load_catalog()
    model = narrowed_model(ctx()["quantities"], catalog)
    sent = model.model_json_schema()
    fields = sent["$defs"]["Indicator"]["properties"]
    assert fields["value_id"]["enum"] == ["q1", "q3", "q4"]  # q2 is a change, not a value
    assert fields["parent_id"]["anyOf"][0]["enum"] == ["q1", "q3", "q4"]
    assert fields["comparison_ids"]["items"]["enum"] == ["q2", "q4"]
    assert fields["comparison_ids"]["maxItems"] == 2
    assert fields["code"]["anyOf"][0]["enum"] == list(catalog.codes())
    # everything else is the reviewed contract (without the models' descriptions)
    for path in (("value_id", "enum"), ("comparison_ids", "maxItems")):
        del fields[path[0]][path[1]]
    del fields["parent_id"]["anyOf"][0]["enum"], fields["code"]["anyOf"][0]["enum"]
    del fields["comparison_ids"]["items"]["enum"]
    contract = json_schema()
    del contract["description"], contract["$defs"]["Indicator"]["description"]
    assert sent == contract
    # each call gets its own copy (instructor writes into it), in pydantic's key order
    again = model.model_json_schema()
    assert list(again["$defs"]["Indicator"]["properties"]["value_id"]) == [
        "description",
        "enum",
        "title",
        "type",
    ]
    assert again != sent  # the deletions above did not reach it
    # the answer is validated as a plain ChunkExtraction
    answer = {"indicators": [ind()]}
    assert model.model_validate(answer, context=ctx()).model_dump() == answer
    with pytest.raises(ValidationError, match="not a quantity of this chunk"):
        model.model_validate({"indicators": [ind(value_id="q9")]}, context=ctx())


def test_request_schema_with_one_choice_is_a_const_and_none_without_values() -> None:
    one = {q.id: q for q in tag_quantities("Đàn trâu 92.400 con.")}
    fields = narrowed_model(one, None).model_json_schema()["$defs"]["Indicator"]["properties"]
    assert fields["value_id"]["const"] == "q1" and "enum" not in fields["value_id"]
    assert fields["comparison_ids"]["maxItems"] == 0 and "enum" not in fields["comparison_ids"]
    assert "enum" not in fields["code"]["anyOf"][0]  # no catalog: any code string
    changes = {q.id: q for q in tag_quantities("tăng 4,2% so với cùng kỳ")}
    assert narrowed_model(changes, None) is ChunkExtraction
    with pytest.raises(TypeError, match="default form"):
        narrowed_model(one, None).model_json_schema(mode="serialization")


def test_extra_fields_are_forbidden() -> None:
    with pytest.raises(ValidationError, match="extra"):
        ChunkExtraction.model_validate({"indicators": [ind(value=349090)]}, context=ctx())


def test_valid_answer_passes() -> None:
    answer = {
        "indicators": [
            ind(),
            ind(
                name="Đàn trâu",
                code="buffalo_herd",
                value_id="q3",
                comparison_ids=[],
                parent_id="q1",
            ),
            ind(
                name="Tỷ lệ che phủ rừng",
                code="forest_cover",
                value_id="q4",
                period="as_of",
                comparison_ids=[],
            ),
        ]
    }
    assert len(ChunkExtraction.model_validate(answer, context=ctx()).indicators) == 3


@pytest.mark.parametrize(
    ("indicators", "message"),
    [
        ([ind(value_id="q9")], "value_id 'q9' is not a quantity of this chunk"),
        ([ind(value_id="q2", comparison_ids=[])], "is a change or ratio, not a value"),
        ([ind(comparison_ids=["q3"])], "is not a comparison"),
        ([ind(), ind(name="again")], "is the value of two indicators"),
        ([ind(code="herds")], "code 'herds' is not in the catalog"),
        ([ind(parent_id="q1")], "parent_id is its own value_id"),
    ],
)
def test_reference_errors_speak_to_the_model(indicators, message) -> None:
    with pytest.raises(ValidationError, match=message):
        ChunkExtraction.model_validate({"indicators": indicators}, context=ctx())


def test_catalog_has_at_least_40_indicators_with_aggregation() -> None:
    catalog = load_catalog()
    assert len(catalog.entries) >= 40
    assert {e.aggregation for e in catalog.entries} == {"flow", "stock", "rate"}
    loans, retail = catalog.get("loans_outstanding"), catalog.get("retail_sales")
    assert loans is not None and loans.aggregation == "stock"
    assert retail is not None and retail.aggregation == "flow"
    matched = catalog.match("Tổng mức bán lẻ hàng hóa và doanh thu dịch vụ")
    assert matched is not None and matched.code == "retail_sales"
    matched = catalog.match("tổng đàn gia cầm")
    assert matched is not None and matched.code == "poultry_flock"


def test_catalog_rejects_duplicates_and_unknown_aggregation() -> None:
    entry = "  - {code: a, name: A, unit_kind: count, aggregation: flow}\n"
    dup = "version: 1\nindicators:\n" + entry * 2
    with pytest.raises(InternalError, match="twice"):
        parse_catalog(dup)
    with pytest.raises(InternalError, match="aggregation"):
        parse_catalog(
            "version: 1\nindicators:\n"
            "  - {code: a, name: A, unit_kind: count, aggregation: monthly}\n"
        )
    with pytest.raises(InternalError, match="to_date is for flows only"):
        parse_catalog(
            "version: 1\nindicators:\n"
            "  - {code: a, name: A, unit_kind: money, aggregation: stock, to_date: true}\n"
        )


def test_budget_and_disbursement_are_printed_to_date() -> None:
    catalog = load_catalog()
    to_date = {
        code: getattr(catalog.get(code), "to_date", None)
        for code in ("budget_spending", "public_investment_disbursed", "retail_sales")
    }
    assert to_date == {
        "budget_spending": True,
        "public_investment_disbursed": True,
        "retail_sales": False,
    }


def test_shipped_prompts_load_and_put_the_static_part_first() -> None:
    prompts = load_prompts()
    assert "{{" not in prompts.system
    assert "[q1: 593,09 tỷ đồng]" in prompts.system  # the example, tagged by the tagger
    assert prompts.id == "extract.v1"


def test_prompt_placeholders_must_be_filled() -> None:
    with pytest.raises(InternalError, match="placeholder"):
        fill("Hello {{name}} {{other}}", {"name": "x"}, "t")
    with pytest.raises(InternalError, match="no placeholder"):
        fill("Hello", {"name": "x"}, "t")


def test_example_that_does_not_match_its_text_is_rejected() -> None:
    bad = """
- report: r
  section: s
  text: "Doanh thu vận tải ước đạt 33,14 tỷ đồng."
  answer:
    indicators:
      - {name: "Doanh thu vận tải", code: transport_revenue, value_id: q7, period: month}
"""
    with pytest.raises(InternalError, match="does not match its own text"):
        parse_prompts("x {{examples}}", bad, load_catalog())
