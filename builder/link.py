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

import bisect
import logging
import math
import re
from collections import Counter
from dataclasses import dataclass
from itertools import chain, repeat
from pathlib import Path
from typing import Iterator, Sequence

import numpy as np
import yaml

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
BLOCK_PRODUCTS = 1 << 17
"""Products listed at a time (``Gram``): the flat lists (four of 1 MB) stay in the CPU's cache; at 20x,
chunks of 64K to 256K products take the same time and chunks of 1M take 15% longer."""
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


@dataclass(frozen=True)
class SparseRows:
    """A sparse matrix by rows (CSR): row ``i``'s cells are ``indices`` (columns) and ``data`` (values)
    ``[indptr[i] : indptr[i + 1]]``. Cells keep the order they are stored in: it is the order a row's
    products are summed in (``Gram``), so it fixes every similarity to the last bit."""

    indptr: np.ndarray  # int64, one more than the rows
    indices: np.ndarray  # int64
    data: np.ndarray  # float64
    width: int  # columns

    @property
    def height(self) -> int:
        return len(self.indptr) - 1

    def row_of_cells(self) -> np.ndarray:
        return np.repeat(np.arange(self.height, dtype=np.int64), np.diff(self.indptr))

    def toarray(self) -> np.ndarray:
        dense = np.zeros((self.height, self.width))
        dense[self.row_of_cells(), self.indices] = self.data
        return dense


def _indptr(rows: np.ndarray, height: int) -> np.ndarray:
    """Row starts of cells sorted by row."""
    return np.concatenate(([0], np.cumsum(np.bincount(rows, minlength=height)))).astype(np.int64)


