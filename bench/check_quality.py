"""How well `summarize check` flags planted errors in drafts, next to a naive word-overlap checker.

Drafts are the human summaries of the Multi-News dev clusters (../shared/eval-data, read its
README), checked against their own cluster's articles. Each summary sentence is checked as written
(a correct sentence: it should not be flagged), and again with one planted error of each kind that
applies to it (each should be flagged):

    figure     a number changed (12 -> 19)
    negation   "not" put after the first auxiliary verb (is, was, has, will, ...)
    quote      one word of a quotation of four words or more changed
    speaker    the name before "said" swapped for another name of the same summary
    invented   a sentence from another cluster's summary

A sentence counts as flagged when its verdict is not "supported". The naive checker flags a
sentence unless one source sentence holds half of its content words. Also times a check of the
seeds' own brief (target <= 2 s).

    python bench/check_quality.py              # writes its section of bench/RESULTS.md
    python bench/check_quality.py --limit 10   # a quick look, nothing written
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import re
import sys
import tempfile
import time
import warnings
from collections import Counter
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
EVAL = REPO.parent / "shared" / "eval-data"
sys.path.insert(0, str(REPO / "bench"))

from results import write_section  # noqa: E402

from summarizer import check, load_sources, render_brief, summarize  # noqa: E402
from summarizer.text.sentences import split_sentences  # noqa: E402
from summarizer.text.terms import content_terms  # noqa: E402

SECTION = "## Quality: checking drafts (Multi-News dev, planted errors)"
KINDS = ("figure", "negation", "quote", "speaker", "invented")
_NUMBER = re.compile(r"\b\d+(?:[.,]\d+)?\b")
_AUXILIARY = re.compile(r"\b(is|was|are|were|has|have|had|will|would|can|could|should)\b")
_QUOTE = re.compile(r"[\"\u201c]([^\"\u201c\u201d]+)[\"\u201d]")
_SAID = re.compile(r"\b([A-Z][a-z]+)\s+(?:said|says|told)\b")
_NAME = re.compile(r"\b[A-Z][a-z]{3,}\b")


def plant(sentence: str, kind: str, summary: str, other: str, rng: random.Random) -> str | None:
    """The sentence with one error of `kind`, or None when the kind does not apply to it."""
    if kind == "figure":
        match = _NUMBER.search(sentence)
        if not match:
            return None
        value = match.group(0).replace(",", "")
        changed = str(int(float(value)) + 7) if float(value) >= 1 else "7"
        return sentence[: match.start()] + changed + sentence[match.end():]
    if kind == "negation":
        match = _AUXILIARY.search(sentence)
        if not match or re.search(r"\bnot\b|n't", sentence):
            return None
        return sentence[: match.end()] + " not" + sentence[match.end():]
    if kind == "quote":
        match = _QUOTE.search(sentence)
        if not match or len(match.group(1).split()) < 4:
            return None
        words = match.group(1).split()
        position = max(range(len(words)), key=lambda i: (len(words[i]), -i))
        words[position] = "never" if words[position].lower() != "never" else "always"
        return sentence[: match.start(1)] + " ".join(words) + sentence[match.end(1):]
    if kind == "speaker":
        match = _SAID.search(sentence)
        if not match:
            return None
        names = sorted({n for n in _NAME.findall(summary) if n != match.group(1)} - {"The", "This", "That"})
        if not names:
            return None
        return sentence[: match.start(1)] + rng.choice(names) + sentence[match.end(1):]
    if kind == "invented":
        return other
    raise ValueError(kind)


def naive_flags(sentence: str, source_terms: list[set[str]]) -> bool:
    """Flagged unless one source sentence holds half of the sentence's content words."""
    terms = set(content_terms(sentence))
    return not any(len(terms & s) >= 0.5 * len(terms) for s in source_terms) if terms else False


def summary_sentences(reference: str) -> list[str]:
    """The human summary's sentences (Multi-News opens it with "– ")."""
    return [s for s in split_sentences(reference.replace("\u2013 ", " ").strip()) if len(s.split()) >= 5]


