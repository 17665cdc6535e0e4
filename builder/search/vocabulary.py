"""Every name of a concept: what a question's search document lists besides its own words.

A reader types "nucleus sampling", "GQA" or "rotary embeddings"; the question may say "top-p",
"grouped-query attention" or "RoPE". For each entry the concepts its question (and its other
wordings) mention are found with the glossary's ``TermMatcher``, over glossary terms
(``data/glossary.yml``: term, abbreviation, aliases) and over the synonym groups of
``data/synonyms.yml``; every other name of those concepts goes into the entry's search document.

Only the question's wording is matched, not the answer: an answer mentions many concepts in passing,
and their names would make the entry a result for concepts it is not about.
"""

from __future__ import annotations

import re
from typing import Iterable, Sequence

from builder.glossary import TermMatcher, load_synonyms
from builder.model import Term

# Where the index's tokenizer (`words` in web/query.js) splits a CamelCase join: "FlashAttention", not "QLoRA".
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

    def search_names(self, texts: Sequence[str]) -> list[str]:
        """The other names of the concepts of an entry worded ``texts`` (question first), then the
        words the index would split written solid ("reranking")."""
        names = self.other_names(texts)
        folded = {_fold(name) for name in names}
        return names + [w for w in joined_forms([*texts, *names]) if w not in folded]


def load_vocabulary(terms: Sequence[Term], generic: Iterable[str] = ()) -> SearchVocabulary:
    """The vocabulary of the glossary's ``terms``, the synonym groups and the ``generic`` names (``search.yml``)."""
    return SearchVocabulary(terms, load_synonyms(), generic)
