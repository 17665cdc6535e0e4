"""``12. **Q: What is GQA?**`` followed by a ``- **A:** …`` bullet (numbered bold Q/A lists)."""

from __future__ import annotations

import re
from typing import Sequence

from builder.parse.convention import Convention, QuestionStart
from builder.parse.lines import Line

_QUESTION = re.compile(r"^\s*(\d+)[.)]\s+\*\*\s*Q\s*[:.]\s*(.+?)\s*\*\*\s*$")


def _match(lines: Sequence[Line], i: int) -> QuestionStart | None:
    m = _QUESTION.match(lines[i].text)
    return QuestionStart(number=m.group(1), question=m.group(2)) if m else None


CONVENTION = Convention("bold-q", "12. **Q: question** then - **A:** answer", _match, opens=str.isdecimal)
