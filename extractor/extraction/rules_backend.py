"""What a backend is, and the one that needs no LLM.

A backend turns one chunk into a :class:`~extractor.schema.ChunkExtraction` (indicators
that refer to the chunk's tagged quantities) and says what that cost. The rules backend
does it from the words around each number; the LLM backends (:mod:`extractor.backends`)
ask a model. What happens to a chunk around the call (skipped, failed, split, capped)
is the same for every backend: :mod:`.runner`.
"""

from __future__ import annotations

from typing import Protocol

from ..catalog import Catalog, load_catalog
from ..chunking import Chunk
from ..document import Document
from ..schema import ChunkExtraction, reference_errors
from .rules import RulesExtractor
from .usage import CallFailed, PriceTable, Usage

RULES_DOCUMENTS = 32  # documents whose rules indexes are kept (a batch interleaves a few)
RULES_BUDGET = 1200  # tokens per chunk: the rules read a chunk's text, no model window


class Backend(Protocol):
    """What every backend offers the pipeline: a name, a chunk budget, prices, and
    ``extract(doc, chunk)`` returning the chunk's indicators and usage."""

    name: str
    model: str | None
    budget: int  # chunk token budget suited to this backend

    @property
    def prices(self) -> PriceTable | None: ...

    def extract(self, doc: Document, chunk: Chunk) -> tuple[ChunkExtraction, Usage]:
        """The chunk's indicators; CallFailed when it gets none (and what that cost),
        ProviderError when the endpoint as a whole is unusable."""
        ...

    def prompt_tokens(self, doc: Document, chunk: Chunk) -> int:
        """Input tokens the first request for ``chunk`` sends (0 without a model)."""
        ...

    def close(self) -> None: ...


class RulesBackend:
    """The backend that needs no LLM: indicators read by the rules (:mod:`.rules`) from the
    words around each tagged quantity."""

    name = "rules"
    model: str | None = None
    prices: PriceTable | None = None

    def __init__(self, catalog: Catalog | None = None, budget: int = RULES_BUDGET) -> None:
        self.catalog = catalog or load_catalog()
        self.budget = budget
        self._extractors: dict[str, RulesExtractor] = {}

    def extract(self, doc: Document, chunk: Chunk) -> tuple[ChunkExtraction, Usage]:
        ex = self._extractors.pop(doc.sha256, None)
        if ex is None:  # one per document: it indexes the document's breaks once
            ex = RulesExtractor(doc, self.catalog)
        self._extractors[doc.sha256] = ex  # the most recent last
        while len(self._extractors) > RULES_DOCUMENTS:  # a batch holds a few at a time
            del self._extractors[next(iter(self._extractors))]
        result = ex.extract(chunk)
        quantities = {i: doc.quantity[i] for i in chunk.quantity_ids}
        errors = reference_errors(result, quantities, self.catalog)
        if errors:
            raise CallFailed("rules produced invalid references: " + "; ".join(errors), Usage())
        return result, Usage()

    def prompt_tokens(self, doc: Document, chunk: Chunk) -> int:
        return 0

    def forget(self, doc: Document) -> None:
        """Drops what is kept to read ``doc``'s chunks (a batch is done with it)."""
        self._extractors.pop(doc.sha256, None)

    def close(self) -> None:
        pass
