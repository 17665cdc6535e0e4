"""The print edition: one page holding every topic (the book ``make pdf`` prints), and the PDF
download page.

The book reuses the topic page's entry renderer, so an answer reads the same on paper as on screen.
Its table of contents carries empty page-number slots; ``builder.pdf`` fills them from a first printing.
"""

from __future__ import annotations

import logging

from builder.model import Level, Page, Section
from builder.render.markdown import inline
from builder.render.pdf_links import BOOK_PDF, DOWNLOADS_PAGE, pdf_link, topic_pdf
from builder.render.site import SiteIndex, relative, topic_path
from builder.render.topic import render_entry

log = logging.getLogger(__name__)

BOOK_PAGE = "print/handbook.md"
BOOK_TITLE = "The LLM Interview Handbook"

# The same reading order as the topic pages (builder.render.topic groups entries this way).
_GROUPS: tuple[tuple[Level | None, str], ...] = (
    (Level.BEGINNER, "Beginner"),
    (Level.INTERMEDIATE, "Intermediate"),
    (Level.ADVANCED, "Advanced"),
    (None, "Any level"),
)


def book_anchor(section: Section) -> str:
    """The anchor of a topic's chapter in the book (its entry ids are already unique site-wide)."""
    return f"topic-{section.topic.slug}"


def _chapter(index: SiteIndex, section: Section) -> list[str]:
    topic = section.topic
    slug = topic.slug
    # The chapter starts exactly as the topic's own page does, so it prints on as many pages as the
    # topic's PDF (``builder.pdf`` numbers the contents from those page counts).
    groups = {level: [e for e in section.entries if (e.levels[0] if e.levels else None) == level] for level, _ in _GROUPS}
    summary = ", ".join(f"{len(groups[level])} {label.lower()}" for level, label in _GROUPS if groups[level])
    out = [
        f"# {inline(topic.title)} {{ #{book_anchor(section)} .hb-chapter }}",
        "",
        topic.summary,
        "",
        f'<p class="hb-topic-meta">{len(section.entries)} questions: {summary}.</p>',
        "",
    ]
    for level, label in _GROUPS:
        group = groups[level]
        if not group:
            continue
        out += [f"## {label} {{ #{slug}-level-{label.lower().replace(' ', '-')} }}", ""]
        out += [render_entry(index, BOOK_PAGE, e) for e in group]
    return out


def render_book(index: SiteIndex) -> Page:
    """Every topic on one page: a cover, a table of contents with page-number slots, one chapter per topic."""
    entries = index.entries
    answers = sum(len(e.items) for e in entries)
    out = [
        '<div class="hb-cover" markdown>',
        "",
        f'<p class="hb-cover-title">{BOOK_TITLE}</p>',
        "",
        f'<p class="hb-cover-subtitle">{len(entries)} interview questions about large language models, '
        f"with every answer from {len(index.parsed)} sources ({answers} answers), in {len(index.sections)} topics.</p>",
        "",
        '<p class="hb-cover-sources">Sources: '
        + " · ".join(inline(p.source.title) for p in index.parsed)
        + "</p>",
        "",
        "</div>",
        "",
        '<div class="hb-book-toc" markdown>',
        "",
        '<p class="hb-book-toc-title">Contents</p>',
        "",
    ]
    for number, section in enumerate(index.sections, 1):
        anchor = book_anchor(section)
        out.append(
            f'{number}. [{inline(section.topic.title)}](#{anchor}) '
            f'<span class="hb-toc-count">{len(section.entries)} questions</span>'
            f'<span class="hb-toc-page" data-target="{anchor}"></span>'
        )
    out += ["", "</div>", ""]
    for section in index.sections:
        out += _chapter(index, section)
    front_matter = {
        "title": f"{BOOK_TITLE} (print edition)",
        "description": "Every topic of the handbook on one page, for printing as a book.",
        "hide": ["navigation", "toc"],
        "search": {"exclude": True},
    }
    return Page(BOOK_PAGE, "\n".join(out).rstrip() + "\n", front_matter)


def render_downloads(index: SiteIndex) -> Page:
    """The PDF download page: every PDF, and how to build them when they are not there yet."""
    page = DOWNLOADS_PAGE
    out = [
        "# PDFs",
        "",
        "Each topic, and the whole handbook as one book, can be read offline or printed as a PDF: every "
        "answer expanded, every source's answer shown one after another, page numbers in the footer and "
        "a bookmark for each topic and question.",
        "",
        "Printing any page from the browser (Ctrl+P) gives the same clean layout.",
        "",
        "## The whole handbook { #handbook }",
        "",
        f"- {pdf_link(page, BOOK_PDF, BOOK_TITLE + ' (PDF)')}: a cover, contents with page numbers, "
        f"then all {len(index.sections)} topics. The same book as a web page: "
        f"[print edition]({relative(page, BOOK_PAGE)}).",
        "",
        "## One topic at a time { #topics }",
        "",
    ]
    for section in index.sections:
        slug = section.topic.slug
        out.append(
            f'- <span id="{slug}"></span>{pdf_link(page, topic_pdf(section), inline(section.topic.title))} '
            f"({len(section.entries)} questions; [web page]({relative(page, topic_path(section.topic))}))"
        )
    out += [
        "",
        "## Building the PDFs { #building }",
        "",
        "If the links above lead back to this page, the PDFs have not been built for this copy of the site. "
        "They are made from the built site with headless Chromium, so math and fonts match the web pages:",
        "",
        "```bash",
        "make site   # the site, into site/",
        "make pdf    # one PDF per topic and the book, into site/pdf/ (Debian's chromium is installed if missing)",
        "```",
        "",
        "`make pdf` then points every *Download PDF* link straight at its file. The published site is built this way.",
    ]
    return Page(page, "\n".join(out).rstrip() + "\n", {"title": "PDFs", "description": "Download each topic or the whole handbook as a PDF."})
