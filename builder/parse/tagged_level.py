"""``Q12 [Hard] What is GQA?`` then the answer as plain paragraphs (pages copied from the web)."""

from __future__ import annotations

import re
from typing import Sequence

from builder.parse.convention import Convention, QuestionStart
from builder.parse.lines import Line

_QUESTION = re.compile(r"^\s*Q(\d+)\s*[\[(]\s*([A-Za-z]+)\s*[\])]\s*[:.\-–]?\s*(.+?)\s*$")


def _match(lines: Sequence[Line], i: int) -> QuestionStart | None:
    m = _QUESTION.match(lines[i].text)
    if not m:
        return None
    return QuestionStart(number=m.group(1), question=m.group(3), level_word=m.group(2))


CONVENTION = Convention("tagged-level", "Q12 [Easy|Medium|Hard] question then the answer", _match, opens="Q".__eq__)
