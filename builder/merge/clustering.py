"""Which questions ask the same thing: similar pairs, candidate components, complete linkage.

**Similarity.** Signatures become L2-normalised sparse vectors (stem → weight), compared by cosine.
Weights are fixed, not IDF: an IDF would make the decision for two questions depend on every
*other* question in the corpus, so adding a question somewhere could split or join unrelated
entries and move ids. A comparison ("X vs Y") is never merged with a non-comparison, nor two
questions that name different concepts of the rules (``rewrite`` outputs such as ``lora``): "How
does LoRA prevent catastrophic forgetting?" is not "How do you prevent catastrophic forgetting?".

**Grouping.** Only pairs with similarity ≥ ``EDGE_THRESHOLD`` are kept, found by prefix filtering
(``_similar_pairs``), so the work follows the near pairs, not every pair that shares a common word.
Connected components of that graph are candidates; inside each, complete-linkage clustering cut at
``GROUP_THRESHOLD`` splits chains: a group never holds two questions less similar than that, even
if a third resembles both. The clustering is the nearest-neighbour chain with SciPy's tie-breaking
(``_nn_chain_merges``), in plain Python: components are small, and SciPy cost more to import than
the whole stage takes.

**Decisions.** Last, the editors' decisions (``builder/data/merge_decisions.yml``, see
``decisions``) are applied to the groups: each ``same`` decision joins the groups that hold its
wordings (``_join_same``); then each ``apart`` decision splits a group holding wordings of two of
its sides, one group per side; an item the decision does not name goes to the side holding its
nearest wording: a wording a ``same`` decision joins it to, else the highest cosine, ties to the
side listed first (``_split_apart``).

The thresholds were tuned on the hand-labelled pairs of ``tests/data/merge_pairs.tsv`` (see
``tests/test_merge.py``).
"""

from __future__ import annotations

import logging
import math
from collections import Counter
from typing import Callable, Iterable, Sequence

from builder.merge.decisions import Apart, Decisions, Same, default_decisions, wording_key
from builder.merge.rules import MergeRules, default_rules
from builder.merge.signatures import Signature, signature

log = logging.getLogger(__name__)

EDGE_THRESHOLD = 0.82
"""Cosine similarity at or above which two questions are candidates for one entry."""
GROUP_THRESHOLD = 0.75
"""Complete-linkage cut: every two questions of one entry are at least this similar."""

_MAX_DENSE = 2500  # largest candidate component clustered at once; bigger ones are split first

Vector = dict[str, float]
"""A signature as an L2-normalised sparse vector: stem → weight."""

Key = tuple[bool, tuple[tuple[str, float], ...]]
"""A signature's content (comparison flag, tokens sorted), the same whatever the words' order; it
also orders a component's members for clustering, so that the input's order never matters."""


def _unit_vector(sig: Signature) -> Vector:
    norm = math.sqrt(sum(weight * weight for _, weight in sig.tokens))
    scale = 1.0 / norm if norm else 1.0
    return {tok: weight * scale for tok, weight in sig.tokens}


def _cosine(a: Vector, b: Vector) -> float:
    if len(b) < len(a):
        a, b = b, a
    return sum(weight * b[tok] for tok, weight in a.items() if tok in b)


def _kinds(signatures: Sequence[Signature], rules: MergeRules) -> list[int]:
    """A label per signature; only questions of one label may merge. The label is the comparison
    flag and the set of named concepts (canonical ``rewrite`` tokens at full weight)."""
    labels: dict[tuple[bool, frozenset[str]], int] = {}
    out: list[int] = []
    for sig in signatures:
        named = frozenset(tok for tok, weight in sig.tokens if weight == 1.0 and tok in rules.canonical)
        out.append(labels.setdefault((sig.comparison, named), len(labels)))
    return out


def _edges(vectors: Sequence[Vector], kind: Sequence[int], rows: Iterable[int],
           threshold: float) -> list[tuple[int, int]]:
    """Pairs ``(i, j)`` of ``rows`` with cosine ≥ ``threshold`` and the same ``kind``."""
    by_kind: dict[int, list[int]] = {}
    for r in rows:
        by_kind.setdefault(kind[r], []).append(r)
    return [edge for same in by_kind.values() for edge in _similar_pairs(vectors, same, threshold)]


