"""The link stage: which glossary terms each entry discusses, which entries are related, which topics
are near each other. A pure function of the classified sections, the glossary and the key points.

Terms
    A term counts for an entry when its question or the prose of one of its answers names it
    (``builder.prose.prose_mentions``, so a name in code, math, a URL or a link does not count).
    ``answer_terms`` holds what the answers name, found by the same function the topic pages use to
    place term links: exactly the terms that get a link. ``entries_of_term`` ranks the entries that discuss
    a term: questions naming it first, then by how often the answers name it, then reading order.

Related entries and See also
    From the concepts the entries share (``builder/related.py``).
"""

from __future__ import annotations

import logging
from collections import Counter
from typing import Mapping, Sequence

from builder.glossary import TermMatcher
from builder.model import Entry, Links, Section, Term
from builder.prose import prose_mentions, prose_text
from builder.related import entry_concepts, load_generic, nearest_topics, related_entries, tfidf

log = logging.getLogger(__name__)


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


def link(
    sections: Sequence[Section], terms: Sequence[Term], matcher: TermMatcher, key_points: Mapping[str, Sequence[str]] | None = None
) -> Links:
    """Terms per entry, entries per term, related entries per entry, nearest topics per topic
    (``matcher`` finds the glossary's ``terms`` in text; ``key_points`` are the handbook's, by entry id)."""
    entries = [e for s in sections for e in s.entries]
    topic_index = [t for t, s in enumerate(sections) for _ in s.entries]

    answer_terms: dict[str, tuple[str, ...]] = {}
    question_terms: dict[str, tuple[str, ...]] = {}
    discussed: dict[str, list[tuple[int, int, int, str]]] = {}
    question_prose = [prose_text(e.question) for e in entries]
    for position, entry in enumerate(entries):
        in_question, counts, ordered = _entry_terms(entry, matcher, question_prose[position])
        answer_terms[entry.id] = ordered
        question_terms[entry.id] = tuple(slug for slug in in_question if slug not in counts)
        for slug in dict.fromkeys((*in_question, *counts)):
            discussed.setdefault(slug, []).append((0 if slug in in_question else 1, -counts[slug], position, entry.id))
    entries_of_term = {
        t.slug: tuple(entry_id for *_, entry_id in sorted(discussed[t.slug])) for t in terms if t.slug in discussed
    }

    if entries:
        topics = [sections[t].topic.slug for t in topic_index]
        concepts = entry_concepts(entries, topics, matcher, terms, key_points or {}, load_generic())
        vectors = tfidf(concepts.documents)
        related_rows = related_entries(entries, concepts, vectors)
        near = nearest_topics(vectors, topic_index, len(sections))
    else:
        related_rows, near = [], [[] for _ in sections]

    related = {entries[i].id: tuple(entries[j].id for j in row) for i, row in enumerate(related_rows)}
    see_also = {s.topic.slug: tuple(sections[j].topic.slug for j in near[t]) for t, s in enumerate(sections)}
    log.info("%d related links; %d entries without any (nothing shares their concepts)",
             sum(len(row) for row in related_rows), sum(1 for row in related_rows if not row))
    return Links(
        terms=tuple(terms),
        answer_terms=answer_terms,
        question_terms=question_terms,
        entries_of_term=entries_of_term,
        related=related,
        see_also=see_also,
    )
