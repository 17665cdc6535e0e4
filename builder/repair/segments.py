"""Apply a text step to the prose of a Markdown text while leaving fenced code untouched."""

from __future__ import annotations

import re
from typing import Callable, Iterator


class AtLineStart:
    """Where ``body`` matches at the start of a line: ``re.compile("^" + body, re.MULTILINE)``, as one
    match at the start of the text and one scan for a line break followed by ``body``. The literal line
    break lets re jump from line break to line break instead of trying ``^`` at every character
    (several times faster on answers of a few hundred characters, more on whole pages)."""

    def __init__(self, body: str) -> None:
        self._at_start = re.compile(body, re.MULTILINE)
        self._after_break = re.compile("\n" + body, re.MULTILINE)

    def search(self, text: str) -> bool:
        return self._at_start.match(text) is not None or self._after_break.search(text) is not None

    def finditer(self, text: str) -> Iterator[tuple[int, re.Match[str]]]:
        """``(line start, match)`` for every line ``body`` matches at; a match after the first line
        also spans the line break before it."""
        m = self._at_start.match(text)
        if m:
            yield 0, m
        for m in self._after_break.finditer(text):
            yield m.start() + 1, m


# A line that opens or may close a fence: white space (never a line break), then ``` or ~~~.
_FENCE_LINE = AtLineStart(r"[^\S\n]*(`{3,}|~{3,})[^\n]*")


def has_fence(text: str) -> bool:
    """Whether ``text`` could hold a fenced block at all (most answers cannot: nothing to split)."""
    return "```" in text or "~~~" in text


def fence_lines(text: str) -> Iterator[tuple[int, int, str]]:
    """``(start, end, marker)`` of every line of ``text`` that is a fence line, in order."""
    for line_start, m in _FENCE_LINE.finditer(text):
        yield line_start, m.end(), m.group(1)


def split_code(text: str) -> Iterator[tuple[bool, str]]:
    """Yield ``(is_code, chunk)`` pieces; code chunks include their fences, chunks join back to ``text``
    with ``"\\n"``. A fence closes at a line of only a fence at least as long as the one that opened it;
    an unclosed block runs to the end."""
    if not has_fence(text):
        yield False, text
        return
    start = 0  # where the chunk being built starts
    fence: str | None = None  # the opening fence of the block being built, if any
    for line_start, line_end, marker in fence_lines(text):
        if fence is None:
            if line_start > start:
                yield False, text[start : line_start - 1]
            start, fence = line_start, marker
        elif marker.startswith(fence) and text[line_start:line_end].strip() == marker:
            yield True, text[start:line_end]
            start, fence = line_end + 1, None
    if start <= len(text):
        yield fence is not None, text[start:]


def on_prose(step: Callable[[str], str], text: str) -> str:
    """Run ``step`` on every stretch of text outside fenced code blocks."""
    if not has_fence(text):
        return step(text)
    return "\n".join(step(chunk) if not is_code else chunk for is_code, chunk in split_code(text))


def next_nonblank(lines: list[str], start: int) -> int:
    """Index of the first line at or after ``start`` with anything but white space; ``len(lines)`` if none."""
    while start < len(lines) and not lines[start].strip():
        start += 1
    return start
