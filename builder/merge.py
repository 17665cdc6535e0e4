"""The merge stage: group the items that ask the same question into one ``Entry`` each.

The five sources ask many of the same questions in different words ("What is KV caching?",
"What is the KV cache and what does it avoid?", "Explain the KV Cache and why it matters"), and
the chat export repeats some of its own questions under new numbers. ``merge`` puts every such
group on one entry, keeping every item and every answer, and gives the entry a canonical wording,
a stable id, and anchors for the slugs of the other wordings so old links still land on it.

How questions are compared
--------------------------
1. **Signature.** Each question is reduced to the concept it asks about (``signature``): ASCII,
   lowercase, first sentence only, follow-up clauses dropped ("… and why does it matter?"),
   synonyms and acronyms rewritten to one token (``builder/data/merge_rules.yml``: "Low-Rank
   Adaptation" → ``lora``, "top-p"/"nucleus" → ``topp``; and any "words (ACR)" whose initials
   spell the acronym → ``acr``; acronyms are contracted, never expanded, so LoRA and QLoRA share
   no token), "difference between X and Y" → "X vs Y", question words and articles dropped, a
   trailing setting after a preposition dropped ("… in LLMs", "… in deployment"), words
   stemmed (plurals, -ing, -ation, -ed). Words left in parentheses
   are *asides* (an acronym, a library, a synonym) and weigh ``ASIDE_WEIGHT``; generic words
   ("model", "mechanism", "key") weigh ``FILLER_WEIGHT``; every other word weighs 1.
2. **Similarity.** Signatures become L2-normalised sparse vectors (stem → weight), compared by
   cosine. Weights are fixed, not IDF: an IDF would make the decision for two questions depend on
   every *other* question in the corpus, so adding a question somewhere could split or join
   unrelated entries and move ids. A comparison ("X vs Y") is never merged with a non-comparison,
   nor two questions that name different concepts of the rules (``rewrite`` outputs such as
   ``lora``): "How does LoRA prevent catastrophic forgetting?" is not "How do you prevent
   catastrophic forgetting?".
3. **Grouping.** Only pairs with similarity ≥ ``EDGE_THRESHOLD`` are kept, found by prefix
   filtering (``_similar_pairs``), so the work follows the near pairs, not every pair that shares
   a common word. Connected components of that graph are candidates; inside each, complete-linkage
   clustering cut at ``GROUP_THRESHOLD`` splits chains: a group never holds two questions less
   similar than that, even if a third resembles both. The clustering is the nearest-neighbour
   chain with SciPy's tie-breaking (``_nn_chain_merges``), in plain Python: components are small,
   and SciPy cost more to import than the whole stage takes.

The thresholds were tuned on the hand-labelled pairs of ``tests/data/merge_pairs.tsv`` (see
``tests/test_merge.py``).

Canonical wording, ids and anchors
----------------------------------
* ``question``: the member wording with the lowest ``wording_penalty`` (prefers a single complete
  question ending in "?", starting "What is/are", no "Explain"/"Q:" lead, no follow-up clause, no
  decorative quotes, no chatty "again"/"in detail", no trailing setting such as "in LLMs", sentence
  case, an acronym spelled out beside its words, at most ``IDEAL_LENGTH`` characters); ties go to
  the wording used most often, then the shorter, then the alphabetically first, so the choice
  never depends on input order.
* ``id``: ``slugify(question)``. When several entries would share one, the entry that comes first
  keeps it and the others get ``-`` + ``short_hash`` of their sorted item keys: derived from the
  content, never from a position in the list.
* ``anchors``: ``slugify(item.question)`` of every member, except the id, sorted. An anchor equal
  to any entry's id, or already claimed by an earlier entry, is dropped from the later entry.

Order: items inside an entry by the order their source first appears in the input, then line
(then input position); entries by their first item in that same order.
"""

from __future__ import annotations

