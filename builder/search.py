"""What the site's search index sees: each question under all the names of its concepts, and only
the pages a reader searches.

Material's search plugin indexes one document per heading (so each question is its own result,
opening the answer itself) and takes per-page settings from front matter. This module adds to that:

A reader types "nucleus sampling", "GQA" or "rotary embeddings"; the question may say "top-p",
"grouped-query attention" or "RoPE". For each entry this module finds the concepts its question (and
its other wordings) mention, with the glossary's ``TermMatcher``, over glossary terms
(``data/glossary.yml``: term, abbreviation, aliases) and over the synonym groups of
``data/synonyms.yml``, and lists every other name of those concepts in a ``hidden`` block inside the
entry. Material's search indexes the block's text with the entry's section; ``hidden`` keeps it off
the screen, out of print and out of the accessibility tree.

Only the question's wording is matched, not the answer: an answer mentions many concepts in passing,
and their names would make the entry a result for concepts it is not about.

Per page, ``data/search.yml`` says which pages stay out of the index (home, coverage, provenance
lists: they repeat question text and would crowd the results) and which rank lower; it becomes each
page's ``search:`` front matter.
"""

from __future__ import annotations

import html
import logging
import re
from dataclasses import replace
from fnmatch import fnmatchcase
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Sequence

from builder.glossary import DATA, GLOSSARY, TermMatcher, load_glossary, load_synonyms
from builder.model import Entry, Page, Term
from builder.yamlio import load_yaml_file

log = logging.getLogger(__name__)

CSS_CLASS = "hb-search-terms"
SEARCH_SETTINGS = DATA / "search.yml"


# Where the index's separator (mkdocs.yml) splits a CamelCase join: "FlashAttention", not "QLoRA".
_CAMEL_JOIN = re.compile(r"(?<=[a-z])(?=[A-Z][a-z]{2,})")
_HYPHENATED = re.compile(r"\b\w+(?:-\w+)+\b")
_CAMEL_WORD = re.compile(r"\b\w*[a-z][A-Z][a-z]{2,}\w*\b")
_CAMEL_HINT = re.compile(r"[a-z][A-Z][a-z]{2}")
"""What every match of ``_CAMEL_JOIN`` and ``_CAMEL_WORD`` touches: a text without it (nearly all) skips
their slower scans (a lookaround, or a backtracking ``\\w*``, tried at every position)."""
_WORD_ONLY = re.compile(r"[^\W_]+")


def _fold(text: str) -> str:
    """The words the index sees, lower case, one space apart: "FlashAttention (top-p)" → "flash attention top p"."""
    if _CAMEL_HINT.search(text):
        text = _CAMEL_JOIN.sub(" ", text)
    # The runs of word characters (no "_"), one space apart: what replacing every other run by a space
    # and splitting on white space gives, as no word character is white space.
    return " ".join(_WORD_ONLY.findall(text)).casefold()


def _joined_words(text: str) -> list[str]:
    """``joined_forms`` of one text, in order, repeats kept."""
    matches = list(_HYPHENATED.finditer(text)) if "-" in text else []
    if _CAMEL_HINT.search(text):
        matches += _CAMEL_WORD.finditer(text)
    return [m.group(0).replace("-", "").casefold() for m in matches]


def joined_forms(texts: Iterable[str]) -> list[str]:
    """Words the index splits, written as one: hyphenated ("re-ranking" → "reranking") and CamelCase
    ("DeepSpeed" → "deepspeed"). Without these a reader who types the word solid finds nothing."""
    return list(dict.fromkeys(w for t in texts for w in _joined_words(t)))


