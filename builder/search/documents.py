"""The search documents, from the model: one per question, one per glossary term.

A document holds what a reader may type to find a question (the fields of ``data/search.yml``):
the question, its other wordings and the other names of its concepts, its key points, its topic and
levels, and, if asked for, its answers as plain words. A glossary term is a document too (the term,
its abbreviation and aliases, its definition) at ``glossary_weight``: "what is the vanishing gradient
problem" has no question of its own, only the term. A result is then a question or a term, opening
at its anchor, never a topic page listing it.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Any, Mapping, Sequence

from builder.editorial import Editorial, shown_levels
from builder.model import Section, Term
from builder.paths import GLOSSARY_PATH, site_url, topic_path
from builder.search.rules import SearchRules
from builder.search.vocabulary import SearchVocabulary
from builder.tex import math_as_text

GLOSSARY_TOPIC = "glossary"


@dataclass(frozen=True)
class SearchDocument:
    url: str  # page URL and anchor, from the site root: the document's id and where its result opens
    topic: str  # the topic's slug, or "glossary"
    levels: tuple[str, ...]  # "beginner", … as the page shows them (given or estimated)
    title: str  # plain text, as a result shows it
    alt: str
    keys: str
    where: str
    text: str
    weight: float  # the document's own boost: 1, or the glossary's weight

    def as_json(self, fields: Sequence[str]) -> dict[str, Any]:
        """The document as the index writer gets it: its id, what is stored for results, and the fields indexed."""
        out: dict[str, Any] = {"id": self.url, "title": self.title, "topic": self.topic, "levels": list(self.levels)}
        if self.weight != 1:
            out["weight"] = self.weight
        for name in fields:
            if name != "title":
                out[name] = getattr(self, name)
        return out


_FENCE = re.compile(r"^\s*(```|~~~).*$", re.M)
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_TAG = re.compile(r"<[^>]+>")
_EMPHASIS = re.compile(r"[`*~]+|(?<!\w)_+|_+(?!\w)")  # "d_k" keeps its underscore
_MARKUP = re.compile(r"[#>|\\{}]+")
_LIST_MARK = re.compile(r"(?m)^\s*(?:[-+]|\d+\.)\s+")
_RULE = re.compile(r"-{3,}|={3,}")


def plain(markdown: str) -> str:
    """Markdown with TeX math as the words a reader would type: no markup, formulas as text."""
    text = _FENCE.sub(" ", markdown)
    text = math_as_text(text)
    text = _LINK.sub(r"\1", text)
    text = _TAG.sub(" ", text)
    text = _LIST_MARK.sub(" ", text)
    text = _RULE.sub(" ", text)
    text = _MARKUP.sub(" ", _EMPHASIS.sub("", html.unescape(text)))
    return " ".join(text.split())


def question_documents(
    sections: Sequence[Section], editorial: Mapping[str, Editorial], vocabulary: SearchVocabulary, rules: SearchRules
) -> list[SearchDocument]:
    """One document per entry, in reading order."""
    with_text = "text" in rules.fields
    out: list[SearchDocument] = []
    for section in sections:
        topic = section.topic
        url = site_url(topic_path(topic))
        for entry in section.entries:
            notes = editorial.get(entry.id)
            levels = tuple(level.label.lower() for level in shown_levels(entry, notes)[0])
            wordings = (entry.question, *entry.variants)
            out.append(SearchDocument(
                url=f"{url}#{entry.id}",
                topic=topic.slug,
                levels=levels,
                title=plain(entry.question),
                alt=" · ".join(plain(t) for t in (*entry.variants, *vocabulary.search_names(wordings))),
                keys=" ".join(plain(k) for k in (notes.key_points if notes else ())),
                where=" ".join((topic.title, *levels)),
                text=" ".join(plain(item.answer) for item in entry.items) if with_text else "",
                weight=1.0,
            ))
    return out


def glossary_documents(terms: Sequence[Term], rules: SearchRules) -> list[SearchDocument]:
    """One document per glossary term, at its anchor on the glossary page."""
    url = site_url(GLOSSARY_PATH)
    return [
        SearchDocument(
            url=f"{url}#{term.slug}",
            topic=GLOSSARY_TOPIC,
            levels=(),
            title=plain(term.term),
            alt=" · ".join(plain(n) for n in (term.abbr, *term.aliases) if n),
            keys=plain(term.definition),
            where="Glossary",
            text="",
            weight=rules.glossary_weight,
        )
        for term in terms
    ]


def search_documents(
    sections: Sequence[Section],
    editorial: Mapping[str, Editorial],
    terms: Sequence[Term],
    vocabulary: SearchVocabulary,
    rules: SearchRules,
) -> list[SearchDocument]:
    """Every document of the index: the questions in reading order, then the glossary's terms."""
    return question_documents(sections, editorial, vocabulary, rules) + glossary_documents(terms, rules)
