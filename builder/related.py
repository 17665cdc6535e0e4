"""Related questions: for each entry, the few others a reader studying it would open next; and for each
topic, its nearest topics ("See also"). Part of the link stage (``builder/link.py`` calls it).

Built from what entries are about, never from their words ("how do you", "deployment" and "multi"
are shared by questions with nothing in common):

* **Concepts.** An entry is a bag of glossary terms: those its question names (weight
  ``QUESTION_WEIGHT``), those the glossary lists as related to them (``NEIGHBOUR_WEIGHT``: "LoRA" is
  near "QLoRA" and "PEFT"), those its key points name (``KEY_POINT_WEIGHT``), those its answers name in
  prose (``ANSWER_WEIGHT``), and its topic (``TOPIC_WEIGHT``). Generic terms, the handbook's subject
  itself (``data/related.yml``: LLM, Transformer…), are left out. Weights are TF-IDF, rows L2-normalised,
  similarity the cosine, computed a block of rows at a time so memory grows with the entries.
* **Anchors.** Two entries are related only if their questions share a concept, directly or through
  the glossary's related terms; a concept that more than ``BROAD_SHARE`` of the questions name
  ("quantization", "RAG") is too broad to anchor anything. An entry whose question names no concept
  has no related questions: scoring alone linked entries that merely mention the same things.
* **Comparisons link what they compare.** "Static vs dynamic quantization" links "What is static
  quantization?" and "What is dynamic quantization?" first, found by the subject of their question.
* **Choice.** Each entry keeps up to ``MAX_RELATED`` others scoring at least ``MIN_SCORE`` and at least
  ``KEEP_RATIO`` of its best; no entry is related to more than ``MAX_INCOMING`` others, so a vague
  question cannot become everyone's neighbour. Links are given out best pair first over the whole
  handbook; scores are compared rounded to ``DECIMALS`` and ties go to reading order, so the result
  is deterministic.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Mapping, Sequence

import numpy as np

from builder.glossary import TermMatcher
from builder.model import Entry, Term
from builder.prose import prose_mentions, prose_text
from builder.yamlio import load_yaml_file

RELATED_DATA = Path(__file__).resolve().parent / "data" / "related.yml"

QUESTION_WEIGHT = 3.0
NEIGHBOUR_WEIGHT = 1.0
KEY_POINT_WEIGHT = 1.0
ANSWER_WEIGHT = 0.5
TOPIC_WEIGHT = 1.0
BROAD_SHARE = 0.01
BROAD_MIN = 5
"""A concept named by more than ``BROAD_SHARE`` of the questions, and by more than ``BROAD_MIN`` of them,
is too broad to anchor a link."""
MIN_SCORE = 0.15
KEEP_RATIO = 0.5
MAX_RELATED = 5
MAX_INCOMING = 8
CANDIDATES = 3 * MAX_RELATED
"""Best cells kept per row before links are given out (enough to replace those whose target is full)."""
SEE_ALSO = 3
BLOCK_CELLS = 1 << 18
"""Similarity cells computed at a time (2 MB), so the n × n matrix never exists whole."""
DECIMALS = 9
"""Scores are ranked rounded to this many decimals, so summation order never changes a ranking."""


def load_generic(path: Path = RELATED_DATA) -> frozenset[str]:
    raw = load_yaml_file(path) or {}
    return frozenset(str(s) for s in raw.get("generic") or ())


# --------------------------------------------------------------------------- concepts


@dataclass(frozen=True)
class Concepts:
    """What each entry is about: its weighted concepts (the features of its vector), the concepts its
    question anchors a link on, and its topic."""

    documents: tuple[Counter[str], ...]
    anchors: tuple[frozenset[str], ...]
    topics: tuple[str, ...]


def entry_concepts(
    entries: Sequence[Entry],
    topics: Sequence[str],
    matcher: TermMatcher,
    terms: Sequence[Term],
    key_points: Mapping[str, Sequence[str]],
    generic: frozenset[str],
) -> Concepts:
    """Each entry's concepts (see the module docstring); ``topics`` is each entry's topic slug."""
    neighbours = {t.slug: t.related for t in terms}
    asked = [
        frozenset(matcher.slugs_in(prose_text(" ".join((e.question, *e.variants))))) - generic for e in entries
    ]
    named = Counter(slug for slugs in asked for slug in slugs)
    broad = {slug for slug, count in named.items() if count > max(BROAD_MIN, BROAD_SHARE * len(entries))}
    documents, anchors = [], []
    for entry, topic, question in zip(entries, topics, asked):
        doc: Counter[str] = Counter()
        anchor = set(question - broad)
        for slug in question:
            doc[slug] += QUESTION_WEIGHT
            for near in neighbours.get(slug, ()):
                if near not in generic:
                    doc[near] += NEIGHBOUR_WEIGHT
                    if slug not in broad and near not in broad:
                        anchor.add(near)
        for slug in set(matcher.slugs_in(" ".join(key_points.get(entry.id, ())))) - generic:
            doc[slug] += KEY_POINT_WEIGHT
        for slug in {m.slug for item in entry.items for m in prose_mentions(item.answer, matcher)} - generic:
            doc[slug] += ANSWER_WEIGHT
        doc[f"topic:{topic}"] += TOPIC_WEIGHT
        documents.append(doc)
        anchors.append(frozenset(anchor))
    return Concepts(tuple(documents), tuple(anchors), tuple(topics))


@dataclass(frozen=True)
class SparseRows:
    """A sparse matrix as its nonzero cells, sorted by row: cell ``c`` is ``values[c]`` at
    (``rows[c]``, ``columns[c]``)."""

    rows: np.ndarray  # int64, ascending
    columns: np.ndarray  # int64
    values: np.ndarray  # float64
    height: int
    width: int

    def toarray(self) -> np.ndarray:
        dense = np.zeros((self.height, self.width))
        dense[self.rows, self.columns] = self.values
        return dense


def tfidf(documents: Sequence[Mapping[str, float]]) -> SparseRows:
    """Rows of weight × smoothed IDF, L2-normalised; features (columns) in sorted order so they are
    stable. A feature found in one document only links nothing and is dropped."""
    n = len(documents)
    df: Counter[str] = Counter(f for doc in documents for f in doc)
    features = sorted(f for f, d in df.items() if d >= 2)
    column = {f: j for j, f in enumerate(features)}
    idf = np.log((n + 1) / (np.array([df[f] for f in features], dtype=float) + 1)) + 1.0
    rows = np.repeat(np.arange(n, dtype=np.int64), [len(doc) for doc in documents])
    columns = np.array([column.get(f, -1) for doc in documents for f in doc], dtype=np.int64)
    weights = np.array([w for doc in documents for w in doc.values()], dtype=float)
    kept = columns >= 0
    rows, columns = rows[kept], columns[kept]
    values = weights[kept] * idf[columns]
    norms = np.sqrt(np.bincount(rows, weights=values**2, minlength=n))
    return SparseRows(rows, columns, values / norms[rows], n, len(features))


def _ranges(starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """``arange(s, s + l)`` for each start and length, one after another."""
    ends = np.cumsum(lengths)
    return np.repeat(starts - (ends - lengths), lengths) + np.arange(ends[-1] if len(ends) else 0)


def similarity_blocks(vectors: SparseRows, max_cells: int) -> Iterator[tuple[int, np.ndarray]]:
    """``vectors · vectorsᵀ`` as (first row, its block of rows, dense), consecutive blocks of at most
    ``max_cells`` cells (or one row): only the features two rows share cost anything."""
    n = vectors.height
    by_column = np.argsort(vectors.columns, kind="stable")  # the same cells by feature: the rows that have it
    column_rows, column_values = vectors.rows[by_column], vectors.values[by_column]
    column_start = np.concatenate(([0], np.cumsum(np.bincount(vectors.columns, minlength=vectors.width))))
    row_start = np.searchsorted(vectors.rows, np.arange(n + 1))
    step = max(1, max_cells // max(n, 1))
    for first in range(0, n, step):
        last = min(n, first + step)
        cells = slice(row_start[first], row_start[last])
        features = vectors.columns[cells]
        sharing = column_start[features + 1] - column_start[features]
        others = _ranges(column_start[features], sharing)
        where = np.repeat((vectors.rows[cells] - first) * n, sharing) + column_rows[others]
        products = np.repeat(vectors.values[cells], sharing) * column_values[others]
        sums = np.bincount(where, weights=products, minlength=(last - first) * n).astype(float, copy=False)
        yield first, sums.reshape(last - first, n)


# --------------------------------------------------------------------------- comparisons

_WHAT = re.compile(r"^(?:what\s+(?:is|are)|explain|define|describe)\s+(?:the\s+|an?\s+)?", re.I)
_VERSUS = re.compile(r"^(?P<a>.+?)\s+(?:vs\.?|versus)\s+(?P<b>.+)$", re.I)
_BETWEEN = re.compile(r"^(?:what\s+is\s+)?(?:the\s+)?differences?\s+between\s+(?P<a>.+?)\s+and\s+(?P<b>.+)$", re.I)


def subject(question: str) -> str:
    """What a "What is X?" question asks about, folded: ``What is "Static" quantization?`` → ``static quantization``."""
    text = re.sub(r"\([^)]*\)", " ", question)  # an acronym or example in parentheses
    text = _WHAT.sub("", text.strip())
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


def compared(question: str) -> tuple[str, str] | None:
    """The two things a comparison question compares, as subjects, or None.

    "Static and Dynamic quantization" shares its last words: each side is given them
    ("static quantization", "dynamic quantization")."""
    text = re.sub(r"\([^)]*\)", " ", question).strip().rstrip("?.")
    text = _WHAT.sub("", text)
    m = _BETWEEN.match(text) or _VERSUS.match(text)
    if m is None:
        return None
    a, b = subject(m.group("a")), subject(m.group("b"))
    a_words, b_words = a.split(), b.split()
    if len(a_words) == 1 and len(b_words) > 1:
        a = " ".join([a, *b_words[1:]])
    elif len(b_words) == 1 and len(a_words) > 1:
        b = " ".join([b, *a_words[1:]])
    return (a, b) if a and b and a != b else None


def comparison_targets(entries: Sequence[Entry]) -> dict[int, list[int]]:
    """For each comparison question, the entries asking "What is X?" of each thing it compares."""
    by_subject: dict[str, int] = {}
    for j, entry in enumerate(entries):
        for wording in (entry.question, *entry.variants):
            if compared(wording) is None:
                by_subject.setdefault(subject(wording), j)
    targets: dict[int, list[int]] = {}
    for i, entry in enumerate(entries):
        for wording in (entry.question, *entry.variants):
            sides = compared(wording)
            if sides:
                found = [by_subject[s] for s in sides if s in by_subject and by_subject[s] != i]
                targets.setdefault(i, [])
                targets[i] += [j for j in found if j not in targets[i]]
    return {i: js for i, js in targets.items() if js}


# --------------------------------------------------------------------------- choice


def _candidates(vectors: SparseRows) -> list[tuple[float, int, int]]:
    """(rounded score, row, column) of each row's best cells at or above ``MIN_SCORE``, never itself."""
    out: list[tuple[float, int, int]] = []
    for first, block in similarity_blocks(vectors, BLOCK_CELLS):
        scores = np.round(block, DECIMALS)
        scores[np.arange(len(scores)), np.arange(first, first + len(scores))] = 0.0
        for r, row in enumerate(scores):
            best = np.flatnonzero(row >= MIN_SCORE)
            best = best[np.lexsort((best, -row[best]))][:CANDIDATES] if len(best) else best
            out += [(float(row[j]), first + r, int(j)) for j in best]
    return out


