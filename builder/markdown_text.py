"""How the builder reads Markdown text: fenced code and prose, fence lines, inline code, math spans.

Every stage that must tell code or math from prose (parse, repair, hazards, limits, prose, render,
typeset) asks this module, so they all agree on where a code block ends or a formula starts.

* A **fenced block** opens at a line of white space then three or more backticks or tildes, and
  closes at a line of only a fence of the same character at least as long; an unclosed block runs to
  the end of the text.
* **Inline code** is a run of backticks, some text, and the next run of as many backticks.
* A **math span** follows Pandoc's rules (see ``find_spans``), so ``$5 and $10`` stay currency.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Iterator

# A line that opens a fenced block, or may close one (group 1: the fence), and the same after a line
# break: a pattern that starts with a literal character is found by a fast scan, where ``^`` with
# re.MULTILINE would be tried at every position of the text.
_FENCE_LINE = re.compile(r"[^\S\n]*(`{3,}|~{3,})[^\n]*")
_FENCE_LINE_AFTER_BREAK = re.compile(r"\n" + _FENCE_LINE.pattern)

FENCE_OPEN = re.compile(r"^(\s*)(`{3,}|~{3,})\s*([\w+-]*)\s*$")
"""One fence line, as its indent, its fence and the language it names, if any (groups 1 to 3)."""

INLINE_CODE = re.compile(r"(`+)(.+?)\1", re.DOTALL)
"""Inline code: the backticks (group 1) and the code between them (group 2)."""

MATH_DOLLAR = re.compile(r"(?<!\\)\$")
"""A dollar that may delimit math: one not escaped as ``\\$``."""


def has_fence(text: str) -> bool:
    """Whether ``text`` may hold a fence line at all: most texts have no three backticks or tildes."""
    return "```" in text or "~~~" in text


def fence_lines(text: str) -> Iterator[tuple[int, int, str]]:
    """``(start, end, fence)`` of every line of ``text`` that opens or may close a fenced block."""
    if first := _FENCE_LINE.match(text):
        yield 0, first.end(), first.group(1)
    for m in _FENCE_LINE_AFTER_BREAK.finditer(text):
        yield m.start() + 1, m.end(), m.group(1)


def split_code(text: str) -> Iterator[tuple[bool, str]]:
    """``(is_code, chunk)`` pieces of ``text`` in order: code chunks are whole fenced blocks, fences
    included; the chunks join back into ``text`` with ``"\\n"``."""
    if not has_fence(text):
        yield False, text
        return
    start = 0  # where the chunk being built starts
    fence: str | None = None  # the fence that opened the block being built, if any
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
    """``text`` with ``step`` run on every stretch of it outside fenced code blocks."""
    if not has_fence(text):
        return step(text)
    return "\n".join(chunk if is_code else step(chunk) for is_code, chunk in split_code(text))


def code_lines(text: str) -> list[bool]:
    """For each line of ``text`` (split at ``"\\n"``), whether it is in a fenced block or is one of its fences."""
    flags: list[bool] = []
    for is_code, chunk in split_code(text):
        flags += [is_code] * (chunk.count("\n") + 1)
    return flags


def next_nonblank(lines: list[str], start: int) -> int:
    """Index of the first line at or after ``start`` with anything but white space; ``len(lines)`` if none."""
    while start < len(lines) and not lines[start].strip():
        start += 1
    return start


@dataclass(frozen=True)
class Span:
    """One formula: ``text[start:end]`` is the formula with its dollars, ``tex`` what is between them."""

    start: int
    end: int
    tex: str
    display: bool


def find_spans(text: str) -> list[Span]:
    """Math spans of prose, by Pandoc's rules: ``$$…$$`` is display math; an inline span opens at a
    ``$`` followed by a non-space and closes at the next ``$`` preceded by a non-space and not followed
    by a digit. A ``$`` escaped as ``\\$`` or inside inline code is text; no span crosses a line break."""
    spans: list[Span] = []
    dollar = text.find("$")
    while dollar != -1:  # each line that holds a dollar, found from the dollar
        start = text.rfind("\n", 0, dollar) + 1
        end = text.find("\n", dollar)
        end = len(text) if end == -1 else end
        spans += _line_spans(text[start:end], start)
        dollar = text.find("$", end)
    return spans


def around_formulas(text: str, formula: Callable[[Span], str] | None = None, prose: Callable[[str], str] = lambda piece: piece) -> str:
    """``text`` (prose, no fenced code) with ``formula`` writing each math span, in order (None keeps it
    as written), and ``prose`` rewriting each stretch between them."""
    out: list[str] = []
    position = 0
    for span in find_spans(text):
        out += [prose(text[position : span.start]), formula(span) if formula else text[span.start : span.end]]
        position = span.end
    return "".join(out) + prose(text[position:])


def _line_spans(line: str, start: int) -> list[Span]:
    """The spans of one line, which starts at ``start`` in its text."""
    masked = INLINE_CODE.sub(lambda m: " " * len(m.group(0)), line)
    spans: list[Span] = []
    dollar = MATH_DOLLAR.search(masked)
    while dollar:
        i = dollar.start()
        after = i + 1  # where the next dollar is looked for
        if masked.startswith("$$", i):
            end = masked.find("$$", i + 2)
            if end > i + 2:
                spans.append(Span(start + i, start + end + 2, line[i + 2 : end], True))
                after = end + 2
            else:
                after = i + 2
        elif i + 1 < len(masked) and not masked[i + 1].isspace():
            close = MATH_DOLLAR.search(masked, i + 1)
            if close is None:
                break
            end = close.start()
            if masked[end - 1].isspace() or masked[end + 1 : end + 2].isdigit():
                after = end  # not a closing dollar: perhaps an opening one
            else:
                spans.append(Span(start + i, start + end + 1, line[i + 1 : end], False))
                after = end + 1
        dollar = MATH_DOLLAR.search(masked, after)
    return spans
