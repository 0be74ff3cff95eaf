"""What LLM calls cost: token usage, prices, and the two ways a call fails.

Provider-free, so that the batch runner, the extraction loop and the spawned analysis
processes can use them without importing the openai SDK (a second of start-up).
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import yaml

from ..errors import ConfigError

BATCH_DISCOUNT = 0.5  # OpenAI bills Batch API requests at half the synchronous price


@dataclass
class Usage:
    """What calls cost: answers, tokens, cache hits, HTTP requests and retries, and USD."""

    calls: int = 0  # answers the model gave (re-asks included)
    input_tokens: int = 0
    output_tokens: int = 0
    cached_calls: int = 0  # answers served from the response cache
    cost: float | None = 0.0  # USD; None when the price of the model is unknown
    requests: int = 0  # HTTP requests sent, transport retries included
    retries: int = 0  # of those, repeats after a transient failure (5xx, 429, drop, timeout)
    timeouts: int = 0  # requests that got no answer within the timeout
    seconds: float = 0.0  # wall time spent waiting for the endpoint

    def add(self, other: Usage) -> None:
        self.calls += other.calls
        self.input_tokens += other.input_tokens
        self.output_tokens += other.output_tokens
        self.cached_calls += other.cached_calls
        self.cost = None if self.cost is None or other.cost is None else self.cost + other.cost
        self.requests += other.requests
        self.retries += other.retries
        self.timeouts += other.timeouts
        self.seconds += other.seconds


class CallFailed(Exception):
    """A chunk's LLM call ended without a valid answer; ``usage`` is what it cost."""

    def __init__(self, reason: str, usage: Usage) -> None:
        super().__init__(reason)
        self.reason = reason
        self.usage = usage


class Truncated(CallFailed):
    """The model hit the token cap (finish_reason=length): the answer is incomplete."""


# ------------------------------------------------------------------------------ prices


@dataclass(frozen=True)
class PriceTable:
    """USD per million tokens, by model name pattern (fnmatch), first match wins."""

    rows: tuple[tuple[str, float, float], ...]

    def price(self, model: str) -> tuple[float, float] | None:
        for pattern, inp, out in self.rows:
            if fnmatch.fnmatch(model, pattern):
                return inp, out
        return None

    def cost(self, model: str, input_tokens: int, output_tokens: int) -> float | None:
        p = self.price(model)
        if p is None:
            return None
        return (input_tokens * p[0] + output_tokens * p[1]) / 1_000_000


def require_price(prices: PriceTable | None, model: str) -> None:
    """A cost cap needs the model's price: ConfigError when there is none."""
    if prices is None or prices.price(model) is None:
        raise ConfigError(
            f"no price known for model {model!r}, so --max-cost cannot be enforced: "
            "pass --prices FILE"
        )


def load_prices(path: str | Path | None = None) -> PriceTable:
    """The shipped price table, or ``path`` (YAML: {models: [{match, input, output}]})."""
    if path is None:
        text = (
            resources.files("extractor").joinpath("data").joinpath("prices.yaml").read_text("utf-8")
        )
    else:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as exc:
            raise ConfigError(f"cannot read price table {str(path)!r}: {exc}") from exc
    try:
        data = yaml.safe_load(text)
        rows = tuple(
            (str(r["match"]), float(r["input"]), float(r["output"])) for r in data["models"]
        )
    except (yaml.YAMLError, KeyError, TypeError, ValueError) as exc:
        raise ConfigError(
            f"price table {str(path or 'prices.yaml')!r} is malformed: expected "
            "models: [{match, input, output}] (USD per million tokens)"
        ) from exc
    return PriceTable(rows)
