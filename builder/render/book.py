"""The print edition: one page holding every topic (the book ``make pdf`` prints), and the downloads
page (Anki decks and PDFs).

The book's Markdown is small: a cover, a table of contents with empty page-number slots (``builder.printing.pdf``
fills them from a first printing), and the chapters' place (``builder.book_chapters``). Each chapter is its
topic page as MkDocs built it, copied in after the build by ``builder.printing.edition`` (``python -m builder
book``), so every answer is converted once and reads the same on paper as on screen.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from builder.book_chapters import CHAPTERS_END, chapter_anchor, chapters_marker
from builder.model import Page, Section
from builder.paths import BOOK_DECK, BOOK_PATH, BOOK_PDF, DOWNLOADS_PATH, REVIEW_PATH, relative, topic_deck, topic_path, topic_pdf
from builder.render.markdown import inline
from builder.render.deck_links import deck_link
from builder.render.pdf_links import pdf_link
from builder.render.site import SiteIndex

log = logging.getLogger(__name__)

BOOK_TITLE = "The LLM Interview Handbook"


def book_anchor(section: Section) -> str:
    """The anchor of a topic's chapter in the book (its entry ids are already unique site-wide)."""
    return chapter_anchor(section.topic.slug)


def _chapters_place(sections: Sequence[Section]) -> list[str]:
    """Where the chapters go. Until they are filled in, one heading per chapter stands there, so the
    contents' links have their anchors when ``mkdocs build --strict`` checks them."""
    out = [chapters_marker([s.topic.slug for s in sections]), ""]
    for section in sections:
        out += [f"# {inline(section.topic.title)} {{ #{book_anchor(section)} .hb-chapter }}", ""]
    out += [
        "*The chapters are copied here from the topic pages once the site is built (`python -m builder book --site site`, "
        "which `make site` runs).*",
        "",
        CHAPTERS_END,
    ]
    return out


def render_book(index: SiteIndex) -> Page:
    """The book's frame: a cover, a table of contents with page-number slots, and the chapters' marker."""
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
    out += _chapters_place(index.sections)
    front_matter = {
        "title": f"{BOOK_TITLE} (print edition)",
        "description": "Every topic of the handbook on one page, for printing as a book.",
        "hide": ["navigation", "toc"],
        "search": {"exclude": True},
    }
    return Page(BOOK_PATH, "\n".join(out).rstrip() + "\n", front_matter)


def _section(title: str, anchor: str) -> str:
    # An HTML heading, which MkDocs leaves out of the page's table of contents: the page is not in the
    # navigation, where Material writes the checkbox the contents' title is a label for, so with
    # contents that label would name nothing (invalid HTML). Four sections need no contents.
    return f'<h2 id="{anchor}">{title}</h2>'


def render_downloads(index: SiteIndex) -> Page:
    """The downloads page: the Anki decks and the PDFs, whole handbook and per topic, and how the PDFs
    are built when they are not there yet."""
    page = DOWNLOADS_PATH
    out = [
        "# Downloads",
        "",
        "The whole handbook, or one topic at a time, to study offline: as Anki decks for spaced review on any "
        "device, or as PDFs to read and print.",
        "",
        _section("Anki decks", "anki"),
        "",
        f"- {deck_link(page, BOOK_DECK, 'The whole handbook (Anki deck)')}: all {len(index.entries)} questions, "
        f"one sub-deck per topic.",
        "",
        "One note per question: the question on the front; on the back the handbook's key points, every source's "
        "answer with the source named, and a link back to the question here. Each note is tagged with its topic "
        "(`topic::rag`) and level (`level::beginner`), and its formulas are in Anki's `\\( \\)` and `\\[ \\]` "
        "notation, which Anki draws with MathJax. A note keeps its identity from one edition to the next (it comes "
        "from the question's stable id), so importing an updated deck updates the notes you have, with their "
        "review history, instead of adding copies; a topic's deck is the same sub-deck as in the whole handbook's.",
        "",
        "To import: in Anki, *File → Import…* and choose the file (on AnkiMobile or AnkiDroid, open the file). "
        f"To review in this browser instead, use the [review page]({relative(page, REVIEW_PATH)}).",
        "",
        _section("PDFs", "pdfs"),
        "",
        "Each topic, and the whole handbook as one book, as a PDF: every answer expanded, every source's answer "
        "shown one after another, page numbers in the footer and a bookmark for each topic and question. "
        "Printing any page from the browser (Ctrl+P) gives the same clean layout.",
        "",
        f"- <span id=\"handbook\"></span>{pdf_link(page, BOOK_PDF, BOOK_TITLE + ' (PDF)')}: a cover, contents with page numbers, "
        f"then all {len(index.sections)} topics. The same book as a web page: "
        f"[print edition]({relative(page, BOOK_PATH)}).",
        "",
        _section("One topic at a time", "topics"),
        "",
    ]
    for section in index.sections:
        slug = section.topic.slug
        out.append(
            f'- <span id="{slug}"></span>[{inline(section.topic.title)}]({relative(page, topic_path(section.topic))}) '
            f"({len(section.entries)} questions): {pdf_link(page, topic_pdf(slug), 'PDF')} · "
            f"{deck_link(page, topic_deck(slug), 'Anki deck')}"
        )
    out += [
        "",
        _section("Building the PDFs", "building"),
        "",
        "If a PDF link leads back to this page, the PDFs have not been built for this copy of the site. "
        "They are made from the built site with headless Chromium, so math and fonts match the web pages "
        "(the Anki decks are built with the site itself):",
        "",
        "```bash",
        "make site   # the site and its Anki decks, into site/",
        "make pdf    # one PDF per topic and the book, into site/pdf/ (Debian's chromium is installed if missing)",
        "```",
        "",
        "`make pdf` then points every *Download PDF* link straight at its file. The published site is built this way.",
    ]
    front_matter = {"title": "Downloads", "description": "Download the handbook, whole or by topic, as Anki decks and PDFs.", "hide": ["toc"]}
    return Page(page, "\n".join(out).rstrip() + "\n", front_matter)
