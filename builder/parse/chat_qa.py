"""``12. Q: What is GQA?`` then ``A:`` (on its own line or on the same line): chat transcripts."""

from __future__ import annotations

import re
from typing import Sequence

from builder.parse.convention import Convention, QuestionStart
from builder.parse.lines import Line

_QUESTION = re.compile(r"^\s*(\d+)[.)]\s+Q\s*:\s*(.+?)\s*$")
# The answer may share the line: "12. Q: What is GQA? A: It shares keys…". Split at the first " A:"
# that follows the question's closing punctuation, so a question quoting "A:" is not cut short.
_INLINE_ANSWER = re.compile(r"^(.*?[?.)!])\s+A\s*:\s*(.*)$")


def _match(lines: Sequence[Line], i: int) -> QuestionStart | None:
    m = _QUESTION.match(lines[i].text)
    if not m:
        return None
    question, inline = m.group(2), ""
    split = _INLINE_ANSWER.match(question)
    if split:
        question, inline = split.group(1), split.group(2)
    return QuestionStart(number=m.group(1), question=question, inline_answer=inline)


CONVENTION = Convention("chat-qa", "12. Q: question then A: answer", _match, opens=str.isdecimal)
