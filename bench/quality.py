"""The brief's quality on the public dev sets (../shared/eval-data, read its README), and on the seeds.

Three measures, each recorded in its own section of bench/RESULTS.md:

- Summary (Multi-News dev, 60 clusters with a human summary): ROUGE-1/2/Lsum F1 (rouge-score,
  stemming on) of the brief's summary at --max-tokens 350, cut to 250 words, side by side with two
  baselines computed in the same run on the same sentences: Lead (each article's first sentences in
  turn) and LexRank (Erkan & Radev 2004: TF-IDF cosine graph, threshold 0.1, power iteration, the
  top sentences in document order); and LexRank again, picking only the sentences the lede may
  take on their own (what the lede's readability rules cost a method that is not the brief's), and
  cut to the brief's own length on each cluster (the brief may stop short of 250 words); and how
  many conflicts between sources those briefs list (reports of one event seldom truly conflict).
- Conflicts (FNC-1/Emergent dev, 34 claims): a brief of all the bodies surfaces the claim when a
  disagreement cites at least one body that reports it as true and one that calls it false; a brief
  of the agreeing bodies alone (groups of two or more) should list no disagreement at all. Also
  counted: agreements citing a body that reports the claim and one that calls it false, lede
  items that state as fact a report the brief sets against bodies calling it false, and lede items
  resting only on the bodies that state it (given as their account, "According to ...:", or not).
- Seeds: which sources each known fact's agreement cites, how many exclusives, and the death-toll
  disagreement's figures (bench/seed_facts.json lists the facts and the sources that report them).

    pip install -e '.[bench]' && python bench/quality.py            # all three
    python bench/quality.py --only conflicts --limit 10             # a quick look
"""

from __future__ import annotations

import argparse
import json
import math
import platform
import re
import statistics
import sys
import tempfile
import time
import warnings
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
EVAL = REPO.parent / "shared" / "eval-data"
sys.path.insert(0, str(REPO / "bench"))

from results import write_section  # noqa: E402

from summarizer import Brief, Citation, Statement, summarize  # noqa: E402
from summarizer.align.detectors.veracity import TOPIC as VERACITY_TOPIC  # noqa: E402
from summarizer.align.detectors.veracity import refuting_sources  # noqa: E402
from summarizer.align.nodes import build_nodes  # noqa: E402
from summarizer.settings import DEFAULTS  # noqa: E402
from summarizer.text.readable import readable_alone  # noqa: E402
from summarizer.text.similarity import SIMILARITIES  # noqa: E402

SUMMARY_WORDS = 250
# LexRank held to the sentences the lede may take on their own (text/readable.readable_alone: no
# opening pronoun, no remark without its speaker, no "I" outside quotes, no cut-off sentence): what
# the readability rules cost a selection method that is not the brief's.
READABLE_LEXRANK = "LexRank, readable sentences only"
# LexRank cut to the words of the brief's summary on each cluster. The baselines fill SUMMARY_WORDS,
# while the brief's summary is held to --max-tokens and stops short of that on some clusters: this
# row compares the two at equal length, so a gap it does not show is a gap of length, not choice.
SAME_LENGTH_LEXRANK = "LexRank, cut to the brief's length"
MAX_TOKENS = 350
_WORD = re.compile(r"[a-z0-9]+")


# --- baselines -------------------------------------------------------------------------------------


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def cut_to_words(sentences: list[str], limit: int = SUMMARY_WORDS) -> list[str]:
    """Sentences in order until `limit` words; the last one cut at the limit."""
    taken: list[str] = []
    used = 0
    for sentence in sentences:
        words = sentence.split()
        if used + len(words) > limit:
            if limit - used > 0:
                taken.append(" ".join(words[: limit - used]))
            break
        taken.append(sentence)
        used += len(words)
    return taken


def lead(articles: list[list[str]]) -> list[str]:
    """Each article's first sentence, then each one's second, ... (the lead of every report)."""
    order = [article[rank] for rank in range(max(map(len, articles), default=0)) for article in articles
             if rank < len(article)]
    return cut_to_words(order)


