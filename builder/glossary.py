"""The glossary and synonym data (``builder/data/glossary.yml``, ``synonyms.yml``) and a matcher that
finds where a text mentions a term.

Matching is on word boundaries (no "RAG" inside "storage", no "PPO" inside "support"), longest name
first (so "flash attention" wins over "attention"), case-insensitive, except an abbreviation marked
``case_sensitive`` (ZeRO, RAG, CoT), which must appear exactly as written.

The names are a trie of their tokens (runs of word characters, runs of spaces and hyphens, any other
character alone), so "llama.cpp" and "C++" are found as "KV cache" is. The pipeline builds one matcher
and passes it to the link stage and the renderer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import accumulate
from pathlib import Path
from typing import Sequence

import yaml

from builder.model import Problem, Term
from builder.yamlio import load_yaml_file

DATA = Path(__file__).resolve().parent / "data"
GLOSSARY = DATA / "glossary.yml"
SYNONYMS = DATA / "synonyms.yml"


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
            not_near=tuple(str(w) for w in t.get("not_near") or ()),
        )
        for t in raw.get("terms", ())
    )


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


def load_synonyms(path: Path = SYNONYMS) -> tuple[tuple[str, ...], ...]:
    raw = load_yaml_file(path) or {}
    return tuple(tuple(str(p) for p in group) for group in raw.get("groups", ()))


# A text as tokens: runs of word characters, runs of spaces and hyphens, and any other character alone.
# A name matches where its tokens do, its words whole (no "RAG" inside "storage") and any run of spaces,
# hyphens or line breaks standing for any other ("KV cache", "KV-cache", "KV\ncache").
_TOKEN = re.compile(r"\w+|[\s\-]+|.", re.DOTALL)
_SEPARATOR = " "
_SEPARATORS = re.compile(r"[\s\-]+")
_is_word = re.compile(r"\w").match
_SENTENCE_END = re.compile(r"[.!?](?=\s)|\n")

# The letters Unicode case folding equates with an ASCII letter although ``str.lower`` does not give it
# (or gives it two characters long): dotted and dotless i, long s, the Kelvin sign.
_FOLD_SPECIAL = {"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"}
_FOLD_SPECIAL_CHARACTER = re.compile("[" + "".join(_FOLD_SPECIAL) + "]")


def fold_case(text: str) -> str:
    """``text`` in lower case, one character for one, so offsets into it are offsets into ``text``."""
    return _FOLD_SPECIAL_CHARACTER.sub(lambda m: _FOLD_SPECIAL[m.group()], text).lower()


def _key(token: str) -> str:
    """A token as the trie knows it: every run of spaces and hyphens is one separator."""
    return _SEPARATOR if token[0] == "-" or token[0].isspace() else token


def _spelling(name: str) -> str:
    """A name as written, each run of spaces and hyphens one space: how a case-sensitive name is compared."""
    return _SEPARATORS.sub(_SEPARATOR, name.strip())


@dataclass
class _Node:
    """One token of the names' trie: the tokens that may follow, and the terms whose names end here."""

    next: dict[str, _Node] = field(default_factory=dict)
    slug: str | None = None  # the term a name ending here names, in any case
    exact: dict[str, str] = field(default_factory=dict)  # spelling → slug of names that count only as written


_Match = tuple[int, str] | None  # (the last token of a name, its term's slug)


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    slug: str
    text: str


class TermMatcher:
    """Finds non-overlapping mentions of glossary terms in plain text, longest names first.

    The names are a trie of their tokens (case folded); a text is split into tokens once and only a
    token that begins some name is followed further."""

    def __init__(self, terms: Sequence[Term]) -> None:
        self.terms = {t.slug: t for t in terms}
        self._not_near = {
            t.slug: re.compile(r"(?<!\w)(?:" + "|".join(re.escape(w) for w in t.not_near) + r")(?!\w)", re.IGNORECASE)
            for t in terms
            if t.not_near
        }
        self._root = _Node()
        for t in terms:
            for name in t.names:
                node = self._root
                for token in _TOKEN.findall(fold_case(name.strip())):
                    node = node.next.setdefault(_key(token), _Node())
                if t.case_sensitive and name == t.abbr:
                    node.exact.setdefault(_spelling(name), t.slug)
                elif node.slug is None:  # the first term to give a name keeps it
                    node.slug = t.slug

    def _longest(self, text: str, tokens: list[str], offsets: list[int], k: int) -> tuple[_Match, _Match]:
        """The longest name starting at token ``k`` and ending at a word edge, as ``(last token, slug)``:
        of the case-sensitive names written exactly so, and of the others (None where there is none)."""
        exact = any_case = None
        node = self._root.next.get(tokens[k])
        j = k
        while node is not None:
            if (node.slug or node.exact) and (j + 1 == len(tokens) or not _is_word(tokens[j + 1])):
                if node.exact and (slug := node.exact.get(_spelling(text[offsets[k] : offsets[j + 1]]))):
                    exact = (j, slug)
                if node.slug:
                    any_case = (j, node.slug)
            j += 1
            node = node.next.get(_key(tokens[j])) if j < len(tokens) else None
        return exact, any_case

    def _found(self, text: str) -> list[tuple[int, int, str]]:
        """``(start, end, slug)`` of every mention ``find`` gives, in order."""
        tokens = _TOKEN.findall(fold_case(text))
        starts = [k for k, token in enumerate(tokens) if token in self._root.next]
        if not starts:
            return []
        offsets = list(accumulate(map(len, tokens), initial=0))
        found: list[tuple[int, int, str]] = []
        # Case-sensitive names and the others are each taken longest first, left to right, and then
        # the two lists merged, the longer mention winning where two overlap.
        resume = [0, 0]  # the first token each kind may start at
        for k in starts:
            if k and _is_word(tokens[k - 1]):
                continue
            for kind, longest in enumerate(self._longest(text, tokens, offsets, k)):
                if longest and k >= resume[kind]:
                    last, slug = longest
                    found.append((offsets[k], offsets[last + 1], slug))
                    resume[kind] = last + 1
        found.sort(key=lambda m: (m[0], m[0] - m[1]))
        out: list[tuple[int, int, str]] = []
        for m in found:
            if (not out or m[0] >= out[-1][1]) and self._in_sense(text, m):
                out.append(m)
        return out

    def _in_sense(self, text: str, mention: tuple[int, int, str]) -> bool:
        """False when a word of the term's ``not_near`` stands in the mention's sentence: the name is
        used in another sense there ("top-p" of retrieval, not of sampling)."""
        pattern = self._not_near.get(mention[2])
        if pattern is None:
            return True
        starts = [m.end() for m in _SENTENCE_END.finditer(text, 0, mention[0])]
        end = _SENTENCE_END.search(text, mention[1])
        sentence = text[starts[-1] if starts else 0 : end.start() if end else len(text)]
        return pattern.search(sentence) is None

    def find(self, text: str) -> list[Mention]:
        return [Mention(start, end, slug, text[start:end]) for start, end, slug in self._found(text)]

    def slugs_in(self, text: str) -> list[str]:
        """Distinct term slugs mentioned in ``text``, in order of first mention."""
        return list(dict.fromkeys(slug for _, _, slug in self._found(text)))
