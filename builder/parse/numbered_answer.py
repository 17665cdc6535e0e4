"""``### 12. What is GQA?`` or plain ``12. What is GQA?``, followed by an ``Answer:`` line.

The plain form is only a question when the next non-blank line starts with ``Answer:`` (bold or not),
so numbered lists inside answers are never taken for questions.
"""

from __future__ import annotations

import re
from typing import Sequence

from builder.parse.convention import Convention, QuestionStart, following
from builder.parse.lines import Line

_HEADING_QUESTION = re.compile(r"^(#{2,6})\s+(\d+)[.)]\s+(.+?)\s*#*\s*$")
_PLAIN_QUESTION = re.compile(r"^\s*(\d+)[.)]\s+(.+?)\s*$")
_ANSWER_LABEL = re.compile(r"^\s*(\*\*|__)?\s*Answer\s*:", re.IGNORECASE)


def _match(lines: Sequence[Line], i: int) -> QuestionStart | None:
    line = lines[i]
    m = _HEADING_QUESTION.match(line.text)
    if m:
        return QuestionStart(number=m.group(2), question=m.group(3), heading_level=len(m.group(1)))
    m = _PLAIN_QUESTION.match(line.text)
    if m and not m.group(2).lstrip().startswith(("Q:", "**Q")):
        nxt = following(lines, i)
        if nxt is not None and not nxt.code and _ANSWER_LABEL.match(nxt.text):
            return QuestionStart(number=m.group(1), question=m.group(2))
    return None


def _opens(first: str) -> bool:
    return first == "#" or first.isdecimal()  # a heading, or \d as re reads it (Unicode category Nd)


CONVENTION = Convention("numbered-answer", "### 12. question (or 12. question) then Answer: answer", _match, _opens)
