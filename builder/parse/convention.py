"""What a question convention is: a way a source marks the start of a question.

Each convention module in this package defines one ``Convention`` and nothing else; the registry in
``builder.parse`` lists them. A document may use several (detection is per document, matching is
per line), so a new document that mixes known conventions needs no code change.

``opens`` is a cheap, necessary test on a line's first non-blank character (every convention's
pattern fixes it), so the walk tries ``match`` on the few lines that can start a question only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

from builder.parse.lines import Line


@dataclass(frozen=True)
class QuestionStart:
    number: str  # digits as the source numbers it, or "" when unnumbered
    question: str
    level_word: str = ""  # the source's own level word ("Easy", "Basic"), normalised later
    heading_level: int | None = None  # Markdown heading level when the question is a heading
    inline_answer: str = ""  # answer text on the question's own line


@dataclass(frozen=True)
class Convention:
    name: str
    description: str
    match: Callable[[Sequence[Line], int], QuestionStart | None]
    # False for a first non-blank character (``""`` on a blank line) no match can begin with;
    # None: every line is tried.
    opens: Callable[[str], bool] | None = None


def following(lines: Sequence[Line], i: int) -> Line | None:
    """The first non-blank line after ``lines[i]``."""
    for line in lines[i + 1 :]:
        if line.code or line.text.strip():
            return line
    return None
