"""Every tunable number of the LLM engine in one place (openai-python style): retries, timeouts,
token shares and how much evidence the model is shown.

The options a user sets (model, concurrency, context window, request timeout) are declared with
their defaults and ranges in `summarizer.settings`; the brief's section sizes are there too.
"""

from __future__ import annotations

# Connect quickly: a server that does not accept the connection within this is not there.
CONNECT_TIMEOUT_S = 10.0
# Network faults: attempts per call (first try included), backoff and the total time bound.
MAX_ATTEMPTS = 4
BACKOFF_INITIAL_S = 1.0
BACKOFF_MAX_S = 20.0
BACKOFF_JITTER_S = 1.0
RETRY_AFTER_CAP_S = 60.0  # a Retry-After longer than this is capped, not obeyed
TOTAL_RETRY_TIME_S = 300.0  # one call, all its retries included, gives up after this
# Invalid structured output: how many times the model is re-asked with the validation error.
MAX_REASKS = 2

# Share of the context window an answer may use, and a floor/ceiling in tokens.
ANSWER_SHARE = 0.25
MIN_ANSWER_TOKENS = 256
MAX_ANSWER_TOKENS = 2048
# Prompts are measured with tiktoken, and other models' tokenizers (Llama, Gemma, Qwen) count the
# same text up to ~15% higher; the chat template adds a few tokens per message.
TOKENIZER_MARGIN = 0.85
CHAT_TEMPLATE_TOKENS = 64
# A chunk is never smaller than this, however large the chunk prompt's own text.
MIN_CHUNK_TOKENS = 128

# Statements asked of the model per chunk / per source.
NOTES_PER_CHUNK = 6
STATEMENTS_PER_SOURCE = 6
# A report of no more sentences than this (all within --max-tokens) is its own summary, with no
# call: notes on it could only restate it (engine.LLMEngine._own_summary).
OWN_SUMMARY_MAX_SENTENCES = NOTES_PER_CHUNK
# Rounds of collapsing source summaries before a synthesis that still does not fit gives up; the
# smallest batch budget of one collapse call, and the tokens one statement's framing takes.
MAX_COLLAPSE_ROUNDS = 3
MIN_COLLAPSE_BATCH_TOKENS = 256
# What one merge of summaries may keep: at most this many statements (an answer of more may not
# fit the answer budget), and of its share this much, for merged statements cite more reports.
MAX_COLLAPSED_STATEMENTS = STATEMENTS_PER_SOURCE * 2
COLLAPSE_MARGIN = 0.85
STATEMENT_FRAMING_TOKENS = 12

# Alignment evidence shown to the synthesis per section (the conflicts' own cap; agreements are
# capped like the brief's section), citations shown per item, and the share of the
# synthesis prompt the evidence may take: a 200-article corpus must stay within the window, and
# the model can only cite what it is shown.
EVIDENCE_CONFLICTS = 10
# Sides of one disagreement shown by their ids, the rest counted: the model needs the topic and
# some sides not to state one as what happened, and 200 reports' death toll had 223 sides (1,131
# tokens, which left no room for any agreement).
SIDES_SHOWN = 12
REFS_PER_ITEM = 6
EVIDENCE_SHARE = 0.5