def lexrank(articles: list[list[str]], threshold: float = 0.1, damping: float = 0.85,
            allowed: Callable[[str], bool] | None = None) -> list[str]:
    """LexRank with the idf-modified cosine, a threshold graph and power iteration; with `allowed`,
    the graph is still over every sentence but only the allowed ones are picked."""
    sentences = [s for article in articles for s in article]
    if not sentences:
        return []
    bags = [Counter(_words(s)) for s in sentences]
    df = Counter(w for bag in bags for w in bag)
    idf = {w: math.log(len(bags) / count) for w, count in df.items()}
    vectors = [{w: tf * idf[w] for w, tf in bag.items()} for bag in bags]
    norms = [math.sqrt(sum(v * v for v in vec.values())) or 1.0 for vec in vectors]
    n = len(sentences)
    edges: list[list[int]] = [[] for _ in range(n)]
    for i in range(n):
        for j in range(i + 1, n):
            dot = sum(value * vectors[j].get(w, 0.0) for w, value in vectors[i].items())
            if dot / (norms[i] * norms[j]) > threshold:
                edges[i].append(j)
                edges[j].append(i)
    scores = [1.0 / n] * n
    for _ in range(100):
        new = [(1 - damping) / n + damping * sum(scores[j] / len(edges[j]) for j in edges[i]) for i in range(n)]
        if max(abs(a - b) for a, b in zip(new, scores)) < 1e-7:
            scores = new
            break
        scores = new
    ranked = sorted(range(n), key=lambda i: (-scores[i], i))
    picked: list[int] = []
    used = 0
    for i in ranked:
        if used >= SUMMARY_WORDS:
            break
        if allowed is not None and not allowed(sentences[i]):
            continue
        picked.append(i)
        used += len(sentences[i].split())
    return cut_to_words([sentences[i] for i in sorted(picked)])


# --- the runs -------------------------------------------------------------------------------------