def _similar_pairs(vectors: Sequence[Vector], rows: Sequence[int], threshold: float) -> list[tuple[int, int]]:
    """Pairs ``(i, j)`` of ``rows`` with cosine ≥ ``threshold``, without comparing them all.

    Prefix filtering: order every row's words rarest first (one order for all rows); a row's
    *prefix* is its words up to where the rest weighs less than the threshold. The first word two
    rows share lies in both prefixes if their cosine reaches the threshold (else the whole dot
    product comes from one row's rest, whose norm is below it), so only rows sharing a prefix word
    are compared, and first by a bound: each word two rows share adds at most the product of their
    largest weights. The work grows with the near pairs, not with the square of how often a common
    word ("model", "llm") occurs.
    """
    floor = threshold - 1e-9
    # The margin keeps the prefixes safe against rounding in the running sum below.
    rest_limit = max(threshold - 1e-6, 0.0) ** 2
    frequency = Counter(tok for r in rows for tok in vectors[r])
    order = {tok: k for k, tok in enumerate(sorted(frequency, key=lambda t: (frequency[t], t)))}
    words = {r: frozenset(vectors[r]) for r in rows}
    top = {r: max(vectors[r].values(), default=0.0) for r in rows}
    index: dict[str, list[int]] = {}  # prefix word → the rows before this one that have it
    pairs: list[tuple[int, int]] = []
    for r in rows:
        vec = vectors[r]
        candidates: set[int] = set()
        rest = sum(weight * weight for weight in vec.values())
        for tok in sorted(vec, key=order.__getitem__):
            if rest < rest_limit:
                break
            rest -= vec[tok] * vec[tok]
            candidates.update(index.get(tok, ()))
            index.setdefault(tok, []).append(r)
        if not candidates:
            continue
        need = (floor - 1e-9) / top[r]
        for other in candidates:
            if len(words[r] & words[other]) * top[other] >= need and _cosine(vec, vectors[other]) >= floor:
                pairs.append((other, r))
    return pairs


def _components(rows: Iterable[int], edges: Iterable[tuple[int, int]]) -> list[list[int]]:
    """Connected components of ``rows`` under ``edges`` (union–find), each in ascending order."""
    parent = {r: r for r in rows}

    def root(r: int) -> int:
        while parent[r] != r:
            parent[r] = parent[parent[r]]
            r = parent[r]
        return r

    for a, b in edges:
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    parts: dict[int, list[int]] = {}
    for r in sorted(parent):
        parts.setdefault(root(r), []).append(r)
    return list(parts.values())


def _distance(similarity: float) -> float:
    """``1 − similarity`` in [0, 1], rounded to 9 decimals (as numpy's ``round``: scale, round half
    to even, unscale) so that equal similarities computed in another order tie exactly."""
    return round(min(1.0, max(0.0, 1.0 - similarity)) * 1e9) / 1e9


def _nn_chain_merges(dist: list[list[float]]) -> list[tuple[int, int, float]]:
    """Complete-linkage merges ``(x, y, height)`` of the points of the distance matrix ``dist``.

    The nearest-neighbour chain, as SciPy's ``linkage(method="complete")`` runs it, ties included:
    a chain starts at the lowest live cluster and grows by each cluster's nearest neighbour (the
    lowest index at the least distance, unless the cluster before it in the chain is as near)
    until two clusters are each other's nearest; those merge, and the merged cluster keeps the
    higher index.
    """
    n = len(dist)
    d = [row[:] for row in dist]  # d[i][j]: between clusters i and j; inf once either is merged away
    for i in range(n):
        d[i][i] = math.inf
    live = [True] * n
    chain: list[int] = []
    merges: list[tuple[int, int, float]] = []
    for _ in range(n - 1):
        if not chain:
            chain.append(live.index(True))
        while True:
            row = d[chain[-1]]
            least = min(row)
            if len(chain) > 1 and row[chain[-2]] == least:
                break  # the last two clusters are each other's nearest
            chain.append(row.index(least))
        a, b = chain.pop(), chain.pop()
        x, y = min(a, b), max(a, b)
        merges.append((x, y, least))
        live[x] = False
        merged = list(map(max, d[x], d[y]))  # complete linkage: the farther of the two
        merged[y] = math.inf
        d[y] = merged
        d[x] = [math.inf] * n
        for i in range(n):
            d[i][y] = merged[i]
            d[i][x] = math.inf
    return merges


def _complete_linkage(vectors: Sequence[Vector], kind: Sequence[int], key: Sequence[Key],
                      members: Sequence[int], threshold: float) -> list[list[int]]:
    """Split one candidate component so that all pairs inside a group are ≥ ``threshold``.

    Members are clustered in the order of their ``key`` (their content), so that ties are broken
    the same way whatever the order of the input. Complete linkage is monotone, so the groups of a
    cut at a height are the unions of the merges at or below it.
    """
    members = sorted(members, key=key.__getitem__)
    n = len(members)
    dist = [[0.0] * n for _ in range(n)]
    for i in range(n):
        a = members[i]
        for j in range(i + 1, n):
            b = members[j]
            similarity = _cosine(vectors[a], vectors[b]) if kind[a] == kind[b] else 0.0
            dist[i][j] = dist[j][i] = _distance(similarity)
    cut = 1.0 - threshold + 1e-9
    groups = _components(range(n), ((x, y) for x, y, height in _nn_chain_merges(dist) if height <= cut))
    return [sorted(members[i] for i in group) for group in groups]


