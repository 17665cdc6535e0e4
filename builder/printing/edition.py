"""``python -m builder book``: fill the print edition's chapters in from the built topic pages.

Run after ``mkdocs build`` (``make site`` does both). The book's Markdown (``render/book.py``) is only a
cover, the contents and the chapters' place (``builder.book_chapters``), so every answer is converted
once, for its topic page. This step copies the article of each built topic page into that place
in the built book page.

A chapter is its topic page's article, made to share one page with the others:

- its ``h1`` becomes the chapter heading: id ``chapter_anchor(topic)``, class ``hb-chapter`` (a new page in print);
- the download link and the closing "See also" (links between web pages) are left out, as before;
- ids stay unique on the page: group headings (``h2.hb-group``: levels, or a topic's sub-sections) become
  ``<slug>-level-…`` or ``<slug>-<sub-section>``, content tabs are numbered through the whole book (radio
  groups of one name would fight), and any other id that more than one topic page uses gets the slug as a
  prefix; entry ids and their old anchors, unique site-wide, are kept;
- links to a topic page or an anchor on one become ``#anchor`` links inside the book, other relative links
  and images are re-based on the book's URL.

Of the tags, the book reads only the start tags that carry an id, a link, a tab's name or a class
(``start_tags``), outside the formulas (``without_formulas``: KaTeX's markup, most of a page's tags, holds
nothing the book rewrites); one regular expression passes over the rest. Only the start tags that
change are written anew, every other byte is copied. Whatever stands in the chapters' place is
replaced, so filling twice gives the same file. A missing topic page is a ``BookError`` (``file: message``).
"""

from __future__ import annotations

import html
import posixpath
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from builder.book_chapters import CHAPTERS_BEGIN, CHAPTERS_END, chapter_anchor, find_chapters
from builder.paths import BOOK_PATH, relative, site_file, site_url, topic_of_url, topic_page

BOOK_HTML = site_file(BOOK_PATH)
_TABBED_ID = re.compile(r"__tabbed_(\d+)_(\d+)")
_TABBED_NAME = re.compile(r"__tabbed_(\d+)")
_DATA_TABS = re.compile(r"(\d+):(\d+)")
_ID_LISTS = ("for", "aria-labelledby", "aria-describedby", "aria-controls")  # attributes that name ids
_URLS = ("href", "src")
_REWRITTEN = frozenset(("id", "name", "data-tabs", *_ID_LISTS, *_URLS))
_ARTICLE = re.compile(r"<article(?=[\s>])[^>]*>")
_FORMULA = re.compile(r'<span class="hb-math[ "]')
_SPAN_TAG = re.compile(r"<span(?=[\s>])|</span>")


class BookError(Exception):
    """A file the book needs is missing or not as the builder writes it."""

    def __init__(self, path: Path, message: str) -> None:
        super().__init__(f"{path}: {message}")


@dataclass(frozen=True)
class Tag:
    """A start tag, where it sits in its page's text, and its attributes (names lower case, values
    unescaped, None for an attribute without a value)."""

    name: str
    start: int
    end: int
    attrs: tuple[tuple[str, str | None], ...] = ()
    self_closing: bool = False

    def get(self, key: str) -> str | None:
        return next((v for k, v in self.attrs if k == key), None)

    def has_class(self, name: str) -> bool:
        return name in (self.get("class") or "").split()

    @property
    def may_change(self) -> bool:
        """Whether the book may write this tag differently: it carries an id, a link or a tab's name."""
        return any(k in _REWRITTEN and v is not None for k, v in self.attrs)


