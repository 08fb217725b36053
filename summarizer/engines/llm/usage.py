"""What the LLM engine spent, per stage: calls, tokens, cache hits, seconds and estimated cost.

Prices are US dollars per million tokens. The small built-in table can be extended or overridden
with a JSON file named by SUMMARIZER_PRICES: {"model-name": {"input": 0.15, "output": 0.6}}.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ...errors import ConfigError

# Published list prices (USD per 1M tokens) at the time of writing; local models cost nothing here.
BUILTIN_PRICES: dict[str, dict[str, float]] = {
    "gpt-4o-mini": {"input": 0.15, "output": 0.60},
    "gpt-4o": {"input": 2.50, "output": 10.00},
    "gpt-4.1-mini": {"input": 0.40, "output": 1.60},
    "gpt-4.1": {"input": 2.00, "output": 8.00},
}


# The environment variable naming a JSON file of prices that extends or overrides the table above.
PRICES_VARIABLE = "SUMMARIZER_PRICES"


def load_prices(environ: dict[str, str] | None = None) -> dict[str, dict[str, float]]:
    """The built-in prices, updated from the JSON file that SUMMARIZER_PRICES names."""
    env = os.environ if environ is None else environ
    prices = {model: dict(rates) for model, rates in BUILTIN_PRICES.items()}
    path = env.get(PRICES_VARIABLE)
    if not path:
        return prices
    try:
        extra = json.loads(Path(path).read_text(encoding="utf-8"))
        for model, rates in extra.items():
            prices[str(model)] = {"input": float(rates["input"]), "output": float(rates["output"])}
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ConfigError(
            f"SUMMARIZER_PRICES={path}: cannot read prices ({exc}); expected a JSON object like "
            '{"my-model": {"input": 0.15, "output": 0.6}} (USD per million tokens)'
        ) from exc
    return prices


def require_price(model: str, prices: dict[str, dict[str, float]] | None = None) -> None:
    """A budget (--max-cost) can only be kept for a model whose price is known: ConfigError if not."""
    if model not in (load_prices() if prices is None else prices):
        example = json.dumps({model: {"input": 0.15, "output": 0.6}})
        raise ConfigError(f"--max-cost needs the price of {model!r}, which is not known: add it to a JSON file "
                          f"named by {PRICES_VARIABLE} ({example}, USD per million tokens)")


@dataclass
class StageUsage:
    """Counters of one stage (chunk notes, source summary, collapse, synthesis)."""

    calls: int = 0
    cache_hits: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    seconds: float = 0.0


@dataclass
class UsageMeter:
    """Adds up usage per stage; `report()` is what goes into the brief's `usage`."""

    model: str
    prices: dict[str, dict[str, float]] = field(default_factory=dict)
    stages: dict[str, StageUsage] = field(default_factory=dict)

    def stage(self, name: str) -> StageUsage:
        return self.stages.setdefault(name, StageUsage())

    def record_call(self, stage: str, *, prompt_tokens: int, completion_tokens: int, seconds: float) -> None:
        counters = self.stage(stage)
        counters.calls += 1
        counters.prompt_tokens += prompt_tokens
        counters.completion_tokens += completion_tokens
        counters.seconds += seconds

    def record_cache_hit(self, stage: str) -> None:
        self.stage(stage).cache_hits += 1

    def cost(self, prompt_tokens: int, completion_tokens: int) -> float | None:
        """Estimated USD for these tokens, or None when the model has no known price."""
        rates = self.prices.get(self.model)
        if rates is None:
            return None
        return round((prompt_tokens * rates["input"] + completion_tokens * rates["output"]) / 1e6, 6)

    def report(self) -> dict[str, Any]:
        """Per stage and in total; calls answered from the cache cost nothing and count as hits."""
        stages = {}
        for name, c in self.stages.items():
            stages[name] = {
                "calls": c.calls, "cache_hits": c.cache_hits, "prompt_tokens": c.prompt_tokens,
                "completion_tokens": c.completion_tokens, "seconds": round(c.seconds, 3),
                "cost_usd": self.cost(c.prompt_tokens, c.completion_tokens),
            }
        total = StageUsage()
        for c in self.stages.values():
            total.calls += c.calls
            total.cache_hits += c.cache_hits
            total.prompt_tokens += c.prompt_tokens
            total.completion_tokens += c.completion_tokens
            total.seconds += c.seconds
        return {
            "model": self.model,
            "stages": stages,
            "calls": total.calls,
            "cache_hits": total.cache_hits,
            "prompt_tokens": total.prompt_tokens,
            "completion_tokens": total.completion_tokens,
            "call_seconds": round(total.seconds, 3),
            "cost_usd": self.cost(total.prompt_tokens, total.completion_tokens),
        }
