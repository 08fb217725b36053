"""The review page's shared parts: its one style sheet, its one script, and the policy that lets
only those two run.

The page is one self-contained file (no external asset, no network, works opened from disk): the
brief or the draft on one side, each source's full cleaned text on the other, with the sentences
used highlighted. A citation or a statement is a control (a button, or a focusable item that Enter
and Space activate) whose `data-targets` names source sentences; activating it scrolls the source
pane to the first and highlights them all. Article text reaches the page only through jinja2's
autoescape, and the Content-Security-Policy allows exactly this script and this style (by their
sha256), so a `<script>` in an article stays text and could not run even if it were markup.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterable
from typing import Protocol

__all__ = ["REVIEW_SCRIPT", "REVIEW_STYLE", "content_security_policy", "sentence_id", "targets"]

REVIEW_STYLE = """
body { margin: 0; font: 16px/1.5 Georgia, serif; color: #222; }
.review { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); height: 100vh; }
.pane { overflow-y: auto; padding: 0 1.25rem 4rem; }
.sources { background: #fafaf7; border-left: 1px solid #ddd; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.15rem; margin-top: 1.75rem; border-bottom: 1px solid #ddd; }
h3 { font-size: 1rem; }
.meta, .note { color: #666; font-size: .9rem; }
button.cite { font: inherit; font-size: .8rem; border: 0; background: none; color: #0645ad; cursor: pointer;
  padding: 0 .1rem; }
button.cite:focus-visible, [data-targets]:focus-visible { outline: 2px solid #0645ad; }
li[data-targets] { cursor: pointer; }
.sent.used { background: #fff5c2; }
.sent.conflict { background: #ffe0e0; }
.sent.active { background: #ffd54a; outline: 2px solid #b8860b; }
table.versions { border-collapse: collapse; width: 100%; font-size: .95rem; }
table.versions th, table.versions td { border: 1px solid #ddd; padding: .4rem; vertical-align: top; text-align: left; }
.badge { font: bold .75rem sans-serif; padding: .05rem .35rem; border-radius: .25rem; color: #fff; }
.verdict-supported .badge { background: #2e7d32; } .verdict-contradicted .badge { background: #c62828; }
.verdict-unsupported .badge { background: #ef6c00; }
.problems { font-size: .9rem; color: #444; } .conflicting { margin: .2rem 0 .2rem 1rem; color: #7a1f1f; }
.warnings li { color: #8a4b00; }
""".strip()

REVIEW_SCRIPT = """
(function () {
  function show(control) {
    var active = document.querySelectorAll('.sent.active');
    for (var i = 0; i < active.length; i++) { active[i].classList.remove('active'); }
    var ids = (control.getAttribute('data-targets') || '').split(' ');
    var first = null;
    for (var j = 0; j < ids.length; j++) {
      var sentence = ids[j] ? document.getElementById(ids[j]) : null;
      if (sentence) { sentence.classList.add('active'); if (!first) { first = sentence; } }
    }
    if (first) { first.scrollIntoView({block: 'center'}); first.focus({preventScroll: true}); }
  }
  document.addEventListener('click', function (event) {
    var control = event.target.closest('[data-targets]');
    if (control) { event.stopPropagation(); show(control); }
  }, true);
  document.addEventListener('keydown', function (event) {
    var control = event.target.closest && event.target.closest('li[data-targets]');
    if (control && (event.key === 'Enter' || event.key === ' ')) { event.preventDefault(); show(control); }
  });
})();
""".strip()


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def content_security_policy() -> str:
    """Nothing may load or run but the page's own style and script."""
    return (f"default-src 'none'; style-src {_sha256(REVIEW_STYLE)}; script-src {_sha256(REVIEW_SCRIPT)}; "
            "img-src 'none'; base-uri 'none'; form-action 'none'")


def sentence_id(source: int, sentence: int) -> str:
    """The id of a source sentence on the page."""
    return f"s-{source}-{sentence}"


class SentenceRef(Protocol):
    """A source sentence named by its source and index: a `Citation`, or a check's `Evidence`."""

    @property
    def source(self) -> int: ...

    @property
    def sentence(self) -> int: ...


def targets(sentences: Iterable[SentenceRef]) -> str:
    """The `data-targets` of a control: the ids of the sentences it points at."""
    return " ".join(dict.fromkeys(sentence_id(s.source, s.sentence) for s in sentences))
