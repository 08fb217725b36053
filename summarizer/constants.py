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
