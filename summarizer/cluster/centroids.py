"""The events' centroids as articles join them: the cosine of an article with every event so far.

An event's centroid is the sum of its members' unit vectors made unit length, and an article's
cosine with it is its dot product with that sum over the sum's norm. Two ways to keep that, by the
kind of vectors (`centroids_for`):

- dense rows (MiniLM, 384 numbers an article): the sums in one matrix, one row updated per article;
- sparse rows (TF-IDF over a feed's whole vocabulary, hundreds of thousands of columns): a dense
  matrix of those would take gigabytes (2,500 articles already took 790 MB), so the sums are never
  built. An article's dot with an event's sum is the sum of its dots with the event's members,
  which one sparse product over the columns of its own terms gives for all articles at once (its
  cost is the articles that share a term with it, not all of them), and each sum's squared norm is
  kept exactly as members join: |s + v|^2 = |s|^2 + 2 s.v + |v|^2.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any

import numpy as np

__all__ = ["Centroids", "centroids_for"]


class Centroids(ABC):
    """The events so far, each a set of articles, and the cosine of an article with each."""

    def __init__(self) -> None:
        self.members: list[list[int]] = []

    @abstractmethod
    def cosines(self, article: int) -> np.ndarray:
        """The cosine of `article` with the centroid of each event so far (in the events' order)."""

    @abstractmethod
    def add(self, article: int, event: int) -> None:
        """`article` joins `event`, or starts a new event when `event` is len(self.members)."""

    @abstractmethod
    def remove(self, article: int) -> int:
        """`article` leaves its event (which may be left empty); returns that event."""

    @abstractmethod
    def event_of(self, article: int) -> int:
        """The event `article` is in (-1 before it is placed)."""


class _DenseCentroids(Centroids):
    def __init__(self, vectors: np.ndarray) -> None:
        super().__init__()
        self._vectors = np.asarray(vectors, dtype=np.float64)
        capacity = min(len(self._vectors), 64)
        self._sums = np.zeros((capacity, self._vectors.shape[1]))
        self._centroids = np.zeros_like(self._sums)
        self._event_of = np.full(len(self._vectors), -1, dtype=np.int64)

    def cosines(self, article: int) -> np.ndarray:
        return self._centroids[: len(self.members)] @ self._vectors[article]

    def add(self, article: int, event: int) -> None:
        if event == len(self.members):
            self.members.append([article])
            if event == len(self._sums):  # room for twice as many events
                self._sums = np.vstack([self._sums, np.zeros_like(self._sums)])
                self._centroids = np.vstack([self._centroids, np.zeros_like(self._centroids)])
            self._sums[event] = self._vectors[article]
        else:
            self.members[event].append(article)
            self._sums[event] = self._sums[event] + self._vectors[article]
        self._event_of[article] = event
        self._normalise(event)

    def remove(self, article: int) -> int:
        event = int(self._event_of[article])
        self._event_of[article] = -1
        self.members[event].remove(article)
        self._sums[event] = self._sums[event] - self._vectors[article] if self.members[event] else 0.0
        self._normalise(event)
        return event

    def event_of(self, article: int) -> int:
        return int(self._event_of[article])

    def _normalise(self, event: int) -> None:
        # Only the row of the event an article joined or left changes, so only it is normalised again.
        row = self._sums[event : event + 1]
        self._centroids[event] = row / np.maximum(np.linalg.norm(row, axis=1, keepdims=True), 1e-12)


class _SparseCentroids(Centroids):
    def __init__(self, rows: Any) -> None:
        super().__init__()
        self._rows = rows.tocsr()
        self._columns = rows.tocsc()
        self._event_of = np.full(self._rows.shape[0], -1, dtype=np.int64)  # -1: not placed yet
        self._squared_norms: list[float] = []
        self._last: tuple[int, np.ndarray] | None = None  # the article's dots with each event, for add()

    def _dots(self, article: int) -> np.ndarray:
        start, end = self._rows.indptr[article], self._rows.indptr[article + 1]
        terms, weights = self._rows.indices[start:end], self._rows.data[start:end]
        with_articles = np.asarray(self._columns[:, terms] @ weights).ravel()
        placed = self._event_of >= 0
        return np.bincount(self._event_of[placed], weights=with_articles[placed], minlength=len(self.members))

    def cosines(self, article: int) -> np.ndarray:
        dots = self._dots(article)
        self._last = (article, dots)
        norms = np.sqrt(np.maximum(np.asarray(self._squared_norms), 1e-24))
        return dots / norms if len(dots) else dots

    def add(self, article: int, event: int) -> None:
        dots = self._last[1] if self._last is not None and self._last[0] == article else self._dots(article)
        own = float(self._rows[article].multiply(self._rows[article]).sum())
        if event == len(self.members):
            self.members.append([article])
            self._squared_norms.append(own)
        else:
            self.members[event].append(article)
            self._squared_norms[event] += 2.0 * float(dots[event]) + own
        self._event_of[article] = event
        self._last = None

    def remove(self, article: int) -> int:
        event = int(self._event_of[article])
        dots = self._dots(article)  # its own dot with itself included: its event's sum still holds it
        own = float(self._rows[article].multiply(self._rows[article]).sum())
        self.members[event].remove(article)
        # |s - v|^2 = |s|^2 - 2 s.v + |v|^2; an event left empty has no sum at all.
        left = self._squared_norms[event] - 2.0 * float(dots[event]) + own
        self._squared_norms[event] = left if self.members[event] else 0.0
        self._event_of[article] = -1
        self._last = None
        return event

    def event_of(self, article: int) -> int:
        return int(self._event_of[article])


def centroids_for(vectors: Any) -> Centroids:
    """The bookkeeping that suits the vectors: sparse rows stay sparse."""
    return _SparseCentroids(vectors) if hasattr(vectors, "tocsc") else _DenseCentroids(vectors)