# A comment; a script or style with its text, which holds no tags; or a start tag with attributes: its
# name and its attributes (a quoted value may hold ">"). End tags and bare start tags are passed over.
_MARKUP = re.compile(
    r"""<!--.*?-->"""
    r"""|<(?P<raw>script|style)(?P<raw_attrs>(?:\s(?:[^>"']|"[^"]*"|'[^']*')*)?)>.*?</(?P=raw)\s*>"""
    r"""|<(?P<name>[a-zA-Z][^\s/>]*)(?P<attrs>\s(?:[^>"']|"[^"]*"|'[^']*')*)>""",
    re.S | re.I,
)
_ATTRIBUTE = re.compile(r"""([^\s"'/>=][^\s/>=]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?""")
# The attributes the book reads: those it may rewrite, and the class that marks what it leaves out.
_READ = re.compile(r"\s(?:" + "|".join(sorted(_REWRITTEN | {"class"})) + r")\s*=", re.I)


def _attributes(text: str) -> tuple[tuple[str, str | None], ...]:
    out = []
    for match in _ATTRIBUTE.finditer(text):
        name, double, single, bare = match.groups()
        value = next((v for v in (double, single, bare) if v is not None), None)
        out.append((name.lower(), None if value is None else html.unescape(value)))
    return tuple(out)


def start_tags(text: str, at: int = 0, end: int | None = None) -> list[Tag]:
    """The start tags of ``text[at:end]`` that carry an id, a link, a tab's name or a class, in order,
    with their offsets in ``text``. Tags inside comments, scripts and styles are not read.

    Only these tags are parsed: one regular expression passes over the others, most of a topic page's,
    in which the book has nothing to read.
    """
    found: list[Tag] = []
    for match in _MARKUP.finditer(text, at, len(text) if end is None else end):
        raw, raw_attrs, name, attrs = match.group("raw", "raw_attrs", "name", "attrs")
        if raw:
            name, attrs, tag_end = raw, raw_attrs, match.start() + len(raw) + len(raw_attrs) + 2
        elif name is None:
            continue
        else:
            tag_end = match.end()
        if _READ.search(attrs):
            self_closing = attrs.endswith("/")
            found.append(Tag(name.lower(), match.start(), tag_end, _attributes(attrs[:-1] if self_closing else attrs), self_closing=self_closing))
    return found


def element_end(text: str, name: str, start: int) -> int | None:
    """The offset just after the end tag that closes the element ``name`` whose start tag is at ``start``;
    None if nothing closes it."""
    depth = 0
    pattern = re.compile(rf"<(/?){re.escape(name)}(?=[\s/>])(?:[^>\"']|\"[^\"]*\"|'[^']*')*>", re.I)
    for match in pattern.finditer(text, start):
        depth += -1 if match.group(1) else 1
        if depth == 0:
            return match.end()
    return None


@dataclass(frozen=True)
class TopicPage:
    """The part of a built topic page that becomes a chapter."""

    slug: str
    text: str
    spans: tuple[tuple[int, int], ...]  # the kept stretches of ``text``, in order
    tags: tuple[Tag, ...]  # the start tags inside them that carry an id, a link or a tab's name
    title_id: str

    @property
    def ids(self) -> list[str]:
        return [i for t in self.tags if (i := t.get("id"))]

    @property
    def group_ids(self) -> frozenset[str]:
        """The ids of the page's group headings (levels or sub-sections), which every topic page may reuse."""
        return frozenset(i for t in self.tags if t.name == "h2" and t.has_class("hb-group") and (i := t.get("id")))


def without_formulas(text: str) -> str:
    """``text`` with the inside of every formula (``span.hb-math``: KaTeX's markup) blanked out, each
    character but a line break made a space, so every other tag keeps its offsets.

    KaTeX writes no ids and, as the builder runs it (``trust`` off), no links, so the book has nothing
    to rewrite in there; yet its markup is most of a topic page's tags.
    """
    out: list[str] = []
    position = 0
    for start in _FORMULA.finditer(text):
        if start.start() < position:
            continue
        depth, end = 0, len(text)
        for tag in _SPAN_TAG.finditer(text, start.start()):
            depth += 1 if tag.group() == "<span" else -1
            if depth == 0:
                end = tag.start()
                break
        inside = text.index(">", start.start()) + 1
        out += [text[position:inside], "\n".join(" " * len(line) for line in text[inside:end].split("\n"))]
        position = end
    return "".join(out) + text[position:]


