"""Loading and rendering the LLM prompts; the prompts themselves live only in prompts/*.j2.

Each template has a `system` and a `user` block. StrictUndefined makes a missing variable an error
instead of an empty string. Article text is untrusted: the `data` filter neutralises anything that
could close the delimiters around it, so an article cannot speak outside its <article> element.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources
from typing import Any, Generic, TypeVar

import jinja2
from pydantic import BaseModel

from ...models import Citation, Statement
from ...text.tokens import count_tokens_batch
from . import constants

T = TypeVar("T")
AnswerT = TypeVar("AnswerT", bound=BaseModel)

_DELIMITERS = str.maketrans({"<": "‹", ">": "›"})


def as_data(text: object) -> str:
    """Untrusted text as prompt data: one line, and no angle brackets to fake a closing tag."""
    return " ".join(str(text).split()).translate(_DELIMITERS)


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        # prompts/ is installed as the package summarizer.prompts (see pyproject), so it is read
        # through importlib.resources, which works for wheels and editable installs alike.
        loader=jinja2.FunctionLoader(_template_source),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # prompts are plain text; untrusted parts go through |data
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    env.filters["data"] = as_data
    return env


def _template_source(name: str) -> str:
    """The text of prompts/<name>."""
    return resources.files("summarizer.prompts").joinpath(name).read_text(encoding="utf-8")


@cache
def template_digest(name: str) -> str:
    """A hash of the template's own text, part of the cache key: editing a prompt invalidates it."""
    return hashlib.sha256(_template_source(name).encode("utf-8")).hexdigest()[:16]


def render_messages(name: str, **variables: Any) -> list[dict[str, str]]:
    """The chat messages (system, user) of prompt template `name`; an empty block gives no message."""
    template = _environment().get_template(name)
    context = template.new_context(variables)
    messages = []
    for role in ("system", "user"):
        if role not in template.blocks:
            raise jinja2.TemplateError(f"prompt {name} has no {{% block {role} %}}")
        text = "".join(template.blocks[role](context)).strip()
        if text:
            messages.append({"role": role, "content": text})
    return messages


@dataclass(frozen=True)
class Prompt(Generic[AnswerT]):
    """A template, its variables and the answer asked for, rendered when the request is made: the
    answer's JSON Schema is written into the prompt only when the request does not carry it in its
    response format (the schema is the largest part of the rules, and an API that gets it twice
    bills it twice)."""

    template: str
    answer_model: type[AnswerT]
    variables: dict[str, Any] = field(default_factory=dict)

    def messages(self, *, with_schema: bool = True) -> list[dict[str, str]]:
        schema = json.dumps(self.answer_model.model_json_schema(), separators=(",", ":")) if with_schema else None
        return render_messages(self.template, schema=schema, **self.variables)

    def size(self) -> int:
        """Tokens of the prompt as budgets measure it: its largest form, the schema written in."""
        return prompt_size(self.messages())


def prompt_size(messages: list[dict[str, str]]) -> int:
    """Tokens of a prompt's messages, as budgets measure them. Counted through the counts kept on
    disk: the prompts a run sizes before its first call (the chunk prompt's framing) are the same
    every run, so a run that has counted them once does not load tiktoken before its first call."""
    return count_tokens_batch(["\n".join(message["content"] for message in messages)])[0]


def refs(citations: list[Citation]) -> str:
    """Citations as the prompt shows them: [source:sentence], at most REFS_PER_ITEM of them."""
    return "".join(f"[{c.source}:{c.sentence}]" for c in citations[: constants.REFS_PER_ITEM])


def prompt_statement(statement: Statement) -> dict[str, Any]:
    """A statement as the synthesis and collapse prompts show it: its text and its refs."""
    return {"text": statement.text, "refs": refs(statement.citations)}


def batches_within(items: Sequence[T], size_of: Callable[[T], int], budget: int) -> list[list[T]]:
    """Consecutive items in batches whose sizes add up to at most `budget`; an item larger than the
    budget is a batch of its own."""
    batches: list[list[T]] = []
    used = 0
    for item in items:
        size = size_of(item)
        if not batches or used + size > budget:
            batches.append([])
            used = 0
        batches[-1].append(item)
        used += size
    return batches
