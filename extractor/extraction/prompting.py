"""Prompt files (prompts/): loaded, filled and checked before any call is made.

``extract.v{N}.md`` is the system prompt; ``examples.v{N}.yaml`` holds worked examples
as plain report text. At load time every example is tagged with the pipeline's own
tagger, and its answer must reference only ids that exist in its tagged text and pass
the same validation as a model's answer. A template placeholder left unfilled, or an
example that does not match its own text, is an error at start-up, not a bad prompt
sent to a provider.

The static part (instructions and examples) comes first so providers' prompt caching
applies; the chunk (report, section, catalog hints, tagged text) is the user message.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml
from pydantic import ValidationError

from ..catalog import Catalog, load_catalog
from ..chunking import Chunk, chunk_parts, make_chunks
from ..document import Document
from ..errors import InternalError
from ..quantities import Quantity, tag_quantities
from ..schema import ChunkExtraction

PROMPT_VERSION = 1
_PLACEHOLDER = re.compile(r"\{\{(\w+)\}\}")
MAX_CATALOG_HINTS = 25


@dataclass(frozen=True)
class Example:
    """A worked example of the extraction prompt: a real section and its reviewed answer."""

    report: str
    section: str
    catalog_codes: tuple[str, ...]
    text: str
    answer: dict[str, Any]


@dataclass(frozen=True)
class PromptSet:
    """The extraction prompt of one version: the system prompt and its examples."""

    version: int
    system: str  # the static system prompt, placeholders filled
    examples: tuple[Example, ...]

    @property
    def id(self) -> str:
        return f"extract.v{self.version}"


def mark_quantities(text: str, quantities: list[Quantity], offset: int = 0) -> str:
    """``text`` with each quantity written as [qN: original text]."""
    out: list[str] = []
    pos = 0
    for q in sorted(quantities, key=lambda q: q.start):
        s, e = q.start - offset, q.end - offset
        if s < pos or e > len(text):
            continue
        out.append(text[pos:s])
        out.append(f"[{q.id}: {text[s:e]}]")
        pos = e
    out.append(text[pos:])
    return "".join(out)


def catalog_hints(catalog: Catalog, text: str, codes: tuple[str, ...] = ()) -> str:
    entries = [catalog.get(c) for c in codes] if codes else catalog.relevant(text)
    lines = [f"{e.code}: {e.name} ({e.aggregation})" for e in entries if e][:MAX_CATALOG_HINTS]
    return "\n".join(lines) if lines else "(none)"


def _user_message(report: str, section: str, hints: str, marked: str) -> str:
    return (
        f"Report: {report}\nSection: {section}\nCatalog codes that may apply:\n{hints}\n"
        f"Text:\n{marked}"
    )


def _render_example(example: Example, catalog: Catalog) -> str:
    quantities = tag_quantities(example.text)
    user = _user_message(
        example.report,
        example.section,
        catalog_hints(catalog, example.text, example.catalog_codes),
        mark_quantities(example.text, quantities),
    )
    answer = json.dumps(example.answer, ensure_ascii=False)
    return f"{user}\nAnswer:\n{answer}"


def _check_example(example: Example, catalog: Catalog, where: str) -> None:
    quantities = {q.id: q for q in tag_quantities(example.text)}
    for code in example.catalog_codes:
        if code not in catalog:
            raise InternalError(f"{where}: catalog code {code!r} is not in the catalog")
    try:
        ChunkExtraction.model_validate(
            example.answer, context={"quantities": quantities, "catalog": catalog}
        )
    except ValidationError as exc:
        raise InternalError(f"{where}: the answer does not match its own text: {exc}") from exc


def fill(template: str, values: dict[str, str], where: str) -> str:
    names = set(_PLACEHOLDER.findall(template))
    missing = names - set(values)
    if missing:
        raise InternalError(f"{where}: no value for placeholder(s) {sorted(missing)}")
    unused = set(values) - names
    if unused:
        raise InternalError(f"{where}: template has no placeholder(s) {sorted(unused)}")
    return _PLACEHOLDER.sub(lambda m: values[m.group(1)], template)


def parse_prompts(
    template: str, examples_yaml: str, catalog: Catalog, version: int = PROMPT_VERSION
) -> PromptSet:
    raw = yaml.safe_load(examples_yaml) or []
    examples = []
    for i, item in enumerate(raw, 1):
        example = Example(
            item["report"],
            item["section"],
            tuple(item.get("catalog", ())),
            " ".join(item["text"].split()),
            item["answer"],
        )
        _check_example(example, catalog, f"examples.v{version}.yaml example {i}")
        examples.append(example)
    if not examples:
        raise InternalError(f"examples.v{version}.yaml has no examples")
    rendered = "\n\n".join(_render_example(e, catalog) for e in examples)
    system = fill(template, {"examples": rendered}, f"extract.v{version}.md")
    return PromptSet(version, system, tuple(examples))


@cache
def load_prompts(version: int = PROMPT_VERSION) -> PromptSet:
    """The shipped prompts of ``version``, checked."""
    folder = resources.files("extractor.prompts")
    template = folder.joinpath(f"extract.v{version}.md").read_text("utf-8")
    examples = folder.joinpath(f"examples.v{version}.yaml").read_text("utf-8")
    return parse_prompts(template, examples, load_catalog(), version)


def chunk_message(doc: Document, chunk: Chunk, catalog: Catalog) -> tuple[str, dict[str, Quantity]]:
    """The user message for ``chunk`` (its parts, each quantity marked with its id) and
    the quantities it may reference."""
    quantities = {qid: doc.quantity[qid] for qid in chunk.quantity_ids}
    marked, plain = _marked_parts(doc, chunk, quantities.values())
    message = _user_message(
        _report_label(doc),
        chunk.breadcrumb or "(đầu báo cáo)",
        catalog_hints(catalog, " ".join(plain)),
        "\n\n".join(marked),
    )
    return message, quantities


def _marked_parts(
    doc: Document, chunk: Chunk, tagged: Iterable[Quantity], elide_over: int | None = None
) -> tuple[list[str], list[str]]:
    """The chunk's text parts (its breadcrumb aside: a message names it in its header)
    with the ``tagged`` quantities marked, and the same parts plain. With
    ``elide_over``, a part longer than that with nothing to mark is left out, one
    ELIDED standing for a run of them."""
    tagged = list(tagged)
    marked: list[str] = []
    plain: list[str] = []
    for part in chunk_parts(doc, chunk):
        if part.kind == "section":
            continue
        inside = [q for q in tagged if part.start <= q.start and q.end <= part.end]
        if not inside and elide_over is not None and len(part.text) > elide_over:
            if marked and marked[-1] != ELIDED:
                marked.append(ELIDED)
            continue
        text = mark_quantities(part.text, inside, offset=part.start)
        marked.append(f"Chú thích {part.number}: {text}" if part.kind == "note" else text)
        plain.append(part.text)
    return marked, plain


def _report_label(doc: Document) -> str:
    meta = doc.meta
    return f"{meta.province or '?'}, {meta.kind or '?'} {meta.period or '?'}"


# ------------------------------------------------------------------ the hybrid backend

REFINE_VERSION = 1
MAX_REFINE_HINTS = 12  # catalog codes listed with a chunk: the ones its words name


@dataclass(frozen=True)
class RefineExample:
    """A worked example of the hybrid prompt: a draft and the reviewed revision."""

    report: str
    section: str
    text: str
    answer: dict[str, Any]


@dataclass(frozen=True)
class RefinePrompts:
    """The hybrid backend's prompt of one version: the system prompt and its examples."""

    version: int
    system: str
    examples: tuple[RefineExample, ...]

    @property
    def id(self) -> str:
        return f"refine.v{self.version}"