def read_topic(site: Path, slug: str) -> TopicPage:
    path = site / site_file(topic_page(slug))
    if not path.is_file():
        raise BookError(path, "no such topic page; build the site with `mkdocs build` first")
    text = path.read_text(encoding="utf-8")
    # the site's header and navigation have nothing for the book, nor have the formulas
    blank = without_formulas(text)
    opening = _ARTICLE.search(blank)
    if opening is None:
        raise BookError(path, "no <article> in the page")
    closed = element_end(blank, "article", opening.start())
    if closed is None:
        raise BookError(path, "the <article> is never closed")
    start, end = opening.end(), blank.rindex("</", 0, closed)
    inner = start_tags(blank, start, end)
    # Left out of the book: the download link, the study toolbar's slot, and "See also" (the page's
    # last section) to its end.
    dropped: list[tuple[int, int]] = []
    for tag in inner:
        if (tag.name == "p" and tag.has_class("hb-pdf")) or (tag.name == "div" and tag.has_class("hb-tools-slot")):
            dropped.append((tag.start, element_end(blank, tag.name, tag.start) or tag.end))
        elif tag.name == "h2" and tag.get("id") == "see-also":
            dropped.append((tag.start, end))
            break
    spans, at = [], start
    for drop_start, drop_end in dropped:
        spans.append((at, drop_start))
        at = drop_end
    spans.append((at, end))
    # Only the start tags the book may write differently are kept: every other byte is copied as it is.
    kept = tuple(t for t in inner if t.may_change and any(a <= t.start < b for a, b in spans))
    title = next((t for t in kept if t.name == "h1" and t.get("id")), None)
    if title is None:
        raise BookError(path, "no <h1> with an id in the article")
    return TopicPage(slug, text, tuple(spans), kept, title.get("id") or "")


@dataclass(frozen=True)
class Renaming:
    """How one topic page's ids and tab sets are named in the book."""

    ids: dict[str, str]
    tab_sets: dict[str, str]  # old set number → number in the book


def renamings(pages: list[TopicPage]) -> dict[str, Renaming]:
    shared = Counter(i for page in pages for i in set(page.ids))
    tab_set = 0
    out: dict[str, Renaming] = {}
    for page in pages:
        tab_sets: dict[str, str] = {}
        for tag in page.tags:
            if (match := _DATA_TABS.fullmatch(tag.get("data-tabs") or "")) is not None:
                tab_set += 1
                tab_sets[match.group(1)] = str(tab_set)

        def renamed(old: str, page: TopicPage = page, tab_sets: dict[str, str] = tab_sets, groups: frozenset[str] = page.group_ids) -> str:
            if old == page.title_id:
                return chapter_anchor(page.slug)
            if (match := _TABBED_ID.fullmatch(old)) and match.group(1) in tab_sets:
                return f"__tabbed_{tab_sets[match.group(1)]}_{match.group(2)}"
            if old in groups or shared[old] > 1:
                return f"{page.slug}-{old}"
            return old

        out[page.slug] = Renaming({i: renamed(i) for i in page.ids}, tab_sets)
    return out


