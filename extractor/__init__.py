"""extractor: Vietnamese provincial socio-economic reports into checked data.

from extractor import analyse, make_chunks
doc = analyse("samples/lai-chau-2024-02.txt")
for q in doc.quantities: ...
"""

from .chunking import Chunk, chunk_text, make_chunks
from .cleaning import CleanText, Footnote, clean
from .document import Document, analyse, analyse_bytes, analyse_source
from .errors import (
    ConfigError,
    DocumentError,
    EmptyDocument,
    EncryptedDocument,
    ExtractorError,
    InternalError,
    ProviderError,
    UnsupportedFormat,
)
from .loading import Source, load, load_bytes
from .metadata import ReportMeta, parse_period, read_metadata
from .numbers import ParsedNumber, format_number, parse_number
from .quantities import Comparison, Quantity, tag_quantities
from .records import quantity_record
from .sections import Section, build_sections
from .tokens import count_tokens

__version__ = "0.1.0"

__all__ = [
    "Chunk",
    "CleanText",
    "Comparison",
    "ConfigError",
    "Document",
    "DocumentError",
    "EmptyDocument",
    "EncryptedDocument",
    "ExtractorError",
    "Footnote",
    "InternalError",
    "ParsedNumber",
    "ProviderError",
    "Quantity",
    "ReportMeta",
    "Section",
    "Source",
    "UnsupportedFormat",
    "__version__",
    "analyse",
    "analyse_bytes",
    "analyse_source",
    "build_sections",
    "chunk_text",
    "clean",
    "count_tokens",
    "format_number",
    "load",
    "load_bytes",
    "make_chunks",
    "parse_number",
    "parse_period",
    "quantity_record",
    "read_metadata",
    "tag_quantities",
]
