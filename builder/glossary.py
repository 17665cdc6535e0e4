"""The glossary and synonym data (``builder/data/glossary.yml``, ``synonyms.yml``) and a matcher that
finds where a text mentions a term.

Matching is on word boundaries (no "RAG" inside "storage", no "PPO" inside "support"), longest name
first (so "flash attention" wins over "attention"), case-insensitive, except an abbreviation marked
``case_sensitive`` (ZeRO, RAG, CoT), which must appear exactly as written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Sequence

from builder.model import Term
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


def _units(name: str) -> list[str]:
    """A name as trie units: its characters, each run of spaces or hyphens one separator unit."""
    parts = re.split(r"[\s\-]+", name.strip())
    units: list[str] = []
    for i, part in enumerate(parts):
        if i:
            units.append(_SEPARATOR)
        units.extend(part)
    return units


def _trie_regex(node: dict[str, dict]) -> str:
    """The names of a character trie as one regex, so a scan never retries every name at a position.

    A name that ends where a longer one continues becomes an optional tail; greedy, so the longest
    name wins, and it backtracks to the shorter one when the longer one does not end on a word boundary.
    """
    branches = [
        (r"[\s\-]+" if unit == _SEPARATOR else re.escape(unit)) + _trie_regex(child)
        for unit, child in sorted(node.items())
        if unit
    ]
    if not branches:
        return ""
    inner = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{inner})?" if "" in node else inner


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
        self._insensitive = self._compile([n for n, _ in insensitive], re.IGNORECASE)
        self._sensitive = self._compile([n for n, _ in sensitive], 0)

    @staticmethod
    def _key(name: str, fold: bool = True) -> str:
        key = re.sub(r"[\s\-]+", " ", name.strip())
        return key.casefold() if fold else key

    @staticmethod
    def _compile(names: Iterable[str], flags: int) -> re.Pattern[str] | None:
        trie: dict[str, dict] = {}
        for name in set(names):
            node = trie
            # Case-insensitive names share a trie path whatever their capitals; IGNORECASE matches them.
            for unit in _units(name.lower() if flags & re.IGNORECASE else name):
                node = node.setdefault(unit, {})
            node[""] = {}
        if not trie:
            return None
        # Word boundaries that also treat '-' and '_' as part of a word: "RAG-based" is a mention,
        # "pre_RAG_x" and "storage" are not.
        return re.compile(rf"(?<![\w])(?:{_trie_regex(trie)})(?![\w])", flags)

    def find(self, text: str) -> list[Mention]:
        found: list[Mention] = []
        for pattern, lookup, fold in ((self._sensitive, self._lookup_exact, False), (self._insensitive, self._lookup, True)):
            if pattern is None:
                continue
            for m in pattern.finditer(text):
                slug = lookup.get(self._key(m.group(0), fold=fold))
                if slug:
                    found.append(Mention(m.start(), m.end(), slug, m.group(0)))
        found.sort(key=lambda m: (m.start, -(m.end - m.start)))
        out: list[Mention] = []
        last_end = -1
        for m in found:
            if m.start >= last_end:
                out.append(m)
                last_end = m.end
        return out

    def slugs_in(self, text: str) -> list[str]:
        """Distinct term slugs mentioned in ``text``, in order of first mention."""
        return list(dict.fromkeys(m.slug for m in self.find(text)))


@lru_cache(maxsize=8)
def matcher_for(terms: tuple[Term, ...]) -> TermMatcher:
    """The one matcher of a glossary: the link stage and the renderer share it (and its caches)."""
    return TermMatcher(terms)


def default_matcher() -> TermMatcher:
    return matcher_for(load_glossary())
