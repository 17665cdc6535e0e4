"""Split a document into lines that know whether they are code, and what kind of structure they are.

Everything inside a fenced code block is code: a ``#`` comment or a ``Q:`` line there is never a
heading or a question. Conventions and the document walker only ever look at ``Line`` objects.
"""

from __future__ import annotations

import re
from typing import NamedTuple

_FENCE = re.compile(r"^\s*(`{3,}|~{3,})(.*)$")
_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_RULE = re.compile(r"^\s*(-{3,}|\*{3,}|_{3,})\s*$")


class Line(NamedTuple):  # immutable, and built for every line of every source: a tuple is cheapest
    no: int  # 1-based line number in the source file
    text: str
    code: bool = False  # inside a fenced block, or one of its fences
    blanks_before: int = 0  # blank lines directly above

    @property
    def blank(self) -> bool:
        return not self.code and not self.text.strip()

    @property
    def stripped(self) -> str:
        return self.text.strip()

    def heading(self) -> tuple[int, str] | None:
        """``(level, title)`` for a Markdown ATX heading outside code."""
        if self.code:
            return None
        m = _MD_HEADING.match(self.text)
        return (len(m.group(1)), m.group(2)) if m else None

    @property
    def rule(self) -> bool:
        return not self.code and bool(_RULE.match(self.text))


def split_lines(text: str) -> list[Line]:
    """Lex ``text`` into ``Line`` objects, tracking fenced code blocks (``` and ~~~)."""
    # tuple.__new__(Line, fields) is what Line(*fields) does, less a Python-level call: this runs for
    # every line of every source.
    new = tuple.__new__
    out: list[Line] = []
    fence: str | None = None
    blanks = 0
    for no, raw in enumerate(text.split("\n"), start=1):
        # only a line holding ``` or ~~~ can be a fence (what the pattern needs)
        m = _FENCE.match(raw) if "```" in raw or "~~~" in raw else None
        if fence is None and m is None:
            out.append(new(Line, (no, raw, False, blanks)))
            blanks = blanks + 1 if not raw or raw.isspace() else 0  # isspace: what strip() removes
            continue
        if fence is None:
            fence = m.group(1)[0] * len(m.group(1))
        elif m and m.group(1).startswith(fence) and not m.group(2).strip():
            fence = None
        out.append(new(Line, (no, raw, True, blanks)))
        blanks = 0
    return out


def next_content(lines: list[Line], i: int) -> int | None:
    """Index of the first non-blank line after ``i``, or None."""
    for j in range(i + 1, len(lines)):
        if lines[j].code or lines[j].text.strip():
            return j
    return None
