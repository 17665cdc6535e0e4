"""``### Q: Explain GQA.`` or ``### Q7: …`` as a heading, then ``**Answer:**`` (long-form guides)."""

from __future__ import annotations

import re
from typing import Sequence

from builder.parse.convention import Convention, QuestionStart
from builder.parse.lines import Line

_QUESTION = re.compile(r"^(#{1,6})\s+Q(\d*)\s*[:.]\s*(.+?)\s*#*\s*$")


def _match(lines: Sequence[Line], i: int) -> QuestionStart | None:
    m = _QUESTION.match(lines[i].text)
    if not m:
        return None
    return QuestionStart(number=m.group(2), question=m.group(3), heading_level=len(m.group(1)))


CONVENTION = Convention("heading-q", "### Q: question (or ### Q7: question) then **Answer:**", _match, opens="#".__eq__)
