"""The lookup tables every page renderer shares, built once before rendering, and the one place that
turns an id into a relative ``.md`` link (so ``mkdocs build --strict`` checks every link written in
Markdown; in the HTML the builder converts itself, ``builder.render.answer_html``, it becomes the
built page's URL, and ``tests/test_links_site.py`` checks those). Page paths come from
``builder.paths``; the renderers import them from here."""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import Mapping, Sequence

from builder.editorial import Editorial, shown_levels
from builder.glossary import TermMatcher
from builder.model import Entry, Item, Level, Links, Parsed, Section, SourceDoc, Term, Topic
from builder.paths import GLOSSARY_PATH, reference_path, relative, source_path, topic_path, url_href  # noqa: F401 - the renderers' paths
from builder.render.answer_html import AnswerHtml
from builder.render.markdown import inline, item_anchor
from builder.typeset import Typeset


@dataclass(frozen=True)
class SiteIndex:
    """Everything a page renderer looks up, built once before rendering."""

    parsed: tuple[Parsed, ...]
    sections: tuple[Section, ...]
    topic_of: Mapping[str, Topic]  # entry id → topic
    entry_of_item: Mapping[str, Entry]  # item key → entry
    sources: Mapping[str, SourceDoc]  # file name → document
    entry_by_id: Mapping[str, Entry]
    answer_html: AnswerHtml  # converts the answers (with no math, formulas show as text)
    # entry id → its question as a link's text shows it, converted once: the glossary and the related
    # questions link each question from many places
    question_html: Mapping[str, str]
    links: Links | None = None  # the link stage's output; None renders no glossary or related links
    matcher: TermMatcher | None = None  # finds glossary terms in answers, to link them
    terms_by_slug: Mapping[str, Term] = field(default_factory=dict)
    editorial: Mapping[str, Editorial] = field(default_factory=dict)  # entry id → the handbook's own words

    @property
    def entries(self) -> tuple[Entry, ...]:
        return tuple(e for s in self.sections for e in s.entries)


def build_index(
    parsed: Sequence[Parsed],
    sections: Sequence[Section],
    links: Links | None = None,
    matcher: TermMatcher | None = None,
    editorial: Mapping[str, Editorial] | None = None,
    answer_html: AnswerHtml | None = None,
) -> SiteIndex:
    answer_html = answer_html or AnswerHtml(Typeset())
    topic_of: dict[str, Topic] = {}
    entry_of_item: dict[str, Entry] = {}
    for section in sections:
        for entry in section.entries:
            topic_of[entry.id] = section.topic
            for item in entry.items:
                entry_of_item[item.key] = entry
    return SiteIndex(
        parsed=tuple(parsed),
        sections=tuple(sections),
        topic_of=topic_of,
        entry_of_item=entry_of_item,
        sources={p.source.name: p.source for p in parsed},
        entry_by_id={e.id: e for s in sections for e in s.entries},
        links=links,
        matcher=matcher,
        terms_by_slug={t.slug: t for t in links.terms} if links is not None else {},
        editorial=editorial or {},
        answer_html=answer_html,
        question_html={e.id: answer_html.question(e.id, inline(e.question)) for s in sections for e in s.entries},
    )


def levels_of(index: SiteIndex, entry: Entry) -> tuple[tuple[Level, ...], bool]:
    """The levels a reader sees for ``entry`` and whether they are the handbook's estimate."""
    return shown_levels(entry, index.editorial.get(entry.id))


def link_to_entry(index: SiteIndex, from_page: str, entry: Entry) -> str:
    return relative(from_page, topic_path(index.topic_of[entry.id]), entry.id)


def question_link(index: SiteIndex, from_page: str, entry: Entry, text: str | None = None) -> str:
    """An HTML link on ``from_page`` to the entry's anchor, its question (or ``text``, HTML) as the text."""
    href = html.escape(url_href(from_page, link_to_entry(index, from_page, entry)))
    return f'<a href="{href}">{index.question_html[entry.id] if text is None else text}</a>'


def entry_line(index: SiteIndex, from_page: str, entry_id: str) -> str:
    """An entry as an HTML list item on ``from_page``: its question linked to its anchor, then its topic."""
    link = question_link(index, from_page, index.entry_by_id[entry_id])
    return f"<li>{link} <small>{html.escape(index.topic_of[entry_id].title, quote=False)}</small></li>"


def link_to_item_source(index: SiteIndex, from_page: str, item: Item) -> str:
    return relative(from_page, source_path(index.sources[item.source]), item_anchor(item))

