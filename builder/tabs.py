"""How an entry's answers are laid out: one tab per source, its answers one under another.

A source that answers a question several times (the chat export does, in other words each time) gets
one tab, labelled with all its question numbers; inside it the fullest answer comes first, and an
answer given word for word more than once is shown once, naming every question that gave it. Tabs go
fullest first (a source's fullest answer against the others'), then in the sources' order, so the
tab a reader sees first is the fullest answer of the entry.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Sequence

from builder.model import Entry, Item

_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Answer:
    """One distinct answer of a source: its text, and every item (question) that gave it."""

    items: tuple[Item, ...]

    @property
    def text(self) -> str:
        return self.items[0].answer


@dataclass(frozen=True)
class Tab:
    """A source's answers to one entry, fullest first."""

    source: str
    answers: tuple[Answer, ...]

    @property
    def items(self) -> tuple[Item, ...]:
        return tuple(item for answer in self.answers for item in answer.items)


def fullness(text: str) -> int:
    """How much an answer says, in words."""
    return len(_WORD.findall(text))


def _number_key(item: Item) -> tuple[int, int]:
    digits = "".join(ch for ch in item.number if ch.isdigit())
    return (int(digits) if digits else 1 << 30), item.line


@cache
def answer_tabs(entry: Entry) -> tuple[Tab, ...]:
    """The entry's answers as tabs (see the module docstring); every item in exactly one tab. Laid out
    once per entry: its topic page, its Anki note and the coverage report all ask."""
    source_order: dict[str, int] = {}
    by_source: dict[str, dict[str, list[Item]]] = {}
    for item in entry.items:
        source_order.setdefault(item.source, len(source_order))
        same_text = by_source.setdefault(item.source, {})
        same_text.setdefault(item.answer, []).append(item)
    tabs = []
    for source, groups in by_source.items():
        answers = [Answer(tuple(sorted(items, key=_number_key))) for items in groups.values()]
        answers.sort(key=lambda a: (-fullness(a.text), _number_key(a.items[0])))
        tabs.append(Tab(source, tuple(answers)))
    tabs.sort(key=lambda t: (-fullness(t.answers[0].text), source_order[t.source]))
    return tuple(tabs)


def numbers_label(items: Sequence[Item]) -> str:
    """The question numbers of ``items`` as a tab shows them ("Q88, Q136"), "" when none is numbered."""
    return ", ".join(f"Q{item.number}" for item in items if item.number)
