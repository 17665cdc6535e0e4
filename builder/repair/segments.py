"""Apply a text step to the prose of a Markdown text while leaving fenced code untouched."""

from __future__ import annotations

import re
from typing import Callable, Iterator

_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")


def split_code(text: str) -> Iterator[tuple[bool, str]]:
    """Yield ``(is_code, chunk)`` pieces; code chunks include their fences, chunks join back to ``text``."""
    lines = text.split("\n")
    chunk: list[str] = []
    fence: str | None = None
    for line in lines:
        m = _FENCE.match(line)
        if fence is None and m:
            if chunk:
                yield False, "\n".join(chunk)
            chunk, fence = [line], m.group(1)
            continue
        chunk.append(line)
        if fence is not None and m and m.group(1).startswith(fence[0] * len(fence)) and line.strip() == m.group(1):
            yield True, "\n".join(chunk)
            chunk, fence = [], None
    if chunk:
        yield fence is not None, "\n".join(chunk)


def on_prose(step: Callable[[str], str], text: str) -> str:
    """Run ``step`` on every stretch of text outside fenced code blocks."""
    return "\n".join(step(chunk) if not is_code else chunk for is_code, chunk in split_code(text))
