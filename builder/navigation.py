"""The site navigation, in reading order, kept in ``mkdocs.yml`` between two marker lines.

MkDocs orders pages it finds by file name; the handbook's topics need the taxonomy's order instead,
and Zensical reads ``nav`` from ``mkdocs.yml`` but runs no navigation plugins, so the builder writes
the block itself. Only the lines between the markers are ever touched.

The block also says which pages are deliberately left out of the navigation (``not_in_nav``; any
other page missing from it fails ``mkdocs build --strict``): the print edition and the PDF page,
linked from pages, and the old addresses of topics that moved into others (``moved`` in topics.yml).
"""

from __future__ import annotations

import posixpath
from pathlib import Path
from typing import Sequence

import yaml

from builder.model import MovedTopic, Page, Section
from builder.paths import (
    BOOK_PATH,
    COVERAGE_PATH,
    DOWNLOADS_PATH,
    GLOSSARY_PATH,
    HOME_PATH,
    REFERENCE_FOLDER,
    REVIEW_PATH,
    SOURCES_FOLDER,
    SOURCES_INDEX_PATH,
    topic_page,
    topic_path,
)

BEGIN = "# --- nav: written by `python -m builder build` from builder/data/topics.yml; edits here are overwritten ---"
END = "# --- end of generated nav ---"


def _in_folder(paths: set[str], folder: str) -> list[str]:
    return sorted(p for p in paths if posixpath.dirname(p) == folder)


def nav_block(sections: Sequence[Section], pages: Sequence[Page], moved: Sequence[MovedTopic] = ()) -> str:
    paths = {p.path for p in pages}
    nav: list[object] = [{"Home": HOME_PATH}]
    nav.append({"Topics": [{s.topic.title: topic_path(s.topic)} for s in sections]})
    if REVIEW_PATH in paths:
        nav.append({"Review": REVIEW_PATH})
    if GLOSSARY_PATH in paths:
        nav.append({"Glossary": GLOSSARY_PATH})
    nav.append({"Sources": [SOURCES_INDEX_PATH, *(p for p in _in_folder(paths, SOURCES_FOLDER) if p != SOURCES_INDEX_PATH)]})
    if references := _in_folder(paths, REFERENCE_FOLDER):
        nav.append({"Reference": references})
    nav.append({"Coverage": COVERAGE_PATH})
    body = yaml.safe_dump({"nav": nav}, sort_keys=False, allow_unicode=True, width=200)
    old_addresses = sorted(page for m in moved if (page := topic_page(m.slug)) in paths)
    # MkDocs reads not_in_nav as gitignore-style lines; a literal block keeps them one per line.
    hidden = "".join(f"  /{p}\n" for p in [BOOK_PATH, DOWNLOADS_PATH, *old_addresses])
    return f"{BEGIN}\n{body}not_in_nav: |\n{hidden}{END}\n"


def update_config(config: Path, block: str) -> bool:
    """Replace the generated nav block in ``config`` (appending it if absent). True if the file changed."""
    text = config.read_text(encoding="utf-8")
    if BEGIN in text and END in text:
        head, rest = text.split(BEGIN, 1)
        tail = rest.split(END, 1)[1].lstrip("\n")
        new = head + block + tail
    else:
        new = text.rstrip("\n") + "\n\n" + block
    if new == text:
        return False
    config.write_text(new, encoding="utf-8")
    return True
