"""The link stage: which glossary terms each entry discusses, which entries are related, which topics
are near each other. A pure function of the classified sections and the glossary.

Terms
    A term counts for an entry when its question or the prose of one of its answers names it
    (``builder.prose.prose_mentions``, so a name in code, math, a URL or a link does not count).
    ``answer_terms`` holds what the answers name, found by the same function the topic pages use to
    place term links: exactly the terms that get a link. ``entries_of_term`` ranks the entries that discuss
    a term: questions naming it first, then by how often the answers name it, then reading order.

Related entries
    Each entry is a vector of two equally weighted, separately L2-normalised parts: TF-IDF of its
    words (question words count ``QUESTION_WEIGHT`` times) and TF-IDF of the glossary terms it
    names. Cosine similarity ranks the other entries; an entry of the same topic (on the same page
    already) counts only ``SAME_TOPIC_FACTOR`` of its similarity, so links lead to other pages unless
    the page's own neighbour is much closer than anything elsewhere. An entry gets
    ``MIN_RELATED``–``MAX_RELATED`` of them: the best three, then more while they stay within
    ``KEEP_RATIO`` of the best. Scores are compared rounded to ``DECIMALS`` decimals and ties go to
    reading order, so the result never depends on floating-point noise or input hashing. The vectors
    are sparse and the similarities are computed a block of rows at a time, each row keeping only its
    best cells, so memory grows linearly with the number of entries.

See also
    A topic's vector is the normalised mean of its entries' vectors; its nearest ``SEE_ALSO``
    topics by cosine are its "See also".
"""

from __future__ import annotations

import logging
import math
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Sequence

import numpy as np

from builder.glossary import TermMatcher
from builder.model import Entry, Links, Section, Term
from builder.prose import prose_mentions, prose_text

log = logging.getLogger(__name__)

MIN_RELATED = 3
MAX_RELATED = 5
KEEP_RATIO = 0.8
"""A 4th or 5th related entry is kept only if it scores at least this fraction of the best one."""
QUESTION_WEIGHT = 3
"""A word of the question counts as often as this many words of the answers."""
MAX_DOCUMENT_FRACTION = 0.3
"""Words found in more than this fraction of entries say nothing about relatedness; dropped."""
SAME_TOPIC_FACTOR = 0.4
"""Similarity to an entry of the same topic (the same page) counts this much: other pages come first
unless the best match elsewhere is far weaker (a forced link to another topic is often noise)."""
SEE_ALSO = 3
CONCEPT_WEIGHT = 0.5
"""Share of the similarity that comes from shared glossary terms; the rest comes from shared words."""

BLOCK_CELLS = 1 << 18
"""Similarity cells computed at a time (2 MB): a block of rows against every entry, so the n × n matrix
never exists whole and memory grows linearly with the entries."""
DECIMALS = 9
"""Scores are ranked rounded to this many decimals, so the order in which a similarity's products are
summed (which moves its last bits) never changes a ranking: equal scores tie and go to reading order."""

_WORD = re.compile(r"[a-z][a-z0-9]{2,}")


def _entry_terms(entry: Entry, matcher: TermMatcher, question_prose: str) -> tuple[tuple[str, ...], Counter[str], tuple[str, ...]]:
    """Terms its question names, how often its answers' prose names each, and the latter in order."""
    in_question = tuple(matcher.slugs_in(question_prose))
    counts: Counter[str] = Counter()
    order: list[str] = []
    for item in entry.items:
        mentions = [m.slug for m in prose_mentions(item.answer, matcher)]
        counts.update(mentions)
        order.extend(mentions)
    return in_question, counts, tuple(dict.fromkeys(order))


@dataclass(frozen=True)
class SparseRows:
    """A sparse matrix as its nonzero cells, sorted by row: cell ``c`` is ``values[c]`` at
    (``rows[c]``, ``columns[c]``). An entry uses a few dozen of the thousands of features, so memory grows
    with the corpus, not with its square."""

    rows: np.ndarray  # int64, ascending
    columns: np.ndarray  # int64
    values: np.ndarray  # float64
    height: int
    width: int

    def toarray(self) -> np.ndarray:
        dense = np.zeros((self.height, self.width))
        dense[self.rows, self.columns] = self.values
        return dense