import logging
import math
import re
import time
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Mapping, Sequence


from builder.model import Entry, Item
from builder.slugs import short_hash, slugify
from builder.yamlio import load_yaml_file

log = logging.getLogger(__name__)

RULES_PATH = Path(__file__).parent / "data" / "merge_rules.yml"

EDGE_THRESHOLD = 0.82
"""Cosine similarity at or above which two questions are candidates for one entry."""
GROUP_THRESHOLD = 0.75
"""Complete-linkage cut: every two questions of one entry are at least this similar."""
FILLER_WEIGHT = 0.15
"""Weight of a generic word (``fillers`` in the rules) relative to a concept word."""
ASIDE_WEIGHT = 0.35
"""Weight of a word that appears only inside parentheses."""
IDEAL_LENGTH = 40
"""Canonical wordings longer than this many characters are penalised in proportion."""

_MAX_DENSE = 2500  # largest candidate component clustered at once; bigger ones are split first


# --------------------------------------------------------------------------------------------
# Rules


@dataclass(frozen=True)
class MergeRules:
    """The compiled contents of ``merge_rules.yml``."""

    tails: tuple[re.Pattern[str], ...]
    rewrite: tuple[tuple[re.Pattern[str], str], ...]
    """(pattern, replacement) pairs, applied in order, each to the result of the ones before."""
    stopwords: frozenset[str]
    context: frozenset[str]
    fillers: frozenset[str]
    canonical: frozenset[str]  # the CAPITALS tokens of ``rewrite``, lowercased: never stemmed


def _strings(raw: Mapping[str, object], key: str) -> list[str]:
    values = raw.get(key) or []
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise ValueError(f"{RULES_PATH.name}: {key!r} must be a list of strings (quote yes/no/on/off)")
    return values


def load_rules(path: Path = RULES_PATH) -> MergeRules:
    """Read and compile the merge rules (stop words, context words and fillers are stemmed)."""
    raw = load_yaml_file(path) or {}
    rewrite = [(str(p), str(r)) for p, r in raw.get("rewrite") or []]
    stopwords = _strings(raw, "stopwords")
    return MergeRules(
        tails=tuple(re.compile(p) for p in _strings(raw, "tails")),
        rewrite=tuple((re.compile(p, re.IGNORECASE), r) for p, r in rewrite),
        stopwords=frozenset(stopwords) | frozenset(_stem(w) for w in stopwords),
        context=frozenset(_stem(w) for w in _strings(raw, "context")),
        fillers=frozenset(_stem(w) for w in _strings(raw, "fillers")),
        canonical=frozenset(t.lower() for _, r in rewrite for t in re.findall(r"\w*[A-Z]\w*", r)),
    )


@lru_cache(maxsize=1)
def _default_rules() -> MergeRules:
    return load_rules()


# --------------------------------------------------------------------------------------------
# Signatures


@dataclass(frozen=True)
class Signature:
    """What a question asks, as weighted word stems (first-seen order) and a comparison flag."""

    tokens: tuple[tuple[str, float], ...]
    comparison: bool = False

    @property
    def text(self) -> str:
        """Readable form for debugging: fillers in ``()``, asides in ``[]``, comparisons marked."""
        parts = []
        for tok, w in self.tokens:
            parts.append(tok if w == 1.0 else f"[{tok}]" if w == ASIDE_WEIGHT else f"({tok})")
        return ("vs: " if self.comparison else "") + " ".join(parts)


_LEAD = re.compile(r"^\s*(?:\[(?:easy|medium|hard|basic|intermediate|advanced|expert)\]\s*)?"
                   r"(?:q\s*\d*\s*[:.)]\s*)?(?:question\s*:\s*)?")
