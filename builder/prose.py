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
from typing import Iterator

from builder.glossary import Mention, TermMatcher
from builder.markdown_text import INLINE_CODE, find_spans, split_code

log = logging.getLogger(__name__)

# Every match of a pattern is a no-go zone (overlapping zones are merged), besides fenced code and math spans.
# Each pattern comes with the strings, in lower case, one of which every match holds: a chunk holding
# none of them (most chunks, for most patterns) is not scanned.
_NO_GO: tuple[tuple[re.Pattern[str], tuple[str, ...]], ...] = (
    (INLINE_CODE, ("`",)),
    (re.compile(r"^[ \t]{0,3}#{1,6}(?:[ \t].*)?$", re.M), ("#",)),  # ATX heading lines
    (re.compile(r"^[ \t]*\[[^\]\n]+\]:[ \t]*\S.*$", re.M), ("]:",)),  # reference definitions
    (re.compile(r"\$\$.+?\$\$", re.S), ("$$",)),  # display math, also written over several lines
    (re.compile(r"\\\(.+?\\\)", re.S), ("\\(",)),  # TeX written between \( \) or \[ \]
    (re.compile(r"\\\[.+?\\\]", re.S), ("\\[",)),
    (re.compile(r"!?\[(?:[^\[\]\n]|\[[^\[\]\n]*\])*\]\([^)\n]*(?:\([^)\n]*\)[^)\n]*)*\)"), ("](",)),  # inline links, images
    (re.compile(r"!?\[[^\[\]\n]*\]\[[^\[\]\n]*\]"), ("][",)),  # reference links
    (re.compile(r"<(a|code|pre|kbd|script|style)\b[^>]*>.*?</\1\s*>", re.S | re.I), ("<",)),
    (re.compile(r"</?[A-Za-z][^<>\n]*>"), ("<",)),  # any other tag (and autolinks such as <https://…>)
    (re.compile(r"\b(?:https?://|ftp://|www\.)[^\s<>()\[\]]+(?:\([^\s)]*\))?", re.I), ("://", "www.")),  # bare URLs
    (re.compile(r"\b[\w.+-]+@[\w-]+\.[\w.-]+\b"), ("@",)),  # e-mail addresses
    (re.compile(r"\{[:#.][^}\n]*\}"), ("{",)),  # attribute lists
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
            ranges += [(offset + span.start, offset + span.end) for span in find_spans(chunk)]
            lowered = chunk.lower()
            for pattern, needles in _NO_GO:
                if any(needle in lowered for needle in needles):
                    ranges += [(offset + m.start(), offset + m.end()) for m in pattern.finditer(chunk)]
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
