"""Apply a text step to the prose of a Markdown text while leaving fenced code untouched."""

from __future__ import annotations

import re
from typing import Callable, Iterator

# A line that opens or may close a fence: white space (never a line break), then ``` or ~~~.
# ``fence_lines`` finds what this finds, without trying the pattern at every position of the text.
_FENCE_LINE = re.compile(r"^[^\S\n]*(`{3,}|~{3,})[^\n]*", re.MULTILINE)
_FENCE_RUN = re.compile(r"`+|~+")


def has_fence(text: str) -> bool:
    """Whether ``text`` could hold a fenced block at all (most answers cannot: nothing to split)."""
    return "```" in text or "~~~" in text


def fence_lines(text: str) -> Iterator[tuple[int, int, str]]:
    """``(start, end, fence)`` of every match of ``_FENCE_LINE`` in ``text``, in order.

    A regex anchored at line starts is still tried at every position (a page of megabytes costs
    tens of milliseconds); ``str.find`` jumps from one ``` or ~~~ to the next instead, and a line
    qualifies when only white space stands before the first of them on it."""
    n = len(text)
    pos = 0  # a line start: everything before it is done
    ticks = text.find("```")
    tildes = text.find("~~~")
    while True:
        # the nearest fence-like run at or after pos (each find is redone only once it falls behind)
        if ticks != -1 and ticks < pos:
            ticks = text.find("```", pos)
        if tildes != -1 and tildes < pos:
            tildes = text.find("~~~", pos)
        if ticks == -1 and tildes == -1:
            return
        at = tildes if ticks == -1 or (tildes != -1 and tildes < ticks) else ticks
        start = text.rfind("\n", pos, at) + 1 or pos
        end = text.find("\n", at)
        if end == -1:
            end = n
        if start == at or text[start:at].isspace():
            run = _FENCE_RUN.match(text, at)
            assert run is not None
            yield start, end, run.group(0)
        pos = end + 1


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
