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
from pathlib import Path
from typing import Any, Iterable, Sequence

from builder.glossary import DATA, TermMatcher, load_synonyms
from builder.model import Entry, Page, Term
from builder.yamlio import load_yaml_file

log = logging.getLogger(__name__)

CSS_CLASS = "hb-search-terms"
SEARCH_SETTINGS = DATA / "search.yml"


# Where the index's separator (mkdocs.yml) splits a CamelCase join: "FlashAttention", not "QLoRA".
_CAMEL_JOIN = re.compile(r"(?<=[a-z])(?=[A-Z][a-z]{2,})")
_HYPHENATED = re.compile(r"\b\w+(?:-\w+)+\b")
_CAMEL_WORD = re.compile(r"\b\w*[a-z][A-Z][a-z]{2,}\w*\b")
_WORD_ONLY = re.compile(r"[^\W_]+")


def _fold(text: str) -> str:
    """The words the index sees, lower case, one space apart: "FlashAttention (top-p)" → "flash attention top p"."""
    return " ".join(_WORD_ONLY.findall(_CAMEL_JOIN.sub(" ", text))).casefold()


def joined_forms(texts: Iterable[str]) -> list[str]:
    """Words the index splits, written as one: hyphenated ("re-ranking" → "reranking") and CamelCase
    ("DeepSpeed" → "deepspeed"). Without these a reader who types the word solid finds nothing."""
    words = (m.group(0) for t in texts for pattern in (_HYPHENATED, _CAMEL_WORD) for m in pattern.finditer(t))
    return list(dict.fromkeys(w.replace("-", "").casefold() for w in words))


class SearchVocabulary:
    """Every name of every concept the glossary and the synonym groups know, and a matcher for them."""

    def __init__(self, terms: Sequence[Term], groups: Sequence[Sequence[str]], generic: Iterable[str] = ()) -> None:
        # An abbreviation that is also an ordinary word (ZeRO, RAG, CoT) is matched only as the
        # glossary writes it, also when a synonym group lists it in lower case.
        exact = {t.abbr.casefold() for t in terms if t.case_sensitive and t.abbr}
        concepts: list[Term] = list(terms)
        self._names: dict[str, tuple[str, ...]] = {t.slug: t.names for t in terms}
        slug_of_name = {_fold(n): t.slug for t in terms for n in t.names}
        for i, group in enumerate(groups):
            # A group that shares a name with a glossary term is that term: its phrases join the
            # term's names (the matcher would find the shared name as the term, never as the group).
            shared = next((slug_of_name[_fold(p)] for p in group if _fold(p) in slug_of_name), None)
            if shared:
                self._names[shared] = (*self._names[shared], *group)
                continue
            slug = f"synonyms-{i}"
            matchable = [p for p in group if p.casefold() not in exact]
            if matchable:
                concepts.append(Term(slug=slug, term=matchable[0], definition="", aliases=tuple(matchable[1:])))
            self._names[slug] = tuple(group)
        self._matcher = TermMatcher(concepts)
        generic_keys = {_fold(name) for name in generic}
        self._generic = {slug for slug, names in self._names.items() if any(_fold(n) in generic_keys for n in names)}

    def concepts_in(self, texts: Iterable[str]) -> list[str]:
        """Ids of the concepts the texts mention, in order of first mention."""
        return list(dict.fromkeys(slug for text in texts for slug in self._matcher.slugs_in(text)))

    def other_names(self, texts: Sequence[str]) -> list[str]:
        """Names of the concepts the texts mention that the texts do not already use, once each."""
        present = f' {" ".join(_fold(t) for t in texts)} '
        seen: set[str] = set()
        out: list[str] = []
        for slug in self.concepts_in(texts):
            if slug in self._generic:
                continue
            for name in self._names[slug]:
                key = _fold(name)
                # A spelling that differs only by hyphens or case adds nothing the index lacks.
                if key in seen or f" {key} " in present:
                    continue
                seen.add(key)
                out.append(name)
        return out

    def terms_block(self, texts: Sequence[str]) -> str:
        """A hidden HTML block naming the concepts of an entry worded ``texts`` (question first) in the
        words it does not use, and its joined words ("" if none)."""
        names = self.other_names(texts)
        folded = {_fold(name) for name in names}
        names += [w for w in joined_forms([*texts, *names]) if w not in folded]
        if not names:
            return ""
        text = html.escape(" · ".join(names), quote=False)
        return f'<div class="{CSS_CLASS}" hidden><p>{text}</p></div>'


def load_vocabulary(terms: Sequence[Term], path: Path = SEARCH_SETTINGS) -> SearchVocabulary:
    """The vocabulary of the glossary's ``terms``, the synonym groups and the generic names of ``search.yml``."""
    raw = load_yaml_file(path) or {}
    return SearchVocabulary(terms, load_synonyms(), (str(n) for n in raw.get("generic") or ()))


def search_terms_block(entry: Entry, vocabulary: SearchVocabulary | None) -> str:
    """The entry's hidden block of other names ("" without a vocabulary)."""
    return vocabulary.terms_block((entry.question, *entry.variants)) if vocabulary is not None else ""


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