class SearchVocabulary:
    """Every name of every concept the glossary and the synonym groups know, and a matcher for them."""

    def __init__(self, terms: Sequence[Term], groups: Sequence[Sequence[str]], generic: Iterable[str] = ()) -> None:
        # An abbreviation that is also an ordinary word (ZeRO, RAG, CoT) is matched only as the
        # glossary writes it, also when a synonym group lists it in lower case.
        exact = {t.abbr.casefold() for t in terms if t.case_sensitive and t.abbr}
        # The same names are folded several times below: each is folded once.
        fold = lru_cache(maxsize=None)(_fold)
        concepts: list[Term] = list(terms)
        self._names: dict[str, tuple[str, ...]] = {t.slug: t.names for t in terms}
        slug_of_name = {fold(n): t.slug for t in terms for n in t.names}
        for i, group in enumerate(groups):
            # A group that shares a name with a glossary term is that term: its phrases join the
            # term's names (the matcher would find the shared name as the term, never as the group).
            shared = next((slug_of_name[fold(p)] for p in group if fold(p) in slug_of_name), None)
            if shared:
                self._names[shared] = (*self._names[shared], *group)
                continue
            slug = f"synonyms-{i}"
            matchable = [p for p in group if p.casefold() not in exact]
            if matchable:
                concepts.append(Term(slug=slug, term=matchable[0], definition="", aliases=tuple(matchable[1:])))
            self._names[slug] = tuple(group)
        self._matcher = TermMatcher(concepts)
        # Each name with its folded form (and that between spaces, as ``_other_names`` looks for it),
        # folded once here rather than for every entry.
        self._folded: dict[str, tuple[tuple[str, str, str], ...]] = {
            slug: tuple((name, key, f" {key} ") for name in names for key in (fold(name),)) for slug, names in self._names.items()
        }
        # Each name's joined forms, found once here rather than for every entry that names the concept.
        self._joined = {name: _joined_words(name) for names in self._names.values() for name in names}
        # Search blocks by the question's wordings: the topic page and the print book ask for the same entry.
        self._blocks: dict[tuple[str, ...], str] = {}
        generic_keys = {fold(name) for name in generic}
        self._generic = {slug for slug, names in self._names.items() if any(fold(n) in generic_keys for n in names)}

    def concepts_in(self, texts: Iterable[str]) -> list[str]:
        """Ids of the concepts the texts mention, in order of first mention."""
        return list(dict.fromkeys(slug for text in texts for slug in self._matcher.slugs_in(text)))

    def terms_block(self, texts: tuple[str, ...]) -> str:
        """``search_terms_block`` for an entry worded ``texts`` (question first), computed once per wording."""
        block = self._blocks.get(texts)
        if block is None:
            block = self._blocks[texts] = _terms_block(self, texts)
        return block

    def other_names(self, texts: Sequence[str]) -> list[str]:
        """Names of the concepts the texts mention that the texts do not already use, once each."""
        return [name for name, _ in self._other_names(texts)]

    def _other_names(self, texts: Sequence[str]) -> list[tuple[str, str]]:
        """``other_names`` with each name's folded form."""
        present = f' {" ".join(_fold(t) for t in texts)} '
        seen: set[str] = set()
        out: list[tuple[str, str]] = []
        for slug in self.concepts_in(texts):
            if slug in self._generic:
                continue
            for name, key, spaced in self._folded[slug]:
                # A spelling that differs only by hyphens or case adds nothing the index lacks.
                if key in seen or spaced in present:
                    continue
                seen.add(key)
                out.append((name, key))
        return out

    def joined_forms_of(self, texts: Sequence[str], names: Sequence[str]) -> list[str]:
        """``joined_forms([*texts, *names])`` for names of this vocabulary (their forms found once)."""
        words = [w for t in texts for w in _joined_words(t)]
        words += [w for name in names for w in self._joined[name]]
        return list(dict.fromkeys(words))


@lru_cache(maxsize=1)
def default_vocabulary() -> SearchVocabulary:
    raw = load_yaml_file(SEARCH_SETTINGS) or {}
    # The path is passed as the link stage passes it (``link.read_glossary``), so ``load_glossary``'s
    # cache, keyed by its arguments as written, hands back the glossary already read this build.
    return SearchVocabulary(load_glossary(GLOSSARY), load_synonyms(), (str(n) for n in raw.get("generic") or ()))


def search_terms_block(entry: Entry, vocabulary: SearchVocabulary | None = None) -> str:
    """A hidden HTML block naming the entry's concepts in the words its question does not use ("" if none)."""
    vocabulary = vocabulary or default_vocabulary()
    return vocabulary.terms_block((entry.question, *entry.variants))


def _terms_block(vocabulary: SearchVocabulary, texts: tuple[str, ...]) -> str:
    pairs = vocabulary._other_names(texts)
    names = [name for name, _ in pairs]
    folded = {key for _, key in pairs}
    names += [w for w in vocabulary.joined_forms_of(texts, names) if w not in folded]
    if not names:
        return ""
    text = html.escape(" · ".join(names), quote=False)
    return f'<div class="{CSS_CLASS}" hidden><p>{text}</p></div>'


def load_search_settings(path: Path = SEARCH_SETTINGS) -> tuple[tuple[str, ...], dict[str, float]]:
    """The ``exclude`` path patterns and the ``boost`` per path pattern of ``data/search.yml``."""
    raw = load_yaml_file(path) or {}
    exclude = tuple(str(p) for p in raw.get("exclude") or ())
    boost = {str(p): float(b) for p, b in (raw.get("boost") or {}).items()}
    return exclude, boost


def search_front_matter(path: str, exclude: Sequence[str], boost: dict[str, float]) -> dict[str, Any]:
    """Material's ``search:`` front matter for the page at ``path`` ({} when the defaults apply)."""
    if any(fnmatchcase(path, pattern) for pattern in exclude):
        return {"exclude": True}
    for pattern, factor in boost.items():
        if fnmatchcase(path, pattern) and factor != 1:
            return {"boost": factor}
    return {}


def with_search_settings(pages: Sequence[Page], path: Path = SEARCH_SETTINGS) -> list[Page]:
    """The pages, each with the ``search:`` front matter ``data/search.yml`` gives its path."""
    exclude, boost = load_search_settings(path)
    out: list[Page] = []
    for page in pages:
        search = search_front_matter(page.path, exclude, boost)
        out.append(replace(page, front_matter={**page.front_matter, "search": search}) if search else page)
    log.debug("search settings applied to %d of %d pages", sum(a is not b for a, b in zip(out, pages)), len(pages))
    return out
