"""Split a document into lines that know whether they are code, and what kind of structure they are.

Everything inside a fenced code block is code: a ``#`` comment or a ``Q:`` line there is never a
heading or a question. Conventions and the document walker only ever look at ``Line`` objects.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from builder.markdown_text import code_lines

_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_RULE = re.compile(r"^\s*(-{3,}|\*{3,}|_{3,})\s*$")


class Line(NamedTuple):
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
    """Lex ``text`` into ``Line`` objects, each knowing whether it is fenced code."""
    out: list[Line] = []
    blanks = 0
    for no, (raw, code) in enumerate(zip(text.split("\n"), code_lines(text)), start=1):
        out.append(Line(no, raw, code, blanks))
        blanks = blanks + 1 if not code and not raw.strip() else 0
    return out
