"""The render stage: the site's pages as Markdown text, from the classified entries and the sources.

Nothing here reads or writes files; ``builder.write`` does that.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Sequence

from builder.coverage import Coverage
from builder.editorial import Editorial
from builder.glossary import TermMatcher
from builder.model import Links, MovedTopic, Page, Parsed, Section
from builder.render.answer_html import AnswerHtml
from builder.render.book import render_book, render_downloads
from builder.render.coverage import render_coverage
from builder.render.entry_list import render_entry_list
from builder.render.glossary import render_glossary
from builder.render.home import render_home
from builder.render.moved import render_moved
from builder.render.review import render_review
from builder.render.site import SiteIndex, build_index
from builder.render.source import render_reference, render_source, render_sources_index
from builder.render.terms import render_term_definitions
from builder.render.topic import render_topic


@dataclass(frozen=True)
class RenderedSite:
    """Every page but the coverage report, which is rendered last (``with_coverage``): it lists every
    stage's problems, and the search index is still being written while the pages are rendered."""

    index: SiteIndex
    pages: tuple[Page, ...]

    def with_coverage(self, coverage: Coverage) -> list[Page]:
        return [*self.pages, render_coverage(self.index, coverage)]


def render_site(
    parsed: Sequence[Parsed],
    sections: Sequence[Section],
    links: Links | None = None,
    matcher: TermMatcher | None = None,
    editorial: Mapping[str, Editorial] | None = None,
    moved: Sequence[MovedTopic] = (),
    answer_html: AnswerHtml | None = None,
) -> RenderedSite:
    """Every page but the coverage report; ``answer_html`` converts the answers (and keeps them for
    the Anki decks)."""
    index = build_index(parsed, sections, links, matcher, editorial, answer_html)
    pages = [render_home(index), render_sources_index(index)]
    pages += [render_topic(index, s) for s in sections]
    pages += [page for m in moved if (page := render_moved(m, sections)) is not None]
    pages += [render_source(index, p) for p in parsed]
    pages += [page for p in parsed if (page := render_reference(p)) is not None]
    pages.append(render_entry_list(index))
    pages += [page for page in (render_glossary(index), render_term_definitions(index)) if page is not None]
    pages += [render_book(index), render_downloads(index), render_review(index)]
    return RenderedSite(index, tuple(pages))


__all__ = ["RenderedSite", "SiteIndex", "render_site"]