def brief_of(texts: list[str], folder: Path, options: dict[str, Any]) -> Brief:
    """The extractive brief of `texts`, written as files into `folder`."""
    folder.mkdir(parents=True)
    for number, text in enumerate(texts):
        (folder / f"{number:02d}.txt").write_text(text, encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return summarize([folder], engine="extractive", **options)


def summaries(items: list[dict[str, Any]], scratch: Path, options: dict[str, Any]) -> dict[str, Any]:
    """ROUGE of the brief's summary, Lead and LexRank on every cluster."""
    from rouge_score import rouge_scorer

    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeLsum"], use_stemmer=True)
    systems: dict[str, list[dict[str, float]]] = {"brief summary": [], "Lead": [], "LexRank": [],
                                                  READABLE_LEXRANK: [], SAME_LENGTH_LEXRANK: []}
    words: list[int] = []
    source_conflicts = 0
    started = time.perf_counter()
    for item in items:
        brief = brief_of([a["text"] for a in item["articles"]], scratch / f"mn-{item['id']}", options)
        source_conflicts += sum(d.kind == "sources_conflict" for d in brief.disagreements)
        articles = [source.sentences for source in brief.sources]
        mine = cut_to_words([s.text for s in brief.summary])
        words.append(sum(len(s.split()) for s in mine))
        ranked = lexrank(articles)
        outputs = {
            "brief summary": mine,
            "Lead": lead(articles),
            "LexRank": ranked,
            READABLE_LEXRANK: lexrank(articles, allowed=readable_alone),
            SAME_LENGTH_LEXRANK: cut_to_words(ranked, words[-1]),
        }
        for system, sentences in outputs.items():
            score = scorer.score(item["reference"], "\n".join(sentences))
            systems[system].append({name: value.fmeasure * 100 for name, value in score.items()})
    return {
        "clusters": len(items),
        "seconds": time.perf_counter() - started,
        "summary_words": statistics.mean(words) if words else 0.0,
        "source_conflicts": source_conflicts,
        "scores": {system: {m: statistics.mean(s[m] for s in rows) for m in ("rouge1", "rouge2", "rougeLsum")}
                   for system, rows in systems.items()},
    }


def _cited_stances(brief: Brief, stances: list[str]) -> list[set[str]]:
    """For each disagreement, the stances of the bodies its positions cite."""
    by_source = {source.id: stances[int(Path(source.path).stem)] for source in brief.sources}
    found = []
    for disagreement in brief.disagreements:
        cited = {by_source[c.source] for p in disagreement.positions for c in p.citations}
        found.append(cited)
    return found


def _statement_stances(brief: Brief, stances: list[str], statements: list[Statement]) -> list[set[str]]:
    """For each statement, the stances of the bodies it cites."""
    by_source = {source.id: stances[int(Path(source.path).stem)] for source in brief.sources}
    return [{by_source[source] for source in statement.source_ids} for statement in statements]


def _reporting_side(brief: Brief) -> set[Citation]:
    """The sentences the brief sets, under "Whether the report is true", against sources calling
    them false: the positions of the bodies that call nothing false."""
    refuting = refuting_sources(build_nodes(brief.sources))
    return {c for d in brief.disagreements if d.topic == VERACITY_TOPIC for p in d.positions
            for c in p.citations if c.source not in refuting}


def _lede_stating_disputed(brief: Brief, told: set[Citation]) -> int:
    """Lede items that repeat a sentence of the reporting side (`told`): the brief would tell a
    report other bodies deny as what happened."""
    return sum(not told.isdisjoint(statement.citations) for statement in brief.summary)


def _lede_told_by_reporters(brief: Brief, told: set[Citation]) -> tuple[int, int]:
    """Lede items resting only on bodies that state a report others call false (a position of the
    reporting side, `told`): those given without saying whose account they are ("Doctors then
    learned that Phillips ... had contracted Ebola", the hoax site's story in the brief's voice),
    and those given as their account (`Statement.attributed`)."""
    telling = {c.source for c in told}
    theirs = [s for s in brief.summary if s.citations and telling.issuperset(s.source_ids)]
    return sum(not s.attributed for s in theirs), sum(s.attributed for s in theirs)


def conflicts(items: list[dict[str, Any]], scratch: Path, options: dict[str, Any]) -> dict[str, Any]:
    """Claims surfaced as a two-sided disagreement; disagreements given to one-sided groups;
    agreements that cite a body reporting the claim and one calling it false (they do not agree);
    lede items that state as fact a report other bodies call false; and lede items resting only on
    the bodies that state it, given as their account or not."""
    surfaced = one_sided_groups = one_sided_any = one_sided_conflict = agreements = across = 0
    lede_items = lede_disputed = lede_unattributed = lede_attributed = 0
    started = time.perf_counter()
    for item in items:
        documents = item["documents"]
        stances = [d["stance"] for d in documents]
        brief = brief_of([d["text"] for d in documents], scratch / f"cf-{item['id']}", options)
        if any({"agree", "disagree"} <= cited for cited in _cited_stances(brief, stances)):
            surfaced += 1
        agreements += len(brief.agreements)
        across += sum({"agree", "disagree"} <= cited for cited in _statement_stances(brief, stances, brief.agreements))
        lede_items += len(brief.summary)
        told = _reporting_side(brief)
        lede_disputed += _lede_stating_disputed(brief, told)
        unattributed, attributed = _lede_told_by_reporters(brief, told)
        lede_unattributed += unattributed
        lede_attributed += attributed
        agreeing = [d["text"] for d in documents if d["stance"] == "agree"]
        if len(agreeing) >= 2:
            one_sided_groups += 1
            one_sided = brief_of(agreeing, scratch / f"cf-{item['id']}-agree", options)
            one_sided_any += bool(one_sided.disagreements)
            one_sided_conflict += any(d.kind == "sources_conflict" for d in one_sided.disagreements)
    return {
        "claims": len(items), "surfaced": surfaced, "one_sided_groups": one_sided_groups,
        "one_sided_any": one_sided_any, "one_sided_conflict": one_sided_conflict,
        "agreements": agreements, "agreements_across": across, "lede_items": lede_items,
        "lede_disputed": lede_disputed, "lede_unattributed": lede_unattributed, "lede_attributed": lede_attributed,
        "seconds": time.perf_counter() - started,
    }


def seeds(options: dict[str, Any]) -> dict[str, Any]:
    """The known facts of the seeds: does an agreement state each, citing every source that reports it?"""
    facts = json.loads((REPO / "bench" / "seed_facts.json").read_text(encoding="utf-8"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        brief = summarize([REPO / "seeds"], engine="extractive", **options)
    number_of = {Path(s.path).name[:3]: s.id for s in brief.sources}
    rows = []
    for fact in facts["agreements"]:
        expected = {number_of[n] for n in fact["sources"]}
        pattern = re.compile(fact["pattern"], re.I)
        texts = {s.id: s.sentences for s in brief.sources}
        matching = [a for a in brief.agreements
                    if pattern.search(a.text) or any(pattern.search(texts[c.source][c.sentence]) for c in a.citations)]
        cited = set().union(*(set(a.source_ids) for a in matching)) if matching else set()
        rows.append({"fact": fact["fact"], "expected": sorted(expected), "cited": sorted(cited & expected),
                     "agreements": len(matching)})
    tolls = [d for d in brief.disagreements if d.topic.lower().startswith("death toll")]
    figures = sorted({f for d in tolls for p in d.positions for f in re.findall(r"\d+", p.text)
                      if f in facts["death_toll_figures"]})
    return {"facts": rows, "agreements": len(brief.agreements), "exclusives": len(brief.exclusives),
            "death_toll_figures": figures, "expected_figures": facts["death_toll_figures"]}


# --- the report -----------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", choices=["summary", "conflicts", "seeds"], action="append")
    parser.add_argument("--limit", type=int, help="only the first N items of each dev set (a quick look)")
    parser.add_argument("--label", default="", help="a name for this run in the results (e.g. a commit)")
    parser.add_argument("--similarity", choices=sorted(SIMILARITIES), default=DEFAULTS.similarity,
                        help="the similarity the briefs align with (default: the tool's default)")
    args = parser.parse_args()
    wanted = set(args.only or ["summary", "conflicts", "seeds"])
    options: dict[str, Any] = {"max_tokens": MAX_TOKENS, "similarity": args.similarity}
    header = (f"`python bench/quality.py` on {platform.machine()}, Python {platform.python_version()}, "
              f"{time.strftime('%Y-%m-%d')}{f', {args.label}' if args.label else ''}; the extractive engine, "
              f"--max-tokens {MAX_TOKENS}, --similarity {args.similarity}.")
    with tempfile.TemporaryDirectory() as scratch:
        if "summary" in wanted:
            items = [json.loads(line) for line in (EVAL / "multinews_dev.jsonl").open(encoding="utf-8")]
            result = summaries(items[: args.limit], Path(scratch), options)
            lines = ["## Quality: the summary (Multi-News dev)", "", header,
                     f"{result['clusters']} clusters; the brief's summary averages {result['summary_words']:.0f} "
                     f"words (all cut to {SUMMARY_WORDS}); {result['seconds']:.0f} s.", "",
                     "| system | ROUGE-1 | ROUGE-2 | ROUGE-Lsum |", "|---|---:|---:|---:|"]
            for system, scores in result["scores"].items():
                # Two decimals: the target (brief >= LexRank) is decided within tenths.
                row = " | ".join(f"{scores[m]:.2f}" for m in ("rouge1", "rouge2", "rougeLsum"))
                lines.append(f"| {system} | {row} |")
            lines += ["", f"Conflicts between sources listed in these briefs: {result['source_conflicts']} (reports of "
                      "one event seldom truly conflict: each one listed is worth reading)."]
            print("\n".join(lines), flush=True)
            if not args.limit:
                write_section(lines[0], "\n".join(lines) + "\n")
        if "conflicts" in wanted:
            items = [json.loads(line) for line in (EVAL / "conflicts_dev.jsonl").open(encoding="utf-8")]
            result = conflicts(items[: args.limit], Path(scratch), options)
            lines = ["## Quality: disagreements (FNC-1 dev)", "", header,
                     f"{result['claims']} claims; {result['seconds']:.0f} s.", "",
                     "| measure | count | share | target |", "|---|---:|---:|---|",
                     f"| claims surfaced as a disagreement citing both sides | {result['surfaced']} of "
                     f"{result['claims']} | {100 * result['surfaced'] / max(result['claims'], 1):.0f}% | >= 60% |",
                     f"| one-sided groups given any disagreement | {result['one_sided_any']} of "
                     f"{result['one_sided_groups']} | "
                     f"{100 * result['one_sided_any'] / max(result['one_sided_groups'], 1):.0f}% | <= 10% |",
                     f"| one-sided groups given a conflict between sources | {result['one_sided_conflict']} of "
                     f"{result['one_sided_groups']} | "
                     f"{100 * result['one_sided_conflict'] / max(result['one_sided_groups'], 1):.0f}% | |",
                     f"| agreements citing a body that reports the claim and one that denies it | "
                     f"{result['agreements_across']} of {result['agreements']} | "
                     f"{100 * result['agreements_across'] / max(result['agreements'], 1):.0f}% | |",
                     f"| lede items stating a report that other bodies call false (a reporting side's position "
                     f"under \"{VERACITY_TOPIC}\") | {result['lede_disputed']} of {result['lede_items']} | "
                     f"{100 * result['lede_disputed'] / max(result['lede_items'], 1):.0f}% | |",
                     f"| lede items resting only on bodies that state such a report, not given as their account "
                     f"| {result['lede_unattributed']} of {result['lede_items']} | "
                     f"{100 * result['lede_unattributed'] / max(result['lede_items'], 1):.0f}% | |",
                     f"| ... given as their account (\"According to ...:\") | {result['lede_attributed']} of "
                     f"{result['lede_items']} | "
                     f"{100 * result['lede_attributed'] / max(result['lede_items'], 1):.0f}% | |"]
            print("\n".join(lines), flush=True)
            if not args.limit:
                write_section(lines[0], "\n".join(lines) + "\n")
        if "seeds" in wanted:
            result = seeds(options)
            lines = ["## Quality: the seeds", "", header, "",
                     "| fact | reported by | cited by its agreement |", "|---|---|---|"]
            for row in result["facts"]:
                lines.append(f"| {row['fact']} | {row['expected']} | {row['cited'] or 'no agreement'} |")
            lines += ["", f"- agreements: {result['agreements']}; exclusives: {result['exclusives']} (target <= 8)",
                      f"- death-toll figures shown side by side: {', '.join(result['death_toll_figures']) or 'none'} "
                      f"(of {', '.join(result['expected_figures'])})"]
            print("\n".join(lines), flush=True)
            write_section(lines[0], "\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
