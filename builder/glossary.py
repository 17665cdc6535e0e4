"""The glossary and synonym data (``builder/data/glossary.yml``, ``synonyms.yml``) and a matcher that
finds where a text mentions a term.

Matching is on word boundaries (no "RAG" inside "storage", no "PPO" inside "support"), longest name
first (so "flash attention" wins over "attention"), case-insensitive, except an abbreviation marked
``case_sensitive`` (ZeRO, RAG, CoT), which must appear exactly as written.

A text is split once into runs of word characters, and only a word that begins some name is followed
further, through a trie of the names' words (cheap to build, unlike one regex of every name). Names
that begin or end with a non-word character ("C++") go to a trie-shaped regex instead. Build one
matcher per glossary (``matcher_for``): the link stage and the renderer share it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate, compress, count, islice
from pathlib import Path
from typing import Iterable, Sequence

from builder.model import Term
from builder.trie import Trie, add, trie_regex
from builder.yamlio import load_yaml_file

DATA = Path(__file__).resolve().parent / "data"
GLOSSARY = DATA / "glossary.yml"
SYNONYMS = DATA / "synonyms.yml"


@lru_cache(maxsize=4)
def load_glossary(path: Path = GLOSSARY) -> tuple[Term, ...]:
    raw = load_yaml_file(path) or {}
    return tuple(
        Term(
            slug=str(t["slug"]),
            term=str(t["term"]),
            definition=" ".join(str(t.get("definition", "")).split()),
            abbr=str(t.get("abbr") or ""),
            aliases=tuple(str(a) for a in t.get("aliases") or ()),
            related=tuple(str(r) for r in t.get("related") or ()),
            case_sensitive=bool(t.get("case_sensitive", False)),
        )
        for t in raw.get("terms", ())
    )


@lru_cache(maxsize=4)
def load_synonyms(path: Path = SYNONYMS) -> tuple[tuple[str, ...], ...]:
    raw = load_yaml_file(path) or {}
    return tuple(tuple(str(p) for p in group) for group in raw.get("groups", ()))


_SEPARATOR = " "  # a trie unit standing for any run of spaces, hyphens or line breaks
_SEPARATORS = re.compile(r"[\s\-]+")
_WORD_RUNS = re.compile(r"(\w+)")


def _units(name: str) -> list[str]:
    """A name as trie units: its characters, each run of spaces or hyphens one separator unit."""
    parts = re.split(r"[\s\-]+", name.strip())
    units: list[str] = []
    for i, part in enumerate(parts):
        if i:
            units.append(_SEPARATOR)
        units.extend(part)
    return units


# Between two words of a name, any run of spaces, hyphens or line breaks.
_UNIT_PATTERNS = {_SEPARATOR: r"[\s\-]+"}


class _RegexScanner:
    """Spans of names in a text by one trie-shaped regex: any names, but costly to build (~50 ms for
    the glossary). Used only for names ``_WordScanner`` cannot take."""

    def __init__(self, names: Iterable[str], fold: bool) -> None:
        flags = re.IGNORECASE if fold else 0
        trie: Trie = {}
        for name in set(names):
            # Case-insensitive names share a trie path whatever their capitals; IGNORECASE matches them.
            add(trie, _units(name.lower() if fold else name))
        # Word boundaries that also treat '-' and '_' as part of a word: "RAG-based" is a mention,
        # "pre_RAG_x" and "storage" are not.
        self._pattern = re.compile(rf"(?<![\w])(?:{trie_regex(trie, _UNIT_PATTERNS)})(?![\w])", flags) if trie else None

    def spans(self, text: str, folded_parts: list[str]) -> list[tuple[int, int]]:
        return [m.span() for m in self._pattern.finditer(text)] if self._pattern else []


# The letters ``re.IGNORECASE`` equates with an ASCII letter although ``str.lower`` does not give it
# (or gives it two characters long): with these, folding keeps every offset and matches as the regex did.
_FOLD_SPECIAL = {"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"}
_FOLD_TABLE = str.maketrans(_FOLD_SPECIAL)


def fold_case(text: str) -> str:
    """``text`` in lower case, one character for one, so offsets into it are offsets into ``text``."""
    if not text.isascii() and any(c in text for c in _FOLD_SPECIAL):
        text = text.translate(_FOLD_TABLE)
    return text.lower()


def _gap_key(gap: str) -> str:
    """What separates two words of a name, each run of spaces, hyphens or line breaks one space."""
    return gap if gap == " " else _SEPARATORS.sub(" ", gap)


def word_name(name: str) -> tuple[str, ...] | None:
    """A name as its words and the gaps between them (``("kv", " ", "cache")``), or None when it does
    not begin and end with a word character (then a match's edges are not word edges)."""
    parts = _WORD_RUNS.split(name.strip())
    if len(parts) < 3 or parts[0] or parts[-1]:
        return None
    return tuple(part if i % 2 else _gap_key(part) for i, part in enumerate(parts[1:-1], start=1))


class _WordScanner:
    """Spans of names in a text by words: the text is split into runs of word characters once, and
    only a word that begins some name is followed further, through a trie of (gap, word) steps.

    Matches exactly what ``_RegexScanner`` matches for names that begin and end with a word character
    (every glossary name): a name's edges are then word edges, its words whole runs of word
    characters, and its gaps compare after folding runs of spaces and hyphens to one space."""

    def __init__(self, names: Iterable[tuple[str, ...]], fold: bool) -> None:
        self._fold = fold
        # A word's node: "" marks the end of a name, any other key a gap leading to a dict of next words.
        self._roots: dict[str, dict] = {}
        for words in names:
            node = self._roots.setdefault(words[0], {})
            for i in range(1, len(words), 2):
                node = node.setdefault(words[i], {}).setdefault(words[i + 1], {})
            node[""] = {}
        self._folded_roots = {fold_case(word) for word in self._roots}

    def spans(self, text: str, folded_parts: list[str]) -> list[tuple[int, int]]:
        """``folded_parts``: ``fold_case(text)`` split into gap, word, gap, word, …, gap (shared by the
        scanners of one text; folding keeps offsets and word edges, so its parts line up with the text's)."""
        if self._fold:
            parts = folded_parts
        elif self._folded_roots.isdisjoint(folded_parts):  # no need to split the text again
            return []
        else:
            parts = _WORD_RUNS.split(text)
        roots = self._roots
        # The words that begin a name: parts alternate gap, word, gap, …, and only words are looked up.
        starts = list(compress(count(1, 2), map(roots.__contains__, islice(parts, 1, None, 2))))
        if not starts:
            return []
        offsets = list(accumulate(map(len, parts), initial=0))
        last = len(parts) - 1
        out: list[tuple[int, int]] = []
        resume = 0
        for k in starts:
            if k < resume:
                continue
            node, j, end = roots[parts[k]], k, -1
            while True:
                if "" in node:
                    end = j  # the longest name so far; a longer one may follow
                if j + 2 > last or len(node) == ("" in node):
                    break
                words = node.get(_gap_key(parts[j + 1]))
                node = words.get(parts[j + 2]) if words else None
                if node is None:
                    break
                j += 2
            if end >= 0:
                out.append((offsets[k], offsets[end + 1]))
                resume = end + 1
        return out


def _scanner(names: Sequence[str], fold: bool) -> _WordScanner | _RegexScanner:
    words = [word_name(fold_case(n) if fold else n) for n in names]
    if all(w is not None for w in words):
        return _WordScanner([w for w in words if w is not None], fold)
    return _RegexScanner(names, fold)


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    slug: str
    text: str


class TermMatcher:
    """Finds non-overlapping mentions of glossary terms in plain text, longest names first."""

    def __init__(self, terms: Sequence[Term]) -> None:
        self.terms = {t.slug: t for t in terms}
        insensitive: list[tuple[str, str]] = []
        sensitive: list[tuple[str, str]] = []
        for t in terms:
            for name in t.names:
                target = sensitive if (t.case_sensitive and name == t.abbr) else insensitive
                target.append((name, t.slug))
        self._lookup: dict[str, str] = {}
        self._lookup_exact: dict[str, str] = {}
        for name, slug in insensitive:
            self._lookup.setdefault(self._key(name), slug)
        for name, slug in sensitive:
            self._lookup_exact.setdefault(self._key(name, fold=False), slug)
        self._slug_of_span: dict[str, str | None] = {}
        self._slug_of_exact_span: dict[str, str | None] = {}
        self._insensitive = _scanner([n for n, _ in insensitive], fold=True) if insensitive else None
        self._sensitive = _scanner([n for n, _ in sensitive], fold=False) if sensitive else None

    @staticmethod
    def _key(name: str, fold: bool = True) -> str:
        key = _SEPARATORS.sub(" ", name.strip())
        return key.casefold() if fold else key

    def _slug_of(self, name: str, fold: bool) -> str | None:
        """The term a matched span of text names (None when it folds otherwise than the names)."""
        # A build matches the same few spellings of each name thousands of times: each spelling is
        # normalised once (the cache holds spellings of glossary names only, so it stays small).
        cache = self._slug_of_span if fold else self._slug_of_exact_span
        try:
            return cache[name]
        except KeyError:
            slug = cache[name] = (self._lookup if fold else self._lookup_exact).get(self._key(name, fold=fold))
            return slug

    def _found(self, text: str) -> list[tuple[int, int, str]]:
        """``(start, end, slug)`` of every mention ``find`` gives, in order."""
        found: list[tuple[int, int, str]] = []
        folded_parts = _WORD_RUNS.split(fold_case(text))
        for scanner, fold in ((self._sensitive, False), (self._insensitive, True)):
            if scanner is None:
                continue
            for start, end in scanner.spans(text, folded_parts):
                # A span whose text folds otherwise than the names (a dotted capital I) names nothing.
                slug = self._slug_of(text[start:end], fold)
                if slug:
                    found.append((start, end, slug))
        if len(found) < 2:
            return found
        found.sort(key=lambda m: (m[0], m[0] - m[1]))
        out: list[tuple[int, int, str]] = []
        last_end = -1
        for m in found:
            if m[0] >= last_end:
                out.append(m)
                last_end = m[1]
        return out

    def find(self, text: str) -> list[Mention]:
        return [Mention(start, end, slug, text[start:end]) for start, end, slug in self._found(text)]

    def slugs_in(self, text: str) -> list[str]:
        """Distinct term slugs mentioned in ``text``, in order of first mention."""
        return list(dict.fromkeys(slug for _, _, slug in self._found(text)))


@lru_cache(maxsize=8)
def matcher_for(terms: tuple[Term, ...]) -> TermMatcher:
    """The one matcher of a glossary: the link stage and the renderer share it (and its caches)."""
    return TermMatcher(terms)


def default_matcher() -> TermMatcher:
    return matcher_for(load_glossary())