def rebase(url: str, slug: str, names: dict[str, Renaming]) -> str:
    """A URL of topic page ``slug`` as the book must write it."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or url.startswith("/"):
        return url
    if not parts.path:
        return "#" + names[slug].ids.get(parts.fragment, parts.fragment) if parts.fragment else url
    target = posixpath.normpath(posixpath.join(site_url(topic_page(slug)), parts.path))
    other = topic_of_url(target)
    if other in names and not parts.query:
        return "#" + (names[other].ids.get(parts.fragment, parts.fragment) if parts.fragment else chapter_anchor(other))
    path = relative(BOOK_HTML, target)
    if parts.path.endswith("/"):
        path += "/"
    return urlunsplit(("", "", path, parts.query, parts.fragment))


def _attr(value: str) -> str:
    # What Python-Markdown escapes in an attribute value.
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def start_tag(tag: Tag, attrs: tuple[tuple[str, str | None], ...]) -> str:
    inside = " ".join([tag.name] + [k if v is None else f'{k}="{_attr(v)}"' for k, v in attrs])
    return f"<{inside} />" if tag.self_closing else f"<{inside}>"


def book_attrs(tag: Tag, page: TopicPage, names: dict[str, Renaming]) -> tuple[tuple[str, str | None], ...]:
    own = names[page.slug]
    out: list[tuple[str, str | None]] = []
    for key, value in tag.attrs:
        if value is None:
            pass
        elif key == "id":
            value = own.ids.get(value, value)
        elif key in _ID_LISTS:
            value = " ".join(own.ids.get(v, v) for v in value.split())
        elif key == "name" and (match := _TABBED_NAME.fullmatch(value)) and match.group(1) in own.tab_sets:
            value = f"__tabbed_{own.tab_sets[match.group(1)]}"
        elif key == "data-tabs" and (match := _DATA_TABS.fullmatch(value)) and match.group(1) in own.tab_sets:
            value = f"{own.tab_sets[match.group(1)]}:{match.group(2)}"
        elif key in _URLS:
            value = rebase(value, page.slug, names)
        out.append((key, value))
    if tag.name == "h1" and tag.get("id") == page.title_id and not tag.has_class("hb-chapter"):
        classes = " ".join(filter(None, [tag.get("class"), "hb-chapter"]))
        out = [("class", classes)] + [(k, v) for k, v in out if k != "class"]
    return tuple(out)


def chapter(page: TopicPage, names: dict[str, Renaming]) -> str:
    """The chapter's HTML: the kept stretches of the article, with the start tags that change rewritten."""
    pieces: list[str] = []
    for start, end in page.spans:
        at = start
        for tag in (t for t in page.tags if start <= t.start < end):
            attrs = book_attrs(tag, page, names)
            if attrs != tag.attrs:
                pieces += [page.text[at : tag.start], start_tag(tag, attrs)]
                at = tag.end
        pieces.append(page.text[at:end])
    return "".join(pieces).strip()


def _duplicates(ids: list[str]) -> list[str]:
    return sorted(i for i, n in Counter(ids).items() if n > 1)


@dataclass(frozen=True)
class Filled:
    book: Path
    chapters: int
    changed: bool


def fill_book(site: Path) -> Filled:
    """Put every topic's chapter into the built book page of ``site``; raises BookError when it cannot."""
    path = site / BOOK_HTML
    if not path.is_file():
        raise BookError(path, "no print edition here; build the site with `mkdocs build` first")
    text = path.read_text(encoding="utf-8")
    place = find_chapters(text)
    if place is None:
        raise BookError(path, f"no chapters marker ({CHAPTERS_BEGIN} … --> … {CHAPTERS_END}); is the page the builder's?")
    if not place.slugs:
        raise BookError(path, "the chapters marker names no topic")
    pages = [read_topic(site, slug) for slug in place.slugs]
    names = renamings(pages)
    around = [i for t in start_tags(text, 0, place.marker) + start_tags(text, place.end) if (i := t.get("id"))]
    twice = _duplicates(around + [i for n in names.values() for i in n.ids.values()])
    if twice:
        raise BookError(path, f"these ids would be used twice on the page: {', '.join(twice[:5])}")
    chapters = "\n".join(chapter(page, names) for page in pages)
    new = f"{text[: place.start]}\n{chapters}\n{text[place.end :]}"
    if new != text:
        path.write_text(new, encoding="utf-8")
    return Filled(path, len(pages), new != text)
