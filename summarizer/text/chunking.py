"""Sentence-aligned chunks (the "chunk" stage): runs of whole consecutive sentences within a token budget.

A sentence is never split; one that alone exceeds the budget becomes a chunk of its own, which
`oversized_chunks` reports so the caller can decide (truncate, skip, warn). Token counts come
from `tokens` (tiktoken, offline).
"""

from __future__ import annotations

from collections.abc import Sequence

from ..errors import ConfigError
from ..models import Chunk, Source
from .tokens import DEFAULT_ENCODING, count_tokens_batch

__all__ = ["chunk_source", "chunk_sources", "oversized_chunks"]


def _pack(costs: Sequence[int], target: int, limit: int, overlap: int) -> list[tuple[int, int]]:
    """Greedy [start, end) sentence ranges whose estimated cost fits target.

    The cost of a range is the sum of its sentences' costs plus one per join (the space). A sentence
    costing more than limit is always alone. With overlap, each range after the first starts up to
    `overlap` sentences before the previous range's end, as far back as still fits.
    """
    n = len(costs)
    prefix = [0]
    for c in costs:
        prefix.append(prefix[-1] + c)

    def cost(start: int, end: int) -> int:
        return prefix[end] - prefix[start] + (end - start - 1)

    ranges: list[tuple[int, int]] = []
    nxt = 0  # first sentence not yet in any range
    while nxt < n:
        if costs[nxt] > limit:
            ranges.append((nxt, nxt + 1))
            nxt += 1
            continue
        start = max(nxt - overlap, ranges[-1][0] + 1 if ranges else 0)
        # Oversized sentences never come back as overlap: their cost alone exceeds target.
        while start < nxt and cost(start, nxt + 1) > target:
            start += 1
        end = nxt + 1
        while end < n and costs[end] <= limit and cost(start, end + 1) <= target:
            end += 1
        ranges.append((start, end))
        nxt = end
    return ranges


def _balanced_ranges(costs: Sequence[int], chunk_tokens: int) -> list[tuple[int, int]]:
    """The fewest ranges greedy packing needs, made as even as possible.

    Greedy with the smallest target that still gives the fewest ranges minimises the largest range
    (the classic linear-partition argument), so the last chunk is not left tiny.
    """
    best = _pack(costs, chunk_tokens, chunk_tokens, 0)
    fitting = [c for c in costs if c <= chunk_tokens]
    lo = max(fitting, default=chunk_tokens)  # any smaller target would leave a fitting sentence alone
    hi = chunk_tokens
    while lo < hi:
        mid = (lo + hi) // 2
        if len(_pack(costs, mid, chunk_tokens, 0)) <= len(best):
            hi = mid
        else:
            lo = mid + 1
    return _pack(costs, hi, chunk_tokens, 0)


def chunk_sources(
    sources: Sequence[Source],
    chunk_tokens: int,
    *,
    encoding: str = DEFAULT_ENCODING,
    overlap_sentences: int = 0,
    sentence_overhead: int = 0,
) -> list[list[Chunk]]:
    """chunk_source applied to each of many sources, in order."""
    if chunk_tokens < 1:
        raise ConfigError(f"chunk_tokens must be at least 1, got {chunk_tokens}: set a positive token budget")
    if overlap_sentences < 0:
        raise ConfigError(f"overlap_sentences must be >= 0, got {overlap_sentences}")
    # What each sentence costs in the budget: its tokens, plus what the prompt adds around it.
    all_costs = [tokens + sentence_overhead
                 for tokens in count_tokens_batch([s for src in sources for s in src.sentences], encoding)]

    # Pack on estimates; then count each chunk's joined text exactly (one more linear pass).
    plans: list[list[tuple[int, int]]] = []
    offset = 0
    for src in sources:
        costs = all_costs[offset : offset + len(src.sentences)]
        offset += len(src.sentences)
        if overlap_sentences:
            plans.append(_pack(costs, chunk_tokens, chunk_tokens, overlap_sentences))
        else:
            plans.append(_balanced_ranges(costs, chunk_tokens))

    result: list[list[Chunk]] = []
    for src, ranges in zip(sources, plans, strict=True):
        texts = [" ".join(src.sentences[a:b]) for a, b in ranges]
        exact = count_tokens_batch(texts, encoding)
        final: list[tuple[int, int, int]] = []
        pending = list(zip(ranges, exact, strict=True))[::-1]  # a stack, next range on top
        while pending:
            (a, b), tokens = pending.pop()
            if tokens + sentence_overhead * (b - a) <= chunk_tokens or b - a == 1:
                final.append((a, b, tokens))
                continue
            # The estimate is an upper bound in practice (a joining space usually merges into the
            # next word's token), but BPE gives no guarantee: halve the range until it fits.
            mid = (a + b) // 2
            halves = [(a, mid), (mid, b)]
            counts = count_tokens_batch([" ".join(src.sentences[x:y]) for x, y in halves], encoding)
            pending.extend(reversed(list(zip(halves, counts, strict=True))))
        result.append(
            [
                Chunk(source=src.id, index=i, first_sentence=a, sentences=src.sentences[a:b], token_count=t)
                for i, (a, b, t) in enumerate(final)
            ]
        )
    return result


def chunk_source(
    source: Source,
    chunk_tokens: int,
    *,
    encoding: str = DEFAULT_ENCODING,
    overlap_sentences: int = 0,
    sentence_overhead: int = 0,
) -> list[Chunk]:
    """Split a source into runs of whole consecutive sentences that fit chunk_tokens.

    - `token_count` is the exact count of the chunk's sentences joined with single spaces.
    - With overlap_sentences=0, every sentence is in exactly one chunk, in order; nothing is dropped
      or cut. Packing uses the fewest chunks, balanced so that the last one is not tiny.
    - With overlap_sentences=k, each chunk after the first repeats up to k sentences from the end
      of the previous one (as many as fit) for context; `first_sentence` then includes them.
    - A sentence longer than chunk_tokens is a chunk on its own, over budget: see `oversized_chunks`.
    - With sentence_overhead=k, each sentence counts k tokens more (what a prompt adds around each,
      such as its id): the chunk's text plus k per sentence fits chunk_tokens.
    - A source with no sentences gives no chunks. chunk_tokens < 1 raises ConfigError.
    """
    return chunk_sources([source], chunk_tokens, encoding=encoding, overlap_sentences=overlap_sentences,
                         sentence_overhead=sentence_overhead)[0]


def oversized_chunks(chunks: Sequence[Chunk], chunk_tokens: int) -> list[Chunk]:
    """The chunks over chunk_tokens: each is a single sentence longer than the budget."""
    return [c for c in chunks if c.token_count > chunk_tokens]