def _tfidf(documents: Sequence[Counter[str]], max_fraction: float) -> SparseRows:
    """Rows of sublinear TF × smoothed IDF, L2-normalised; features (columns) in sorted order so they are
    stable. A feature found in one document only, or in more than ``max_fraction`` of them, is dropped."""
    n = len(documents)
    df: Counter[str] = Counter(f for doc in documents for f in doc)
    limit = max(1.0, max_fraction * n)
    features = sorted(f for f, d in df.items() if 2 <= d <= limit)
    column = {f: j for j, f in enumerate(features)}
    idf = np.log((n + 1) / (np.array([df[f] for f in features], dtype=float) + 1)) + 1.0
    rows = np.repeat(np.arange(n, dtype=np.int64), [len(doc) for doc in documents])
    columns = np.array([column.get(f, -1) for doc in documents for f in doc], dtype=np.int64)
    counts = np.array([tf for doc in documents for tf in doc.values()], dtype=float)
    kept = columns >= 0
    rows, columns = rows[kept], columns[kept]
    values = (1.0 + np.log(counts[kept])) * idf[columns]
    return _normalised(SparseRows(rows, columns, values, n, len(features)))


def _normalised(matrix: SparseRows) -> SparseRows:
    """Rows scaled to unit L2 norm (an empty row stays empty)."""
    norms = np.sqrt(np.bincount(matrix.rows, weights=matrix.values**2, minlength=matrix.height))
    return SparseRows(matrix.rows, matrix.columns, matrix.values / norms[matrix.rows], matrix.height, matrix.width)


def _side_by_side(parts: Sequence[tuple[SparseRows, float]]) -> SparseRows:
    """Each part times its weight, placed side by side: a later part's columns come after an earlier part's."""
    offsets = np.cumsum([0] + [matrix.width for matrix, _ in parts])
    rows = np.concatenate([matrix.rows for matrix, _ in parts])
    order = np.argsort(rows, kind="stable")
    return SparseRows(
        rows[order],
        np.concatenate([matrix.columns + offset for (matrix, _), offset in zip(parts, offsets)])[order],
        np.concatenate([matrix.values * weight for matrix, weight in parts])[order],
        parts[0][0].height,
        int(offsets[-1]),
    )


