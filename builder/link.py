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
    the page's own neighbour is much closer than anything elsewhere. An entry gets ``MIN_RELATED``–``MAX_RELATED`` of them: the
    best three, then more while they stay within ``KEEP_RATIO`` of the best. Ties go to reading
    order, so the result never depends on floating-point noise or input hashing. The vectors are
    sparse and the similarities are computed a block of rows at a time, each row keeping only its
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
from itertools import chain, repeat
from typing import Sequence

from pathlib import Path

import numpy as np
import yaml
from scipy import sparse

from builder.glossary import GLOSSARY, TermMatcher, load_glossary, matcher_for
from builder.model import Entry, Links, Problem, Section, Term
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

BLOCK_CELLS = 1 << 21
"""Similarity cells computed at a time (16 MB): a block of rows against every entry, so the n × n matrix
never exists whole and memory grows linearly with the entries."""
ROUNDING_MARGIN = 1e-8
"""Wider than any change rounding to 9 decimals makes to a score."""

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


def _tfidf(documents: Sequence[Counter[str]], max_fraction: float) -> sparse.csr_matrix:
    """Rows of sublinear TF × smoothed IDF, L2-normalised; features sorted so columns are stable.

    Sparse: an entry uses a few dozen of the thousands of features, so memory grows with the corpus,
    not with its square. The (document, feature) cells are laid out once in flat arrays; the logarithms
    come from ``math.log`` (one per distinct count and feature), so every weight is the same double a
    cell-by-cell loop gives."""
    n = len(documents)
    keys = list(chain.from_iterable(documents))
    df: Counter[str] = Counter(keys)
    limit = max(1.0, max_fraction * n)
    features = sorted(f for f, d in df.items() if d >= 2 and d <= limit)
    column = {f: j for j, f in enumerate(features)}
    idf = np.array([math.log((n + 1) / (df[f] + 1)) + 1.0 for f in features], dtype=float)
    columns = np.fromiter(map(column.get, keys, repeat(-1)), dtype=np.int64, count=len(keys))
    counts = np.fromiter(chain.from_iterable(map(Counter.values, documents)), dtype=np.int64, count=len(keys))
    rows = np.repeat(np.arange(n, dtype=np.int64), [len(doc) for doc in documents])
    kept = columns >= 0
    rows, columns, counts = rows[kept], columns[kept], counts[kept]
    order = np.lexsort((columns, rows))  # a row's features are distinct: by row, then column
    rows, columns, counts = rows[order], columns[order], counts[order]
    distinct = np.unique(counts)
    sublinear = np.array([1.0 + math.log(int(tf)) for tf in distinct], dtype=float)
    data = sublinear[np.searchsorted(distinct, counts)] * idf[columns]
    indptr = np.concatenate(([0], np.cumsum(np.bincount(rows, minlength=n)))).astype(np.int64)
    matrix = sparse.csr_matrix((data, columns.astype(np.int32), indptr), shape=(n, len(features)))
    return _normalised(matrix)


def _normalised(matrix: sparse.spmatrix) -> sparse.csr_matrix:
    """Rows scaled to unit L2 norm (an empty row stays empty)."""
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    scale = np.divide(1.0, norms, out=np.zeros_like(norms), where=norms > 0)
    return sparse.csr_matrix(sparse.diags(scale) @ matrix)


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
    picked = candidates[scores[candidates] > 1e-9]
    # Rounding keeps floating-point noise from reordering equal scores.
    return [int(j) for j in picked[np.lexsort((picked, -np.round(scores[picked], 9)))]]


_POSITIVE = float(np.nextafter(1e-9, 1.0))
"""The least score that counts: anything at or below 1e-9 is no similarity at all."""


def _top_cells(scores: np.ndarray, count: int) -> tuple[np.ndarray, np.ndarray]:
    """Per row of ``scores``, its best ``count`` cells above 1e-9 in ``_ranked``'s order: rounded score
    down, ties in reading order. Returns (rows, columns) sorted by row, then that order.

    Only the cells within a hair of each row's ``count``-th best score are rounded and sorted: rounding
    never reorders two scores (it is monotone), so every cell of the exact top ``count`` is among them."""
    n = scores.shape[1]
    threshold = np.full(scores.shape[0], _POSITIVE)
    if n > count:
        kth = np.partition(scores, n - count, axis=1)[:, n - count]
        threshold = np.maximum(kth - ROUNDING_MARGIN, threshold)
    rows, columns = np.nonzero(scores >= threshold[:, None])
    order = np.lexsort((columns, -np.round(scores[rows, columns], 9), rows))
    rows, columns = rows[order], columns[order]
    first = np.searchsorted(rows, rows, side="left")  # where each cell's row starts
    keep = np.arange(len(rows)) - first < count
    return rows[keep], columns[keep]