def run(items: list[dict[str, Any]], scratch: Path) -> dict[str, Any]:
    rng = random.Random(7)
    flagged: dict[str, Counter[str]] = {"check": Counter(), "naive": Counter(), "contradicted": Counter()}
    totals: Counter[str] = Counter()
    for number, item in enumerate(items):
        folder = scratch / f"mn-{number}"
        folder.mkdir()
        for k, article in enumerate(item["articles"]):
            (folder / f"{k:02d}.txt").write_text(article["text"], encoding="utf-8")
        summary = item["reference"]
        other = summary_sentences(items[(number + 1) % len(items)]["reference"])
        lines: list[tuple[str, str]] = []  # (kind or "correct", sentence)
        for sentence in summary_sentences(summary):
            lines.append(("correct", sentence))
            for kind in KINDS:
                planted = plant(sentence, kind, summary, rng.choice(other) if other else sentence, rng)
                if planted is not None and planted != sentence:
                    lines.append((kind, planted))
        # One sentence per paragraph, so that each is checked on its own.
        report = check("\n\n".join(text for _kind, text in lines), [folder])
        verdicts = {s.text: s.verdict for s in report.statements}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            source_terms = [set(content_terms(t)) for s in load_sources([folder]) for t in s.sentences]
        for kind, text in lines:
            verdict = verdicts.get(" ".join(text.split()))
            if verdict is None:  # the draft reader split or joined it differently: not counted
                continue
            totals[kind] += 1
            flagged["check"][kind] += verdict != "supported"
            if kind == "correct" and verdict == "contradicted":
                flagged["contradicted"]["correct"] += 1  # a flag that says a source says otherwise
            flagged["naive"][kind] += naive_flags(text, source_terms)
    return {"totals": totals, "flagged": flagged}


def seeds_check_seconds(scratch: Path) -> float:
    """Wall time of checking the seeds' own brief (the brief written beforehand), median of 3."""
    brief = scratch / "seeds-brief.md"
    brief.write_text(render_brief(summarize([REPO / "seeds"], engine="extractive"), "md"), encoding="utf-8")
    times = []
    for _ in range(3):
        started = time.perf_counter()
        check(brief, [REPO / "seeds"])
        times.append(time.perf_counter() - started)
    return sorted(times)[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--limit", type=int, help="only the first N clusters (a quick look; nothing written)")
    args = parser.parse_args()
    items = [json.loads(line) for line in (EVAL / "multinews_dev.jsonl").open(encoding="utf-8")][: args.limit]
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as scratch, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = run(items, Path(scratch))
        seeds_seconds = seeds_check_seconds(Path(scratch))
    totals, flagged = result["totals"], result["flagged"]
    planted_total = sum(totals[k] for k in KINDS)

    def share(checker: str, kinds: tuple[str, ...]) -> str:
        count, total = sum(flagged[checker][k] for k in kinds), sum(totals[k] for k in kinds)
        return f"{count} of {total} ({100 * count / max(total, 1):.0f}%)"

    lines = [SECTION, "",
             f"`python bench/check_quality.py` on {platform.machine()}, Python {platform.python_version()}, "
             f"{time.strftime('%Y-%m-%d')}; {len(items)} clusters, {planted_total} planted errors, "
             f"{totals['correct']} correct sentences (the human summaries as written); "
             f"{time.perf_counter() - started:.0f} s.", "",
             "| sentences | `summarize check` flags | naive word overlap flags | target |", "|---|---:|---:|---|",
             f"| planted errors, all | {share('check', KINDS)} | {share('naive', KINDS)} | >= 80% |"]
    for kind in KINDS:
        lines.append(f"| planted: {kind} | {share('check', (kind,))} | {share('naive', (kind,))} | |")
    lines += [f"| correct sentences | {share('check', ('correct',))} | {share('naive', ('correct',))} | <= 15% |",
              f"| correct sentences called contradicted | {share('contradicted', ('correct',))} | | |",
              "", f"Checking the seeds' own brief: {seeds_seconds:.2f} s in process (target <= 2 s)."]
    print("\n".join(lines))
    if not args.limit:
        write_section(SECTION, "\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
