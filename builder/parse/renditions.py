"""One item per question when a document renders the same questions more than once.

A chat export may hold a whole question set twice (answered in the chat, then re-rendered as
Markdown on request). Two items are renditions of one question when they share convention, number
and wording. The richer answer is kept (more distinct words, then more Markdown structure); the
others are listed as excluded, with the line of the one kept. The same number with another wording
is a numbering error in the source: both are kept and a warning names the lines.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Sequence

from builder.model import Excluded, Item, Problem

_WORD = re.compile(r"[a-z0-9_]+")
_STRUCTURE = re.compile(r"^\s*(?:[-*+]\s|\d+[.)]\s|\|)|\*\*[^*]+\*\*|^```", re.MULTILINE)


def _wording(question: str) -> str:
    return " ".join(_WORD.findall(question.lower()))


def richness(answer: str) -> tuple[int, int]:
    """How much an answer says: distinct words first, then Markdown structure (lists, bold, tables)."""
    return len(set(_WORD.findall(answer.lower()))), len(_STRUCTURE.findall(answer))


def collapse_renditions(items: Sequence[Item]) -> tuple[list[Item], list[Excluded], list[Problem]]:
    groups: dict[tuple[str, str, str], list[Item]] = {}
    first_by_number: dict[tuple[str, str], Item] = {}
    problems: list[Problem] = []
    wording_of_first: dict[tuple[str, str], str] = {}
    for item in items:
        if not item.number:
            groups.setdefault((item.convention, f"@{item.line}", ""), []).append(item)
            continue
        wording = _wording(item.question)
        groups.setdefault((item.convention, item.number, wording), []).append(item)
        first = first_by_number.setdefault((item.convention, item.number), item)
        if first is item:
            wording_of_first[(item.convention, item.number)] = wording
        elif wording_of_first[(item.convention, item.number)] != wording:
            problems.append(
                Problem(item.source, item.line, f"question number {item.number} is used again (first at line {first.line}); both kept", "warning")
            )
    kept: list[Item] = []
    excluded: list[Excluded] = []
    for group in groups.values():
        if len(group) == 1:
            kept.append(group[0])
            continue
        best_index = max(range(len(group)), key=lambda i: (richness(group[i].answer), -i))
        best = group[best_index]
        others = tuple(i.line for i in group if i is not best)
        kept.append(dataclasses.replace(best, rendition=best_index + 1, other_renditions=others))
        for other in group:
            if other is not best:
                excluded.append(
                    Excluded(
                        other.source,
                        other.line,
                        "another rendition of the same question (the richer one is kept)",
                        other.answer,
                        detail=f"question {other.number}; kept the rendition at line {best.line}",
                    )
                )
    # Keep the document's order: a question stands where it was first asked.
    kept.sort(key=lambda i: min(i.line, *i.other_renditions) if i.other_renditions else i.line)
    return kept, excluded, problems