def _runs(values: np.ndarray) -> dict[int, list[slice]]:
    """For each value, the slices of ``values`` where it runs (one per topic when entries come by topic)."""
    edges = np.flatnonzero(np.diff(values)) + 1
    starts = np.concatenate(([0], edges)).tolist()
    ends = np.concatenate((edges, [len(values)])).tolist()
    out: dict[int, list[slice]] = {}
    for start, end in zip(starts, ends):
        out.setdefault(int(values[start]), []).append(slice(start, end))
    return out


def _related_rows(similarity: np.ndarray, first: int, topics: np.ndarray) -> list[list[int]]:
    """Related entries of the rows ``first``, ``first + 1`` … whose similarities to every entry are the
    rows of ``similarity`` (a block of the whole matrix's rows; overwritten)."""
    block = similarity.shape[0]
    scores = similarity
    columns_of = _runs(topics)
    for topic, row_runs in _runs(topics[first : first + block]).items():
        for rows in row_runs:
            for columns in columns_of[topic]:
                scores[rows, columns] *= SAME_TOPIC_FACTOR
    scores[np.arange(block), np.arange(first, first + block)] = -np.inf  # never itself
    cell_rows, cell_columns = _top_cells(scores, MAX_RELATED)
    bounds = np.searchsorted(cell_rows, np.arange(block + 1)).tolist()
    out: list[list[int]] = []
    for r in range(block):
        ranked = cell_columns[bounds[r] : bounds[r + 1]].tolist()
        if not ranked:
            out.append([])
            continue
        best = scores[r, ranked[0]]
        out.append(ranked[:MIN_RELATED] + [j for j in ranked[MIN_RELATED:] if scores[r, j] >= KEEP_RATIO * best])
    return out


def related_indices(similarity: np.ndarray, topic_index: Sequence[int]) -> list[list[int]]:
    """For each row, 3–5 other rows, best first, entries of other topics preferred (see the module docstring)."""
    return _related_rows(np.array(similarity, dtype=float), 0, np.asarray(topic_index))


def related_of_vectors(vectors: sparse.csr_matrix, topic_index: Sequence[int]) -> list[list[int]]:
    """``related_indices`` of the cosine similarity of the (L2-normalised) rows, computed by row blocks."""
    n = vectors.shape[0]
    topics = np.asarray(topic_index)
    transposed = vectors.T.tocsr()
    step = max(1, BLOCK_CELLS // max(n, 1))
    out: list[list[int]] = []
    for first in range(0, n, step):
        block = (vectors[first : first + step] @ transposed).toarray()
        out += _related_rows(block, first, topics)
    return out


def nearest_topics(vectors: np.ndarray | sparse.spmatrix, topic_index: Sequence[int], n_topics: int) -> list[list[int]]:
    """For each topic, the ``SEE_ALSO`` topics whose mean entry vectors are closest."""
    topics = np.asarray(topic_index, dtype=np.int64)
    n = len(topics)
    # Sparse products throughout: a dense one goes to the threaded BLAS, whose threads spend more CPU
    # waking up than this small product needs.
    membership = sparse.csr_matrix((np.ones(n), (topics, np.arange(n))), shape=(n_topics, n))
    # The normalised sum points where the normalised mean does.
    centroids = _normalised(membership @ sparse.csr_matrix(vectors))
    similarity = (centroids @ centroids.T).toarray()
    return [[j for j in _ranked(similarity[t], np.array([k for k in range(n_topics) if k != t], dtype=int))][:SEE_ALSO]
            for t in range(n_topics)]


def read_glossary(path: Path = GLOSSARY) -> tuple[tuple[Term, ...], list[Problem]]:
    """The glossary; or none and a problem when its file cannot be read, so the build goes on without
    term links instead of stopping with a traceback."""
    try:
        return load_glossary(path), []
    except (OSError, UnicodeDecodeError, yaml.YAMLError, KeyError, TypeError, AttributeError) as err:
        # Where the broken construct began (an unclosed bracket's line), else where YAML gave up.
        mark = getattr(err, "context_mark", None) or getattr(err, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        where = path.relative_to(Path.cwd()).as_posix() if path.is_relative_to(Path.cwd()) else str(path)
        message = f"the glossary could not be read ({type(err).__name__}: {' '.join(str(err).split())}); no term links"
        return (), [Problem(where, line, message)]


def link(sections: Sequence[Section], terms: Sequence[Term], matcher: TermMatcher | None = None) -> Links:
    """Terms per entry, entries per term, related entries per entry, nearest topics per topic."""
    matcher = matcher or matcher_for(tuple(terms))
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
        vectors = sparse.hstack([words * math.sqrt(1 - CONCEPT_WEIGHT), concepts * math.sqrt(CONCEPT_WEIGHT)], format="csr")
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