def _anchored(concepts: Concepts, i: int, j: int) -> bool:
    """Whether ``j`` may be related to ``i``: their questions share a concept."""
    return bool(concepts.anchors[i] & concepts.anchors[j])


def related_entries(entries: Sequence[Entry], concepts: Concepts, vectors: SparseRows) -> list[list[int]]:
    """Each entry's related entries, best first (see the module docstring)."""
    comparisons = comparison_targets(entries)
    related: list[list[int]] = [list(comparisons.get(i, ())) for i in range(len(entries))]
    incoming: Counter[int] = Counter(j for row in related for j in row)
    best: dict[int, float] = {}
    for score, i, j in sorted(_candidates(vectors), key=lambda c: (-c[0], c[1], c[2])):
        row = related[i]
        if len(row) >= MAX_RELATED or j in row or incoming[j] >= MAX_INCOMING or not _anchored(concepts, i, j):
            continue
        if score < KEEP_RATIO * best.setdefault(i, score):
            continue
        row.append(j)
        incoming[j] += 1
    return related


def nearest_topics(vectors: SparseRows, topic_index: Sequence[int], n_topics: int) -> list[list[int]]:
    """For each topic, the ``SEE_ALSO`` topics whose mean entry vectors are closest."""
    sums = np.zeros((n_topics, vectors.width))
    np.add.at(sums, (np.asarray(topic_index)[vectors.rows], vectors.columns), vectors.values)
    norms = np.linalg.norm(sums, axis=1, keepdims=True)
    centroids = np.divide(sums, norms, out=np.zeros_like(sums), where=norms > 0)  # the normalised mean
    similarity = np.round(centroids @ centroids.T, DECIMALS)
    out = []
    for t in range(n_topics):
        others = np.array([k for k in range(n_topics) if k != t and similarity[t, k] > 0], dtype=int)
        out.append([int(k) for k in others[np.lexsort((others, -similarity[t, others]))]][:SEE_ALSO] if len(others) else [])
    return out