def _ranges(starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """``arange(s, s + l)`` for each start and length, one after another."""
    ends = np.cumsum(lengths)
    return np.repeat(starts - (ends - lengths), lengths) + np.arange(ends[-1] if len(ends) else 0)


def similarity_blocks(vectors: SparseRows, max_cells: int) -> Iterator[tuple[int, np.ndarray]]:
    """``vectors · vectorsᵀ`` as (first row, its block of rows, dense), consecutive blocks of at most
    ``max_cells`` cells (or one row), so the n × n matrix never exists whole.

    A block is the sum of the products of its rows' cells with the cells of every row that has the same
    feature: only features two rows share cost anything."""
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
        sharing = column_start[features + 1] - column_start[features]  # the rows with each cell's feature
        others = _ranges(column_start[features], sharing)
        where = np.repeat((vectors.rows[cells] - first) * n, sharing) + column_rows[others]
        products = np.repeat(vectors.values[cells], sharing) * column_values[others]
        sums = np.bincount(where, weights=products, minlength=(last - first) * n).astype(float, copy=False)  # int if empty
        yield first, sums.reshape(last - first, n)


def _word_counts(entry: Entry, question_prose: str) -> Counter[str]:
    counts: Counter[str] = Counter()
    question_words = _WORD.findall(question_prose.lower())
    for _ in range(QUESTION_WEIGHT):
        counts.update(question_words)
    for item in entry.items:
        counts.update(_WORD.findall(prose_text(item.answer).lower()))
    return counts


def _ranked(scores: np.ndarray, candidates: np.ndarray) -> list[int]:
    """Candidate indices with a positive score, best first, ties in reading order."""
    rounded = np.round(scores[candidates], DECIMALS)
    picked = rounded > 0
    return [int(j) for j in candidates[picked][np.lexsort((candidates[picked], -rounded[picked]))]]


def related_rows(similarity: np.ndarray, first: int, topics: np.ndarray) -> list[list[int]]:
    """Related entries of the rows ``first``, ``first + 1`` … whose similarities to every entry are the
    rows of ``similarity`` (a block of the whole matrix's rows; overwritten). ``topics`` is each entry's topic.

    Each row keeps its ``MAX_RELATED`` best cells: the cells at or above the row's ``MAX_RELATED``-th best
    rounded score (found by partition, not a full sort) are sorted by score, then reading order."""
    block, n = similarity.shape
    similarity[topics[first : first + block, None] == topics[None, :]] *= SAME_TOPIC_FACTOR
    scores = np.round(similarity, DECIMALS, out=similarity)
    scores[np.arange(block), np.arange(first, first + block)] = 0.0  # never itself
    threshold = np.full((block, 1), np.finfo(float).tiny)  # a score that rounds to 0 is no similarity
    if n > MAX_RELATED:
        threshold = np.maximum(threshold, np.partition(scores, n - MAX_RELATED, axis=1)[:, n - MAX_RELATED, None])
    rows, columns = np.nonzero(scores >= threshold)
    order = np.lexsort((columns, -scores[rows, columns], rows))
    rows, columns = rows[order], columns[order]
    bounds = np.searchsorted(rows, np.arange(block + 1)).tolist()
    out: list[list[int]] = []
    for r in range(block):
        ranked = columns[bounds[r] : bounds[r + 1]][:MAX_RELATED].tolist()
        best = scores[r, ranked[0]] if ranked else 0.0
        out.append(ranked[:MIN_RELATED] + [j for j in ranked[MIN_RELATED:] if scores[r, j] >= KEEP_RATIO * best])
    return out


def related_of_vectors(vectors: SparseRows, topic_index: Sequence[int]) -> list[list[int]]:
    """``related_rows`` of the cosine similarity of the (L2-normalised) rows, computed by row blocks."""
    topics = np.asarray(topic_index)
    return [row for first, block in similarity_blocks(vectors, BLOCK_CELLS) for row in related_rows(block, first, topics)]


def nearest_topics(vectors: SparseRows, topic_index: Sequence[int], n_topics: int) -> list[list[int]]:
    """For each topic, the ``SEE_ALSO`` topics whose mean entry vectors are closest."""
    sums = np.zeros((n_topics, vectors.width))
    np.add.at(sums, (np.asarray(topic_index)[vectors.rows], vectors.columns), vectors.values)
    norms = np.linalg.norm(sums, axis=1, keepdims=True)
    centroids = np.divide(sums, norms, out=np.zeros_like(sums), where=norms > 0)  # the normalised mean
    similarity = centroids @ centroids.T
    return [_ranked(similarity[t], np.array([k for k in range(n_topics) if k != t], dtype=int))[:SEE_ALSO] for t in range(n_topics)]


def link(sections: Sequence[Section], terms: Sequence[Term], matcher: TermMatcher) -> Links:
    """Terms per entry, entries per term, related entries per entry, nearest topics per topic
    (``matcher`` finds the glossary's ``terms`` in text)."""
    entries = [e for s in sections for e in s.entries]
    topic_index = [t for t, s in enumerate(sections) for _ in s.entries]

    answer_terms: dict[str, tuple[str, ...]] = {}
    question_terms: dict[str, tuple[str, ...]] = {}
    term_docs: list[Counter[str]] = []
    discussed: dict[str, list[tuple[int, int, int, str]]] = {}
    question_prose = [prose_text(e.question) for e in entries]
    for position, entry in enumerate(entries):
        in_question, counts, ordered = _entry_terms(entry, matcher, question_prose[position])
        answer_terms[entry.id] = ordered
        question_terms[entry.id] = tuple(slug for slug in in_question if slug not in counts)
        doc: Counter[str] = Counter(counts)
        for slug in in_question:
            doc[slug] += QUESTION_WEIGHT
        term_docs.append(doc)
        for slug in doc:
            discussed.setdefault(slug, []).append((0 if slug in in_question else 1, -counts[slug], position, entry.id))
    entries_of_term = {
        t.slug: tuple(entry_id for *_, entry_id in sorted(discussed[t.slug])) for t in terms if t.slug in discussed
    }

    if entries:
        # Term features are rarer than words, so they keep a looser document-frequency cap.
        words = _tfidf([_word_counts(e, q) for e, q in zip(entries, question_prose)], MAX_DOCUMENT_FRACTION)
        concepts = _tfidf(term_docs, 2 * MAX_DOCUMENT_FRACTION)
        vectors = _side_by_side([(words, math.sqrt(1 - CONCEPT_WEIGHT)), (concepts, math.sqrt(CONCEPT_WEIGHT))])
        related_rows = related_of_vectors(vectors, topic_index)
        near = nearest_topics(vectors, topic_index, len(sections))
    else:
        related_rows, near = [], [[] for _ in sections]

    related = {entries[i].id: tuple(entries[j].id for j in row) for i, row in enumerate(related_rows)}
    see_also = {s.topic.slug: tuple(sections[j].topic.slug for j in near[t]) for t, s in enumerate(sections)}
    short = sum(1 for row in related_rows if len(row) < MIN_RELATED)
    if short:
        log.info("%d entries have fewer than %d related entries (nothing else shares their words)", short, MIN_RELATED)
    return Links(
        terms=tuple(terms),
        answer_terms=answer_terms,
        question_terms=question_terms,
        entries_of_term=entries_of_term,
        related=related,
        see_also=see_also,
    )
