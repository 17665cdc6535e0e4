"""Apply a text step to the prose of a Markdown text while leaving fenced code untouched."""

from __future__ import annotations

import re
from typing import Callable, Iterator

# A line that opens or may close a fence: white space (never a line break), then ``` or ~~~. Found by
# a scan of the whole text for the line break before such a line (a literal first character lets re
# jump from line break to line break instead of trying every position), plus a look at the first line.
_FENCE_LINE = re.compile(r"[^\S\n]*(`{3,}|~{3,})[^\n]*")
_FENCE_LINE_AFTER_BREAK = re.compile(r"\n([^\S\n]*(`{3,}|~{3,})[^\n]*)")


def has_fence(text: str) -> bool:
    """Whether ``text`` could hold a fenced block at all (most answers cannot: nothing to split)."""
    return "```" in text or "~~~" in text


def fence_lines(text: str) -> Iterator[tuple[int, int, str]]:
    """``(start, end, marker)`` of every line of ``text`` that is a fence line, in order."""
    m = _FENCE_LINE.match(text)
    if m:
        yield m.start(), m.end(), m.group(1)
    for m in _FENCE_LINE_AFTER_BREAK.finditer(text):
        yield m.start(1), m.end(1), m.group(2)


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
