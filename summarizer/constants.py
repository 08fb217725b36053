"""Every tunable number of the pipeline in one place, so a change is one edit and one review."""

from __future__ import annotations

# Token budget of each source's summary (and of the lede) unless --max-tokens says otherwise.
DEFAULT_SUMMARY_TOKENS = 200
# Chunk size of the extractive engine: large enough that centrality sees whole passages, small
# enough that a very long source is still covered from start to end, not just from its top.
EXTRACTIVE_CHUNK_TOKENS = 800
# How many central sentences each chunk may contribute before the per-source budget decides.
EXTRACTIVE_CANDIDATES_PER_CHUNK = 6
# Statements in the lede, at most.
LEDE_STATEMENTS = 4
# Section caps keep a brief of many articles readable; the JSON `usage` says how many were left out.
MAX_AGREEMENTS = 20
MAX_EXCLUSIVES = 15
# Sentences shorter than this (in words) rarely carry a fact of their own ("He said so.").
MIN_STATEMENT_WORDS = 6

# --- The LLM engine -------------------------------------------------------------------------------
# Every retry and timeout number of the LLM engine lives here (openai-python style).
LLM_DEFAULT_MODEL = "gpt-4o-mini"  # used when neither --model nor SUMMARIZER_MODEL says otherwise
LLM_DEFAULT_CONCURRENCY = 8
LLM_DEFAULT_CONTEXT_WINDOW = 8192  # tokens; conservative so small local models fit too
# Per request: connect quickly, but let a slow local model take its time to answer.
LLM_CONNECT_TIMEOUT_S = 10.0
LLM_REQUEST_TIMEOUT_S = 180.0
# Network faults: attempts per call (first try included), backoff and the total time bound.
LLM_MAX_ATTEMPTS = 4
LLM_BACKOFF_INITIAL_S = 1.0
LLM_BACKOFF_MAX_S = 20.0
LLM_BACKOFF_JITTER_S = 1.0
LLM_RETRY_AFTER_CAP_S = 60.0  # a Retry-After longer than this is capped, not obeyed
LLM_TOTAL_RETRY_TIME_S = 300.0  # one call, all its retries included, gives up after this
# Invalid structured output: how many times the model is re-asked with the validation error.
LLM_MAX_REASKS = 2
# Share of the context window an answer may use, and a floor/ceiling in tokens.
LLM_ANSWER_SHARE = 0.25
LLM_MIN_ANSWER_TOKENS = 256
LLM_MAX_ANSWER_TOKENS = 2048
# Rounds of collapsing source summaries before a synthesis that still does not fit gives up.
LLM_MAX_COLLAPSE_ROUNDS = 3
# Statements asked of the model per chunk / per source / per section of the brief.
LLM_NOTES_PER_CHUNK = 6
LLM_STATEMENTS_PER_SOURCE = 6
