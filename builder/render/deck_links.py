"""Links to the Anki decks (``docs/anki/``, written by ``builder.anki``) from the home page, each topic
page and the downloads page. They are relative links to the files, so ``mkdocs build --strict`` checks
that every deck they name was built."""

from __future__ import annotations

from builder.model import Section
from builder.paths import deck_path, relative, topic_deck, topic_path, topic_pdf
from builder.render.pdf_links import pdf_link


def deck_link(from_page: str, name: str, label: str) -> str:
    """A link that downloads the deck ``name`` (``handbook.apkg`` or ``<topic>.apkg``)."""
    return f'[{label}]({relative(from_page, deck_path(name))}){{ .hb-deck-link download="{name}" }}'


def topic_downloads_line(section: Section) -> str:
    """The line under a topic's title: its PDF and its Anki deck."""
    page = topic_path(section.topic)
    slug = section.topic.slug
    pdf = pdf_link(page, topic_pdf(slug), "Download PDF")
    deck = deck_link(page, topic_deck(slug), "Anki deck")
    return f"{pdf} · {deck}\n{{: .hb-pdf }}"
