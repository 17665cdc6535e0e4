"""Where every page lives: its path under ``docs/`` (what the renderers write and link to), its URL and
HTML file in the built site, the PDFs' file names, and the relative link from one to another.

The one place that knows the site's layout: the renderers (through ``builder.render.site``), the
navigation, the print edition and the PDF step all take their paths from here. It imports nothing
heavy, so the commands that run after MkDocs start quickly.
"""

from __future__ import annotations

import posixpath
from functools import lru_cache

from builder.model import SourceDoc, Topic

HOME_PATH = "index.md"
GLOSSARY_PATH = "glossary.md"
COVERAGE_PATH = "coverage.md"
SOURCES_FOLDER = "sources"
SOURCES_INDEX_PATH = f"{SOURCES_FOLDER}/index.md"
REFERENCE_FOLDER = "reference"
BOOK_PATH = "print/handbook.md"
DOWNLOADS_PATH = "pdf/index.md"
"""The PDF download page; the PDFs themselves go in its folder of the built site."""
BOOK_PDF = "handbook.pdf"
REVIEW_PATH = "review.md"
ANKI_FOLDER = "anki"
"""The Anki decks, under ``docs/`` (MkDocs copies them into the built site as they are)."""
BOOK_DECK = "handbook.apkg"


def topic_page(slug: str) -> str:
    """The page of the topic ``slug``."""
    return f"topics/{slug}.md"


def topic_path(topic: Topic) -> str:
    return topic_page(topic.slug)


def source_path(doc: SourceDoc) -> str:
    return f"{SOURCES_FOLDER}/{doc.slug}.md"


def reference_path(doc: SourceDoc) -> str:
    return f"{REFERENCE_FOLDER}/{doc.slug}.md"


def topic_pdf(slug: str) -> str:
    """File name of a topic's PDF."""
    return f"{slug}.pdf"


def topic_deck(slug: str) -> str:
    """File name of a topic's Anki deck."""
    return f"{slug}.apkg"


def deck_path(name: str) -> str:
    """A deck's path under ``docs/`` (and in the built site)."""
    return f"{ANKI_FOLDER}/{name}"


def relative(from_page: str, to_page: str, anchor: str = "") -> str:
    """Relative link from one page under docs/ to another (or to itself, for an anchor); between two
    files of the built site alike."""
    target = _target(from_page, to_page)
    return f"{target}#{anchor}" if anchor else target


@lru_cache(maxsize=1 << 14)
def _target(from_page: str, to_page: str) -> str:
    # Memoised: a build links the same few hundred pairs of pages thousands of times.
    if to_page == from_page:
        return ""
    return posixpath.relpath(to_page, posixpath.dirname(from_page) or ".")


def site_url(page: str) -> str:
    """A page's URL in the built site, relative to its root (MkDocs' directory URLs):
    ``topics/x.md`` → ``topics/x/``, ``pdf/index.md`` → ``pdf/``, ``index.md`` → ``""``."""
    stem = page.removesuffix(".md")
    if posixpath.basename(stem) == "index":
        return stem.removesuffix("index")
    return f"{stem}/"


def url_href(from_page: str, href: str) -> str:
    """A link written between files under docs/ (``../glossary.md#rag`` on ``topics/x.md``) as MkDocs
    writes it into the built site (``../../glossary/#rag``): a page's link leads to its folder, any
    other file's (``coverage.json``) is made relative to the page's folder. Web addresses, absolute
    paths and anchors on the page are left as they are."""
    path, hash_mark, anchor = href.partition("#")
    if not path or ":" in path or path.startswith("/"):
        return href
    return _file_url(from_page, path) + hash_mark + anchor


@lru_cache(maxsize=1 << 14)
def _file_url(from_page: str, path: str) -> str:
    # Memoised as _target is: the answers link a few hundred (page, file) pairs thousands of times.
    target = posixpath.normpath(posixpath.join(posixpath.dirname(from_page), path))
    if not path.endswith(".md"):
        return posixpath.relpath(target, site_url(from_page) or ".")
    url = posixpath.relpath(site_url(target) or ".", site_url(from_page) or ".")
    return "./" if url == "." else f"{url}/"


def site_file(page: str) -> str:
    """The HTML file MkDocs writes for a page, relative to the built site: ``topics/x.md`` → ``topics/x/index.html``."""
    return f"{site_url(page)}index.html"


def topic_of_url(url: str) -> str | None:
    """The slug of the topic whose page ``url`` (relative to the site's root) is, or None."""
    folder = posixpath.normpath(url).removesuffix("/index.html")
    slug = posixpath.basename(folder)
    return slug if slug and site_url(topic_page(slug)) == f"{folder}/" else None
