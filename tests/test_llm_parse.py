"""Parsing the model's structured answers: tolerant of wrapping, strict about the schema."""

from __future__ import annotations

import pytest

from summarizer.engines.llm.client import parse_answer
from summarizer.engines.llm.schema import ChunkNotesAnswer, SynthesisAnswer

VALID = '{"notes": [{"text": "Putin met Tillerson.", "sentences": [0]}]}'


@pytest.mark.parametrize("text", [
    VALID,
    f"```json\n{VALID}\n```",
    f"Sure! Here are the notes:\n{VALID}\nHope this helps.",
])
def test_a_valid_answer_is_parsed_even_when_wrapped(text: str) -> None:
    answer = parse_answer(text, ChunkNotesAnswer)
    assert answer.notes[0].text == "Putin met Tillerson." and answer.notes[0].sentences == [0]


@pytest.mark.parametrize("text, problem", [
    ("", "empty"),
    ("I cannot help with that.", "no JSON object"),
    ('{"notes": [{"text": "x", ', "not valid JSON"),
    ('{"notes": [{"text": "x"}]}', "notes.0.sentences"),
    ('{"notes": [{"text": "x", "sentences": ["first"]}]}', "notes.0.sentences.0"),
    ('{"notes": [], "extra": 1}', "extra"),
])
def test_an_invalid_answer_says_what_is_wrong(text: str, problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        parse_answer(text, ChunkNotesAnswer)


def test_synthesis_positions_need_two_sides() -> None:
    one_sided = ('{"summary": [], "agreements": [], "exclusives": [], "disagreements": '
                 '[{"topic": "t", "kind": "sources_conflict", "positions": '
                 '[{"text": "x", "citations": [{"source": 1, "sentence": 0}]}]}]}')
    with pytest.raises(ValueError, match="positions"):
        parse_answer(one_sided, SynthesisAnswer)