_INLINE_ANSWER = re.compile(r"([?.!])\s+a\s*:\s.*$")
_EG = re.compile(r"\(\s*(?:e\.?g|for example|such as)\b[^)]*\)|,?\s*\be\.g\.?,?\s.*$")
_SENTENCE_END = re.compile(r"[?!]\s+(?=\S)|\.\s+(?=[a-z(])")
_PUNCT = str.maketrans(dict.fromkeys("\"'`*_#~|\\/-+=:;!?<>[]{}&^%$@\u2018\u2019\u201c\u201d,", " "))
_COMPARE = (
    re.compile(r"^(?:.*?\b)?differences? between (.+?) and (.+)$"),
    re.compile(r"^(?:how )?(?:does |do |is |are )?(.+?) (?:differ|different) from (.+)$"),
    re.compile(r"^(.+?) compared? (?:to|with) (.+)$"),
)
_VERSUS = re.compile(r"\bvs\.?(?=\s|$)|\bversus\b")
_FULL_STOP = re.compile(r"(?<![0-9])\.|\.(?![0-9])")  # not a decimal point
_PARENS = re.compile(r"\(([^()]*)\)")
_ACRONYM_INSIDE = re.compile(r"[A-Za-z][A-Za-z0-9]{1,7}")
_DIGITS = re.compile(r"[0-9]")
_TOKEN = re.compile(r"[A-Za-z0-9]+(?:\.[0-9]+)*")
_PREPOSITIONS = frozenset({"in", "for", "during", "within", "across", "on", "with", "under"})


