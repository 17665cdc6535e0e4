"""Where a Markdown answer is ordinary prose: the stretches a glossary term may be found and linked in.

Everything else is a no-go zone: fenced code, inline code, math (``$…$``, ``$$…$$``, ``\\(…\\)``,
``\\[…\\]``), heading lines, links and images (label and target), reference definitions, autolinks
and bare URLs, HTML tags, and the text inside ``<a>``, ``<code>``, ``<pre>``, ``<kbd>`` elements.
A term found in prose is therefore never rewritten inside something that would break or change
meaning if it became a link.
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache
from typing import Iterator, NamedTuple

from builder.glossary import Mention, TermMatcher
from builder.repair.segments import split_code

log = logging.getLogger(__name__)

# Order does not matter: every match is a no-go range and overlapping ranges are merged. Each pattern
# comes with the strings one of which any match contains (compared with the chunk in lower case when
# the pattern ignores case): a chunk without them is not scanned at all, which most chunks are not.
class _NoGo(NamedTuple):
    pattern: re.Pattern[str]
    needles: tuple[str, ...]
    fold: bool  # the pattern ignores case and a needle has letters (ASCII ones: lower() finds every spelling)

    def may_match(self, chunk: str) -> bool:
        haystack = chunk.lower() if self.fold else chunk
        return any(needle in haystack for needle in self.needles)


_NO_GO: tuple[_NoGo, ...] = tuple(
    _NoGo(pattern, needles, bool(pattern.flags & re.IGNORECASE) and any(c.isalpha() for n in needles for c in n))
    for pattern, needles in (
        (re.compile(r"^[ \t]{0,3}#{1,6}(?:[ \t].*)?$", re.M), ("#",)),  # ATX heading lines
        (re.compile(r"^[ \t]*\[[^\]\n]+\]:[ \t]*\S.*$", re.M), ("]:",)),  # reference definitions
        (re.compile(r"(`+)(?:(?!\1).)+?\1", re.S), ("`",)),  # inline code
        (re.compile(r"\$\$.+?\$\$", re.S), ("$$",)),  # display math
        (re.compile(r"(?<![\\$])\$(?!\s)[^$\n]+?(?<![\s\\])\$(?!\d)"), ("$",)),  # inline math (not "$5 and $10")
        (re.compile(r"\\\(.+?\\\)", re.S), ("\\(",)),
        (re.compile(r"\\\[.+?\\\]", re.S), ("\\[",)),
        (re.compile(r"!?\[(?:[^\[\]\n]|\[[^\[\]\n]*\])*\]\([^)\n]*(?:\([^)\n]*\)[^)\n]*)*\)"), ("](",)),  # inline links, images
        (re.compile(r"!?\[[^\[\]\n]*\]\[[^\[\]\n]*\]"), ("][",)),  # reference links
        (re.compile(r"<(a|code|pre|kbd|script|style)\b[^>]*>.*?</\1\s*>", re.S | re.I), ("<",)),
        (re.compile(r"</?[A-Za-z][^<>\n]*>"), ("<",)),  # any other tag (and autolinks such as <https://…>)
        (re.compile(r"\b(?:https?://|ftp://|www\.)[^\s<>()\[\]]+(?:\([^\s)]*\))?", re.I), ("://", "www.")),  # bare URLs
        (re.compile(r"\b[\w.+-]+@[\w-]+\.[\w.-]+\b"), ("@",)),  # e-mail addresses
        (re.compile(r"\{[:#.][^}\n]*\}"), ("{",)),  # attribute lists
    )
)


_CACHED_TEXTS = 1 << 16
"""Texts whose prose is remembered: more than a build's answers and questions (the link stage reads
them all before the renderer reads them again, so a smaller cache would forget each before its reuse)."""


@lru_cache(maxsize=_CACHED_TEXTS)
def _no_go_ranges(text: str) -> tuple[tuple[int, int], ...]:
    # Cached: the link stage and the renderer ask about the same answers.
    ranges: list[tuple[int, int]] = []
    offset = 0
    for is_code, chunk in split_code(text):
        if is_code:
            ranges.append((offset, offset + len(chunk)))
        else:
            for no_go in _NO_GO:
                if no_go.may_match(chunk):
                    ranges.extend((offset + m.start(), offset + m.end()) for m in no_go.pattern.finditer(chunk))
        offset += len(chunk) + 1  # split_code's chunks join with "\n"
    ranges.sort()
    merged: list[tuple[int, int]] = []
    for start, end in ranges:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return tuple(merged)


def prose_spans(text: str) -> Iterator[tuple[int, int]]:
    """``(start, end)`` of every stretch of ``text`` that is ordinary prose, in order."""
    position = 0
    for start, end in _no_go_ranges(text):
        if start > position:
            yield position, start
        position = max(position, end)
    if position < len(text):
        yield position, len(text)


def prose_text(text: str) -> str:
    """The prose of ``text`` only, stretches joined by line breaks (for counting words and terms)."""
    return "\n".join(text[s:e] for s, e in prose_spans(text))


def prose_mentions(text: str, matcher: TermMatcher) -> list[Mention]:
    """Every glossary-term mention in the prose of ``text`` (offsets into ``text``), in order.

    A mention broken over two lines is left out: as a link it could straddle a list item or a table row.
    """
    return list(_prose_mentions(text, matcher))


@lru_cache(maxsize=_CACHED_TEXTS)
def _prose_mentions(text: str, matcher: TermMatcher) -> tuple[Mention, ...]:
    # Cached: the link stage counts the mentions of every answer, the topic page and the book link them.
    found: list[Mention] = []
    for start, end in prose_spans(text):
        found += [
            Mention(start + m.start, start + m.end, m.slug, m.text)
            for m in matcher.find(text[start:end])
            if "\n" not in m.text
        ]
    return tuple(found)


def first_mentions(text: str, matcher: TermMatcher) -> list[Mention]:
    """The first prose mention of each term in ``text``, in text order."""
    seen: set[str] = set()
    out: list[Mention] = []
    for m in prose_mentions(text, matcher):
        if m.slug not in seen:
            seen.add(m.slug)
            out.append(m)
    return out