MAX_CONTEXT_CHARS = 160  # a part without a drafted value is sent only if this short
ELIDED = "[…]"


def draft_table(draft: ChunkExtraction) -> str:
    """The rules' draft as the model reads it: one short line per value, "id period
    code", then "part of qN" when it has a total (a compact form: a hosted model is paid
    by the token, a local one reads at a few hundred tokens a second)."""
    lines = ["id period code"]
    for ind in draft.indicators:
        line = f"{ind.value_id} {ind.period} {ind.code or '-'}"
        lines.append(f"{line} part of {ind.parent_id}" if ind.parent_id else line)
    return "\n".join(lines)


def refine_message(report: str, section: str, hints: str, marked: str, draft: str) -> str:
    return (
        f"Report: {report}\nSection: {section}\nCatalog codes:\n{hints}\nText:\n{marked}\n"
        f"Draft:\n{draft}"
    )


def _example_draft(example: RefineExample, catalog: Catalog) -> tuple[str, ChunkExtraction]:
    """The example as the pipeline would send it: tagged, drafted by the rules."""
    from ..document import analyse_source  # the full analysis of a few example lines
    from ..loading import Source
    from .rules import RulesExtractor

    doc = analyse_source(Source("example.txt", "txt", example.text + "\n", None))
    chunk = next(c for c in make_chunks(doc, 4000) if c.quantity_ids)
    draft = RulesExtractor(doc, catalog).extract(chunk)
    message, _ = refine_chunk_message(doc, chunk, draft, catalog, example.report, example.section)
    return message, draft