def _tfidf(documents: Sequence[Counter[str]], max_fraction: float) -> SparseRows:
    """Rows of sublinear TF × smoothed IDF, L2-normalised; features sorted so columns are stable, and
    each row's cells by column.

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
    distinct, _ = np.unique(counts, return_index=True)  # plain np.unique imports numpy.ma (10 ms)
    sublinear = np.array([1.0 + math.log(int(tf)) for tf in distinct], dtype=float)
    data = sublinear[np.searchsorted(distinct, counts)] * idf[columns]
    return _normalised(SparseRows(_indptr(rows, n), columns, data, len(features)))


def _normalised(matrix: SparseRows) -> SparseRows:
    """Rows scaled to unit L2 norm (an empty row stays empty), cells in the same order.

    A row's squares are summed by one ``np.add.reduceat`` segment in the row's cell order (as SciPy's
    row sums did, so the norms are the same doubles)."""
    sums = np.zeros(matrix.height)
    nonempty = np.flatnonzero(np.diff(matrix.indptr))
    if len(nonempty):
        sums[nonempty] = np.add.reduceat(matrix.data * matrix.data, matrix.indptr[nonempty])
    norms = np.sqrt(sums)
    scale = np.divide(1.0, norms, out=np.zeros_like(norms), where=norms > 0)
    return SparseRows(matrix.indptr, matrix.indices, np.repeat(scale, np.diff(matrix.indptr)) * matrix.data, matrix.width)


def _side_by_side(parts: Sequence[tuple[SparseRows, float]]) -> SparseRows:
    """Each part times its weight, placed side by side (a later part's columns come after an earlier
    part's); within a row the parts come in turn, each part's cells by descending column.

    That order is the one the similarities have always been summed in (SciPy's products stored a row's
    cells in reverse); keeping it keeps every score, and so every tie and every page, the same."""
    rows, columns, data, part_of = [], [], [], []
    offset = 0
    for number, (matrix, weight) in enumerate(parts):
        rows.append(matrix.row_of_cells())
        columns.append(matrix.indices + offset)
        data.append(matrix.data * weight)
        part_of.append(np.full(len(matrix.data), number))
        offset += matrix.width
    all_rows, all_columns = np.concatenate(rows), np.concatenate(columns)
    order = np.lexsort((-all_columns, np.concatenate(part_of), all_rows))
    return SparseRows(_indptr(all_rows, parts[0][0].height), all_columns[order], np.concatenate(data)[order], offset)


def _group_sums(matrix: SparseRows, groups: np.ndarray, n_groups: int) -> SparseRows:
    """Row ``g`` is the sum of the rows of group ``g``; its cells in the order the group's rows (in row
    order, each in its cell order) first name their columns, the order SciPy's product left them in.

    Each cell is summed one row at a time, in row order (``np.bincount`` adds its weights in turn).
    Dense over groups × columns: there are a few dozen groups (topics)."""
    keys = groups[matrix.row_of_cells()] * matrix.width + matrix.indices
    size = n_groups * matrix.width
    sums = np.bincount(keys, weights=matrix.data, minlength=size)
    first = np.full(size, len(keys))  # where each (group, column) is first named
    np.minimum.at(first, keys, np.arange(len(keys)))
    cells = np.flatnonzero(first < len(keys))
    cell_groups = cells // max(matrix.width, 1)
    cells = cells[np.lexsort((first[cells], cell_groups))]
    return SparseRows(_indptr(cell_groups, n_groups), cells % max(matrix.width, 1), sums[cells], matrix.width)


class Gram:
    """``vectors · vectorsᵀ``, computed a block of rows at a time as dense arrays.

    Cell (i, j) is the sum over row i's cells, in their stored order, of ``a[i, k] × a[j, k]``, added
    one at a time from 0.0: the same doubles SciPy's CSR product gave. Row i's products are listed flat
    in that order (each cell's feature against every row that has it) and ``np.add.at`` adds them to
    the row in turn.

    The flat lists are made a chunk of rows at a time, at most ``max_products`` long so they stay in
    the CPU's cache, in work arrays made once: allocating them for every chunk costs more in page faults
    (hundreds of thousands at 20x) than the arithmetic."""

    def __init__(self, vectors: SparseRows):
        self.vectors = vectors
        # The same matrix by columns: for each feature, the rows that have it, in row order.
        order = np.argsort(vectors.indices, kind="stable")
        self._run_starts = _indptr(vectors.indices[order], vectors.width)
        self._rows_with = vectors.row_of_cells()[order]
        self._values_with = vectors.data[order]
        self._products = np.diff(self._run_starts)[vectors.indices]  # of each cell: the rows its feature has
        self._products_before = np.concatenate(([0], np.cumsum(self._products)))[vectors.indptr].tolist()

    def rows(self, first: int, last: int) -> np.ndarray:
        """Rows ``first`` to ``last`` (excluded) of the product, dense."""
        out = np.zeros((last - first, self.vectors.height))
        self._add_products(first, last, out, _Work(self._products_before[last] - self._products_before[first]))
        return out

    def blocks(self, max_cells: int, max_products: int) -> Iterator[tuple[int, np.ndarray]]:
        """(first row, its block of rows) for consecutive blocks covering the whole product, each of at
        most ``max_cells`` cells (or one row) and overwritten by the next; made in chunks of rows of at
        most ``max_products`` products (or one row)."""
        n, before = self.vectors.height, self._products_before
        step = max(1, max_cells // max(n, 1))
        chunks = [0]  # row bounds of the chunks; a block's bounds are among them
        while chunks[-1] < n:
            first = chunks[-1]
            block_end = min(n, (first // step + 1) * step)
            within = bisect.bisect_right(before, before[first] + max_products, first + 1, block_end + 1) - 1
            chunks.append(max(first + 1, within))
        if n == 0:
            return
        work = _Work(max(before[b] - before[a] for a, b in zip(chunks, chunks[1:])))
        block = np.empty((min(step, n), n))
        for first in range(0, n, step):
            last = min(n, first + step)
            out = block[: last - first]
            out.fill(0.0)
            starts = chunks[bisect.bisect_left(chunks, first) : bisect.bisect_left(chunks, last) + 1]
            for a, b in zip(starts, starts[1:]):
                self._add_products(a, b, out[a - first : b - first], work)
            yield first, out

    def _add_products(self, first: int, last: int, out: np.ndarray, work: _Work) -> None:
        """Add rows ``first`` to ``last``'s products to the rows of ``out``."""
        lo, hi = int(self.vectors.indptr[first]), int(self.vectors.indptr[last])
        if lo == hi:
            return
        features = self.vectors.indices[lo:hi]
        products = self._products[lo:hi]  # never 0: a cell's own row has its feature
        ends = np.cumsum(products)
        total = int(ends[-1])
        # Where each product's other row is in the by-feature arrays: each cell's feature run in turn,
        # as steps summed up (1 within a run, a jump where the next cell's run begins). ``take`` with
        # mode "clip" (the indices are valid) writes straight into ``out=``; "raise" would buffer.
        steps = work.index[:total]
        starts = self._run_starts[features]
        steps.fill(1)
        steps[0] = starts[0]
        steps[ends[:-1]] = starts[1:] - (starts[:-1] + products[:-1] - 1)
        position = np.cumsum(steps, out=steps)
        other_rows = np.take(self._rows_with, position, out=work.other_rows[:total], mode="clip")
        weights = np.take(self._values_with, position, out=work.weights[:total], mode="clip")
        # Which cell each product comes from, by the same steps (1 where the next cell's run begins).
        steps.fill(0)
        steps[ends[:-1]] = 1
        cell = np.cumsum(steps, out=steps)
        weights *= np.take(self.vectors.data[lo:hi], cell, out=work.factors[:total], mode="clip")
        # A row's products are contiguous, and index the row's cells directly.
        bounds = [b - self._products_before[first] for b in self._products_before[first : last + 1]]
        for row, a, b in zip(out, bounds, bounds[1:]):
            np.add.at(row, other_rows[a:b], weights[a:b])


class _Work:
    """Work arrays for ``Gram``'s chunks of up to ``products`` products."""

    def __init__(self, products: int):
        self.index = np.empty(products, dtype=np.int64)
        self.other_rows = np.empty(products, dtype=np.int64)
        self.weights = np.empty(products)
        self.factors = np.empty(products)


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
    rows, columns = np.divmod(np.flatnonzero(scores >= threshold[:, None]), n)  # 15 times faster than 2-D nonzero
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


def related_of_vectors(vectors: SparseRows, topic_index: Sequence[int]) -> list[list[int]]:
    """``related_indices`` of the cosine similarity of the (L2-normalised) rows, computed by row blocks."""
    topics = np.asarray(topic_index)
    out: list[list[int]] = []
    for first, block in Gram(vectors).blocks(BLOCK_CELLS, BLOCK_PRODUCTS):
        out += _related_rows(block, first, topics)
    return out


def nearest_topics(vectors: SparseRows, topic_index: Sequence[int], n_topics: int) -> list[list[int]]:
    """For each topic, the ``SEE_ALSO`` topics whose mean entry vectors are closest."""
    # The normalised sum points where the normalised mean does.
    centroids = _normalised(_group_sums(vectors, np.asarray(topic_index, dtype=np.int64), n_topics))
    similarity = Gram(centroids).rows(0, n_topics)
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