@lru_cache(maxsize=1 << 16)
def _stem(word: str) -> str:
    """A small suffix stripper (plural, -ing, -ation, -ed, -e), enough to match word forms."""
    w = word
    if len(w) <= 3 or not w.isalpha():
        return w
    if w.endswith("ies") and len(w) > 4:
        w = w[:-3] + "y"
    elif w.endswith("es") and w[:-2].endswith(("ss", "sh", "ch", "x", "as")):
        w = w[:-2]
    elif w.endswith("s") and not w.endswith(("ss", "us", "is", "as")):
        w = w[:-1]
    for suffix in ("ations", "ation", "ating", "ated", "ings", "ing", "ism", "ate", "ed", "e"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            w = w[: -len(suffix)]
            break
    if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "aeious":
        w = w[:-1]
    return w


def _word(token: str, canonical: frozenset[str]) -> tuple[str, str]:
    """``(lowercase word, stem)``; a canonical token (``rewrite`` output) is not stemmed."""
    lower = token.lower()
    return lower, (lower if lower != token or lower in canonical else _stem(lower))


def _words(tokens: Iterable[str], rules: MergeRules) -> list[tuple[str, str]]:
    return [_word(token, rules.canonical) for token in tokens]


def _ascii(text: str) -> str:
    if text.isascii():  # NFKD leaves ASCII as it is
        return text
    out = []
    for ch in unicodedata.normalize("NFKD", text):
        if ord(ch) < 128:
            out.append(ch)
        elif not unicodedata.combining(ch):
            out.append(" ")
    return "".join(out)


def _clean(question: str, rules: MergeRules) -> str:
    """Lowercased ASCII text of the first sentence, follow-ups, markup and examples removed."""
    text = _ascii(question).lower().replace("**", " ").replace("`", " ")
    text = " ".join(text.split())
    text = _LEAD.sub("", text)
    text = _INLINE_ANSWER.sub(r"\1", text)
    text = _VERSUS.sub(" vs ", text)
    text = _EG.sub(" ", text)
    text = text.replace('"', " ").replace("'", " ")
    first = _SENTENCE_END.split(text, maxsplit=1)[0]
    if _TOKEN.search(first):
        text = first
    text = text.strip(" .?!")
    for tail in rules.tails:
        text = tail.sub("", text)
    text = text.translate(_PUNCT)
    text = " ".join(_FULL_STOP.sub(" ", text).split())
    for pattern, replacement in rules.rewrite:
        text = pattern.sub(replacement, text)
    return " ".join(text.split())


_ACRONYM_SKIP = frozenset({"of", "to", "for", "from", "and", "the", "a", "an", "in", "on", "with"})


def _spells(acronym: str, words: Sequence[str]) -> bool:
    """Whether the initials of ``words`` spell ``acronym`` (stop words optional; same first and
    last letter, the acronym's letters in order, at most two initials left over)."""
    for skip in (False, True):
        initials = "".join(w[0] for w in words if w and not (skip and w in _ACRONYM_SKIP))
        if not initials or initials[0] != acronym[:1] or initials[-1] != acronym[-1:]:
            continue
        if len(initials) > len(acronym) + 2:
            continue
        it = iter(initials)
        if all(ch in it for ch in acronym):
            return True
    return False


def _contract_acronyms(text: str) -> str:
    """"words (ACR)" → "ACR", and "ACR (words)" → "ACR", when the initials spell the acronym.

    Contracting (never expanding) keeps "GQA" and "MQA" apart. Other parentheses stay, to become
    asides.
    """
    out = ""
    rest = text
    while (m := _PARENS.search(rest)) is not None:
        before, inner = rest[: m.start()], m.group(1).strip()
        words = before.split()
        if _ACRONYM_INSIDE.fullmatch(inner):  # "words (ACR)"
            acronym = _DIGITS.sub("", inner.lower())
            for k in range(min(len(words), len(acronym) + 3), 1, -1):
                tail = [w.lower() for w in words[-k:]]
                if len(acronym) >= 2 and tail[0][:1] == acronym[:1] and _spells(acronym, tail):
                    before = " ".join(words[:-k]) + " " + inner.upper() + " "
                    inner = ""
                    break
        else:  # "ACR (words)"
            expansion = [w.lower() for w in inner.split()]
            acronym = _DIGITS.sub("", words[-1].lower()) if words else ""
            if len(expansion) >= 2 and len(acronym) >= 2 and _spells(acronym, expansion):
                inner = ""
        out += before + (f" ({inner}) " if inner else " ")
        rest = rest[m.end():]
    return out + rest


def _without_setting(words: list[tuple[str, str]], context: frozenset[str]) -> list[tuple[str, str]]:
    """``words`` without a trailing setting after a preposition ("… in LLM deployment"), which only
    names the context; repeatedly, for "… in NLP in LLMs". At least one word stays before it."""
    while True:
        end = len(words)
        while end > 0 and words[end - 1][1] in context:
            end -= 1
        if not (1 < end < len(words) and words[end - 1][0] in _PREPOSITIONS):
            return words
        words = words[: end - 1]  # the setting and its preposition


def signature(question: str, rules: MergeRules | None = None) -> Signature:
    """Reduce ``question`` to the concept it asks about (see the module docstring)."""
    rules = rules or _default_rules()
    text = _clean(question, rules)
    for pattern in _COMPARE:
        m = pattern.match(text)
        if m:
            text = f"{m.group(1)} vs {m.group(2)}"
            break
    text = _contract_acronyms(text)
    asides = " ".join(_PARENS.findall(text))
    main = _PARENS.sub(" ", text).replace("(", " ").replace(")", " ")
    comparison = "vs" in main.split()

    main_words = _without_setting(_words(_TOKEN.findall(main), rules), rules.context)
    stopwords, fillers = rules.stopwords, rules.fillers
    weights: dict[str, float] = {}
    for word, stem in main_words:
        if word in stopwords or stem in stopwords:
            continue
        weight = FILLER_WEIGHT if stem in fillers else 1.0
        weights[stem] = max(weights.get(stem, 0.0), weight)
    for word, stem in _words(_TOKEN.findall(asides), rules):
        if word in stopwords or stem in stopwords or stem in weights:
            continue
        weights[stem] = FILLER_WEIGHT if stem in fillers else ASIDE_WEIGHT
    if not weights:  # nothing but stop words: fall back to every word, so it still matches itself
        for word, stem in _words(_TOKEN.findall(text), rules):
            weights.setdefault(stem, 1.0)
    return Signature(tuple(weights.items()), comparison)


# --------------------------------------------------------------------------------------------
# Similarity and grouping

Vector = dict[str, float]
"""A signature as an L2-normalised sparse vector: stem → weight."""


def _unit_vector(sig: Signature) -> Vector:
    norm = math.sqrt(sum(weight * weight for _, weight in sig.tokens))
    scale = 1.0 / norm if norm else 1.0
    return {tok: weight * scale for tok, weight in sig.tokens}


def _cosine(a: Vector, b: Vector) -> float:
    if len(b) < len(a):
        a, b = b, a
    return sum(weight * b[tok] for tok, weight in a.items() if tok in b)


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
    are compared, and first by a cheap bound. The work grows with the near pairs, not with the
    square of how often a common word ("model", "llm") occurs.
    """
    floor = threshold - 1e-9
    # The margin keeps the prefixes safe against rounding in the running sum below.
    rest_limit = max(threshold - 1e-6, 0.0) ** 2
    frequency = Counter(tok for r in rows for tok in vectors[r])
    order = {tok: k for k, tok in enumerate(sorted(frequency, key=lambda t: (frequency[t], t)))}
    words = {r: frozenset(vectors[r]) for r in rows}
    top = {r: max(vectors[r].values(), default=0.0) for r in rows}
    index: dict[str, list[int]] = {}
    pairs: list[tuple[int, int]] = []
    for r in rows:
        vec = vectors[r]
        candidates: set[int] = set()
        rest = sum(weight * weight for weight in vec.values())
        for tok in sorted(vec, key=order.__getitem__):
            if rest < rest_limit:
                break
            rest -= vec[tok] * vec[tok]
            postings = index.get(tok)
            if postings:
                candidates.update(postings)
                postings.append(r)
            else:
                index[tok] = [r]
        if not candidates:
            continue
        # Each shared word adds at most the product of the two rows' largest weights.
        mine, need = words[r], (floor - 1e-9) / top[r]
        for other in [o for o in candidates if len(mine & words[o]) * top[o] >= need]:
            if _cosine(vec, vectors[other]) >= floor:
                pairs.append((other, r))
    return pairs


def _components(rows: Sequence[int], edges: Iterable[tuple[int, int]]) -> list[list[int]]:
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
    for r in sorted(rows):
        parts.setdefault(root(r), []).append(r)
    return list(parts.values())


def _distance(similarity: float) -> float:
    """``1 − similarity`` in [0, 1], rounded to 9 decimals (as numpy's ``round``: scale, round half
    to even, unscale) so that equal similarities computed in another order tie exactly."""
    return round(min(1.0, max(0.0, 1.0 - similarity)) * 1e9) / 1e9


def _nn_chain_merges(dist: list[list[float]]) -> list[tuple[int, int, float]]:
    """Complete-linkage merges ``(x, y, height)`` by the nearest-neighbour chain, as SciPy's
    ``linkage(method="complete")`` does them, ties included: the chain starts at the lowest live
    cluster, a cluster's nearest neighbour is the lowest index at the least distance unless the
    previous link of the chain is as near, and the merged cluster keeps the higher index."""
    n = len(dist)
    inf = math.inf
    d = [row[:] for row in dist]
    for i in range(n):
        d[i][i] = inf
    live = [True] * n
    chain: list[int] = []
    merges: list[tuple[int, int, float]] = []
    for _ in range(n - 1):
        if not chain:
            chain.append(live.index(True))
        while True:
            x = chain[-1]
            row = d[x]
            if len(chain) > 1:
                y = chain[-2]
                nearest = row[y]
            else:
                y, nearest = -1, inf
            least = min(row)
            if least < nearest:
                nearest, y = least, row.index(least)
            if len(chain) > 1 and y == chain[-2]:
                break
            chain.append(y)
        del chain[-2:]
        x, y = min(x, y), max(x, y)
        merges.append((x, y, nearest))
        live[x] = False
        merged = list(map(max, d[x], d[y]))  # complete linkage: the farther of the two
        merged[y] = inf
        d[y] = merged
        d[x] = [inf] * n
        for i in range(n):
            d[i][y] = merged[i]
            d[i][x] = inf
    return merges


def _complete_linkage(vectors: Sequence[Vector], kind: Sequence[int], rank: Sequence[object],
                      members: Sequence[int], threshold: float) -> list[list[int]]:
    """Split one candidate component so that all pairs inside a group are ≥ ``threshold``.

    Members are clustered in the order of ``rank`` (a sort key per signature, from its content),
    so that ties are broken the same way whatever the order of the input. Complete linkage is monotone, so the
    groups of a cut at a height are the unions of the merges at or below it.
    """
    members = sorted(members, key=rank.__getitem__)
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


def _kinds(signatures: Sequence[Signature], rules: MergeRules) -> list[int]:
    """A label per signature; only questions of one label may merge. The label is the comparison
    flag and the set of named concepts (canonical ``rewrite`` tokens at full weight)."""
    labels: dict[tuple[bool, frozenset[str]], int] = {}
    out: list[int] = []
    canonical = rules.canonical
    for sig in signatures:
        named = frozenset([tok for tok, weight in sig.tokens if weight == 1.0 and tok in canonical])
        out.append(labels.setdefault((sig.comparison, named), len(labels)))
    return out


def _group(vectors: Sequence[Vector], kind: Sequence[int], rank: Sequence[object], members: list[int],
           edge: float, group: float) -> list[list[int]]:
    """Groups of one candidate component; oversized components are re-split at a higher edge."""
    if len(members) == 1:
        return [members]
    if len(members) <= _MAX_DENSE or edge >= 1.0:
        return _complete_linkage(vectors, kind, rank, members, group)
    stricter = min(1.0, edge + 0.05)
    out: list[list[int]] = []
    for part in _components(members, _edges(vectors, kind, members, stricter)):
        out.extend(_group(vectors, kind, rank, part, stricter, group))
    return out


def group_indices(questions: Sequence[str], edge_threshold: float = EDGE_THRESHOLD,
                  group_threshold: float = GROUP_THRESHOLD) -> list[list[int]]:
    """Indices of ``questions`` that ask the same thing, grouped; each index exactly once.

    Groups are sorted by their smallest index, indices inside a group ascending.
    """
    if not questions:
        return []
    rules = _default_rules()
    # Questions with the same signature always share a group (similarity 1), so only distinct
    # signatures are compared: the work grows with the number of distinct wordings, not items.
    by_text: dict[str, int] = {}
    by_signature: dict[tuple[tuple[tuple[str, float], ...], bool], int] = {}
    signatures: list[Signature] = []
    members: list[list[int]] = []
    for index, question in enumerate(questions):
        slot = by_text.get(question)
        if slot is None:
            sig = signature(question, rules)
            key = (tuple(sorted(sig.tokens)), sig.comparison)
            slot = by_signature.get(key)
            if slot is None:
                slot = by_signature[key] = len(signatures)
                signatures.append(sig)
                members.append([])
            by_text[question] = slot
        members[slot].append(index)

    n = len(signatures)
    vectors = [_unit_vector(sig) for sig in signatures]
    kind = _kinds(signatures, rules)
    # The keys of ``by_signature`` are in slot order and hold each signature's sorted tokens; they
    # are distinct, so ordering members by them is ordering by their rank among all signatures
    # (only the few members of a clustered component are ever sorted).
    rank = [(comparison, tokens) for tokens, comparison in by_signature]
    edges = _edges(vectors, kind, range(n), edge_threshold)
    components = _components(range(n), edges)
    result: list[list[int]] = []
    for component in components:
        for group in _group(vectors, kind, rank, component, edge_threshold, group_threshold):
            result.append(sorted([i for slot in group for i in members[slot]]))
    result.sort(key=lambda g: g[0])
    log.debug("%d questions, %d distinct signatures, %d groups", len(questions), n, len(result))
    return result


# --------------------------------------------------------------------------------------------
# Canonical wording, ids, anchors


_MARKUP_LEAD = re.compile(r"^\s*(?:q\s*\d*\s*[:.)]|\*\*|#|\[)", re.I)
_STARTS_WEAK = re.compile(r"^\s*(?:explain|describe|define|name|write|calculate|compare|difference|"
                          r"discuss|give|list|tell)\b", re.I)
_STARTS_WHAT = re.compile(r"^\s*what (?:is|are)\b", re.I)
_FOLLOW_UP = re.compile(r",?\s+and\s+(?:why|how|what|which|when|where|is it|are they|its)\b", re.I)
_CHATTY = re.compile(r"\b(?:again|in depth|in detail|in plain english|from the ground up|"
                     r"step by step|at (?:its|the) most fundamental level|in a nutshell)\b", re.I)
_TRAILING_SETTING = re.compile(r"\s(?:in|for|during|within)\s+((?:[\w-]+\s+){0,3}[\w-]+)\W*$", re.I)
_TITLE_WORD = re.compile(r"(?<=\s)[A-Z][a-z]{2,}\b")
_QUESTION_WORDS = frozenset({"What", "How", "Why"})
_MORE_SENTENCES = re.compile(r"[?.!]\s+\S")
_ALNUM = re.compile(r"[A-Za-z0-9]+")
_LOWER_ALNUM = re.compile(r"[a-z0-9]+")


def _names_acronym(question: str) -> bool:
    """Whether ``question`` spells out an acronym next to it: "words (ACR)" or "ACR (words)"."""
    for m in _PARENS.finditer(question):
        inner = m.group(1).strip()
        words = _ALNUM.findall(question[: m.start()].lower())
        if _ACRONYM_INSIDE.fullmatch(inner):
            acronym = _DIGITS.sub("", inner.lower())
            if any(_spells(acronym, words[-k:]) for k in range(2, min(len(words), len(acronym) + 3) + 1)):
                return True
        elif words:
            acronym = _DIGITS.sub("", words[-1])
            if len(acronym) >= 2 and _spells(acronym, _LOWER_ALNUM.findall(inner.lower())):
                return True
    return False


def _all_context(words: Iterable[str]) -> bool:
    context = _default_rules().context
    return all(_stem(w) in context for w in words)


def wording_penalty(question: str) -> float:
    """How far ``question`` is from an ideal canonical wording (lower is better)."""
    q = question.strip()
    penalty = 0.0
    if not q.endswith("?"):
        penalty += 3.0
    if _MARKUP_LEAD.match(q):
        penalty += 4.0
    elif _STARTS_WEAK.match(q):
        penalty += 2.0
    elif not _STARTS_WHAT.match(q):
        penalty += 0.5
    if _MORE_SENTENCES.search(q):
        penalty += 2.0
    if _FOLLOW_UP.search(q):
        penalty += 1.5
    if _CHATTY.search(q):
        penalty += 1.0
    setting = _TRAILING_SETTING.search(q)
    if setting and _all_context(_LOWER_ALNUM.findall(setting.group(1).lower())):
        penalty += 0.5  # "… in LLMs", "… for LLM inference": the setting, not the concept
    if '"' in q or "“" in q or "”" in q:
        penalty += 1.0
    if _names_acronym(q):  # "Grouped Query Attention (GQA)": capitals expected, concept named
        penalty -= 0.5
    else:  # prefer sentence case ("layer normalization") to Title Case
        title_words = [w for w in _TITLE_WORD.findall(q) if w not in _QUESTION_WORDS]
        penalty += 0.25 * min(len(title_words), 2)
    penalty += max(0, len(q) - IDEAL_LENGTH) / 30.0 + max(0, 20 - len(q)) / 40.0
    if len(q) > 90:
        penalty += 2.0
    return round(penalty, 6)


def canonical_question(questions: Iterable[str]) -> str:
    """The clearest of ``questions`` (see ``wording_penalty``); independent of their order."""
    counts = Counter([q for q in map(str.strip, questions) if q])
    return min(counts, key=lambda q: (wording_penalty(q), -counts[q], len(q), q.casefold(), q), default="")


def _source_ranks(items: Sequence[Item]) -> Mapping[str, int]:
    ranks: dict[str, int] = {}
    for item in items:
        ranks.setdefault(item.source, len(ranks))
    return ranks


def merge(items: Sequence[Item]) -> tuple[Entry, ...]:
    """Group ``items`` that ask the same question into entries (see the module docstring).

    Every item ends up in exactly one entry; nothing is dropped.
    """
    started = time.perf_counter()
    items = list(items)
    if not items:
        return ()
    ranks = _source_ranks(items)
    sort_key = {i: (ranks[it.source], it.line, i) for i, it in enumerate(items)}
    groups = group_indices([it.question for it in items])

    drafts: list[tuple[tuple[int, int, int], str, tuple[Item, ...]]] = []
    for group in groups:
        ordered = sorted(group, key=sort_key.__getitem__)
        members = tuple(items[i] for i in ordered)
        drafts.append((sort_key[ordered[0]], canonical_question(m.question for m in members), members))
    drafts.sort(key=lambda d: d[0])

    slugs: dict[str, str] = {}  # each distinct wording slugified once

    def slug(question: str) -> str:
        found = slugs.get(question)
        if found is None:
            found = slugs[question] = slugify(question)
        return found

    ids = _unique_ids([(slug(question), members) for _, question, members in drafts])
    taken = set(ids)
    debug = log.isEnabledFor(logging.DEBUG)
    entries: list[Entry] = []
    for entry_id, (_, question, members) in zip(ids, drafts):
        anchors = sorted({slug(m.question) for m in members} - {entry_id})
        kept = tuple(a for a in anchors if a not in taken)
        if len(kept) < len(anchors):
            log.debug("entry %s: dropped colliding anchors %s", entry_id, sorted(set(anchors) - set(kept)))
        taken.update(kept)
        entries.append(Entry(id=entry_id, question=question, items=members, anchors=kept))
        if len(members) > 1 and debug:  # (the wordings are sorted only for the log)
            log.debug("merged %d items as %r: %s", len(members), question,
                      sorted({m.question for m in members}))

    log.info("merged %d items into %d entries in %.2fs", len(items), len(entries),
             time.perf_counter() - started)
    return tuple(entries)


def _unique_ids(drafts: Sequence[tuple[str, Sequence[Item]]]) -> list[str]:
    """Entry ids: the slug, or for a later entry with a slug already taken, slug + content hash."""
    base_count = Counter(slug for slug, _ in drafts)
    used: set[str] = set()
    ids: list[str] = []
    for slug, members in drafts:
        candidate = slug
        if candidate in used:
            keys = sorted(m.key for m in members)
            salt = 0
            while candidate in used or candidate in base_count:
                parts = keys if salt == 0 else [*keys, str(salt)]
                candidate = f"{slug}-{short_hash(*parts)}"
                salt += 1
        used.add(candidate)
        ids.append(candidate)
    return ids


__all__ = [
    "EDGE_THRESHOLD",
    "GROUP_THRESHOLD",
    "MergeRules",
    "Signature",
    "canonical_question",
    "group_indices",
    "load_rules",
    "merge",
    "signature",
    "wording_penalty",
]