def parse_refine_prompts(
    template: str, examples_yaml: str, catalog: Catalog, version: int = REFINE_VERSION
) -> RefinePrompts:
    from .revision import ChunkRevision, revision_scope

    rendered = []
    examples = []
    for i, item in enumerate(yaml.safe_load(examples_yaml) or [], 1):
        example = RefineExample(
            item["report"], item["section"], " ".join(item["text"].split()), item["answer"]
        )
        message, draft = _example_draft(example, catalog)
        where = f"refine_examples.v{version}.yaml example {i}"
        with revision_scope(draft, catalog):
            try:
                ChunkRevision.model_validate(example.answer)
            except ValidationError as exc:
                raise InternalError(f"{where}: the answer does not fit its draft: {exc}") from exc
        examples.append(example)
        answer = json.dumps(example.answer, ensure_ascii=False)
        rendered.append(f"{message}\nAnswer:\n{answer}")
    if not examples:
        raise InternalError(f"refine_examples.v{version}.yaml has no examples")
    system = fill(template, {"examples": "\n\n".join(rendered)}, f"refine.v{version}.md")
    return RefinePrompts(version, system, tuple(examples))


@cache
def load_refine_prompts(version: int = REFINE_VERSION) -> RefinePrompts:
    """The shipped prompts of the hybrid backend, checked."""
    folder = resources.files("extractor.prompts")
    template = folder.joinpath(f"refine.v{version}.md").read_text("utf-8")
    examples = folder.joinpath(f"refine_examples.v{version}.yaml").read_text("utf-8")
    return parse_refine_prompts(template, examples, load_catalog(), version)


def refine_chunk_message(
    doc: Document,
    chunk: Chunk,
    draft: ChunkExtraction,
    catalog: Catalog,
    report: str | None = None,
    section: str | None = None,
) -> tuple[str, dict[str, Quantity]]:
    """The user message of the hybrid backend for ``chunk``: the text with the drafted
    values tagged (changes and ratios are not: the model only revises values) and the
    rules' draft, with the catalog codes the chunk's words name."""
    quantities = {qid: doc.quantity[qid] for qid in chunk.quantity_ids}
    # only what can be changed is tagged; prose without a value has nothing to revise
    drafted = [quantities[ind.value_id] for ind in draft.indicators]
    marked, plain = _marked_parts(doc, chunk, drafted, elide_over=MAX_CONTEXT_CHARS)
    hints = catalog.relevant(" ".join(plain))[:MAX_REFINE_HINTS]
    codes = sorted({ind.code for ind in draft.indicators if ind.code})
    hints += [e for e in (catalog.get(c) for c in codes) if e and e not in hints]
    message = refine_message(
        report or _report_label(doc),
        section or chunk.breadcrumb or "(đầu báo cáo)",
        "\n".join(f"{e.code}: {e.name}" for e in hints) or "(none)",
        "\n\n".join(marked),
        draft_table(draft),
    )
    return message, quantities