def _group(vectors: Sequence[Vector], kind: Sequence[int], key: Sequence[Key], members: list[int],
           edge: float, group: float) -> list[list[int]]:
    """Groups of one candidate component; oversized components are re-split at a higher edge."""
    if len(members) == 1:
        return [members]
    if len(members) <= _MAX_DENSE or edge >= 1.0:
        return _complete_linkage(vectors, kind, key, members, group)
    stricter = min(1.0, edge + 0.05)
    out: list[list[int]] = []
    for part in _components(members, _edges(vectors, kind, members, stricter)):
        out.extend(_group(vectors, kind, key, part, stricter, group))
    return out


def _join_same(groups: list[list[int]], keys: Sequence[str], same: Sequence[Same]) -> list[list[int]]:
    """``groups`` with every two that hold wordings of one ``same`` decision joined."""
    decision_of = {w.key: n for n, decision in enumerate(same) for w in decision.wordings}
    first: dict[int, int] = {}  # decision → the first group holding one of its wordings
    joins: list[tuple[int, int]] = []
    for g, group in enumerate(groups):
        for n in {decision_of[keys[i]] for i in group if keys[i] in decision_of}:
            joins.append((first.setdefault(n, g), g))
    return [[i for g in part for i in groups[g]] for part in _components(range(len(groups)), joins)]


def _split_apart(group: list[int], keys: Sequence[str], apart: Apart, same: Sequence[Same],
                 similarity: Callable[[int, int], float]) -> list[list[int]]:
    """``group`` split by the sides of ``apart`` when it holds wordings of two of them; an item
    the decision does not name goes to the side holding its nearest wording (one a ``same``
    decision joins it to, else the highest ``similarity``; ties to the side listed first)."""
    side_of = {w.key: s for s, side in enumerate(apart.sides) for w in side}
    named = {i: side_of[keys[i]] for i in group if keys[i] in side_of}
    if len(set(named.values())) < 2:
        return [group]
    joined = {w.key: n for n, decision in enumerate(same) for w in decision.wordings}

    def nearness(i: int, j: int) -> float:
        together = keys[i] in joined and joined[keys[i]] == joined.get(keys[j])
        return 2.0 if together else similarity(i, j)

    sides: dict[int, list[int]] = {s: [] for s in sorted(set(named.values()))}
    for i in group:
        if i in named:
            sides[named[i]].append(i)
        else:
            best = max(sides, key=lambda s: (max(nearness(i, j) for j in named if named[j] == s), -s))
            sides[best].append(i)
    return list(sides.values())


def apply_decisions(groups: list[list[int]], questions: Sequence[str], decisions: Decisions,
                    similarity: Callable[[int, int], float]) -> list[list[int]]:
    """``groups`` (of indices of ``questions``) after the ``same`` decisions, then the ``apart``
    ones (see the module docstring); ``similarity`` of two indices places unnamed items."""
    keys = [wording_key(q) for q in questions]
    groups = _join_same(groups, keys, decisions.same)
    for apart in decisions.apart:
        groups = [part for group in groups for part in _split_apart(group, keys, apart, decisions.same, similarity)]
    return groups


def group_indices(questions: Sequence[str], edge_threshold: float = EDGE_THRESHOLD,
                  group_threshold: float = GROUP_THRESHOLD, decisions: Decisions | None = None) -> list[list[int]]:
    """Indices of ``questions`` that ask the same thing, grouped; each index exactly once.

    ``decisions`` are the editors' (by default the project's ``merge_decisions.yml``;
    ``NO_DECISIONS`` for the rules alone). Groups are sorted by their smallest index, indices
    inside a group ascending.
    """
    rules = default_rules()
    decisions = default_decisions() if decisions is None else decisions
    # Questions with the same signature always share a group (similarity 1), so only distinct
    # signatures are compared: the work grows with the number of distinct wordings, not items.
    of_text = {question: signature(question, rules) for question in dict.fromkeys(questions)}
    first: dict[Key, Signature] = {}
    members: dict[Key, list[int]] = {}
    for index, question in enumerate(questions):
        sig = of_text[question]
        content = (sig.comparison, tuple(sorted(sig.tokens)))
        first.setdefault(content, sig)
        members.setdefault(content, []).append(index)

    key = list(members)  # a slot per distinct signature, in first-seen order
    slot = {i: s for s, k in enumerate(key) for i in members[k]}
    signatures = [first[k] for k in key]
    vectors = [_unit_vector(sig) for sig in signatures]
    kind = _kinds(signatures, rules)
    edges = _edges(vectors, kind, range(len(key)), edge_threshold)
    result: list[list[int]] = []
    for component in _components(range(len(key)), edges):
        for group in _group(vectors, kind, key, component, edge_threshold, group_threshold):
            result.append([i for s in group for i in members[key[s]]])
    result = apply_decisions(result, questions, decisions, lambda i, j: _cosine(vectors[slot[i]], vectors[slot[j]]))
    result = sorted(sorted(group) for group in result)
    log.debug("%d questions, %d distinct signatures, %d groups", len(questions), len(key), len(result))
    return result
