"""Where the print edition's chapters go: the contract between ``render/book.py``, which writes the book
page's frame, and ``printing/edition.py``, which fills the chapters in after MkDocs.

Between two comments, ``<!-- hb-book-chapters: <topic> <topic> … -->`` (the topics in book order) and
``<!-- /hb-book-chapters -->``, the frame holds one placeholder heading per chapter, so MkDocs can check
the contents' links; filling the book replaces whatever stands between them, so filling twice changes
nothing. A chapter's heading has the anchor ``chapter_anchor(topic)``, the contents' links point at it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

CHAPTERS_BEGIN = "<!-- hb-book-chapters:"
CHAPTERS_END = "<!-- /hb-book-chapters -->"
_COMMENT_END = "-->"


def chapter_anchor(slug: str) -> str:
    """The anchor of a topic's chapter in the book."""
    return f"topic-{slug}"


def chapters_marker(slugs: Sequence[str]) -> str:
    """The comment that opens the chapters' place and names their topics in book order."""
    return f"{CHAPTERS_BEGIN} {' '.join(slugs)} {_COMMENT_END}"


@dataclass(frozen=True)
class ChaptersPlace:
    """The chapters' place in a book page: ``text[start:end]`` is replaced by the chapters."""

    slugs: tuple[str, ...]  # the topics, in book order
    marker: int  # where the opening comment begins
    start: int  # just after it
    end: int  # where the closing comment begins


def find_chapters(text: str) -> ChaptersPlace | None:
    """The chapters' place in ``text``, or None when the two comments are not there."""
    marker = text.find(CHAPTERS_BEGIN)
    end = text.find(CHAPTERS_END, marker + 1) if marker >= 0 else -1
    if end < 0:
        return None
    names_end = text.index(_COMMENT_END, marker)
    return ChaptersPlace(tuple(text[marker + len(CHAPTERS_BEGIN) : names_end].split()), marker, names_end + len(_COMMENT_END), end)
