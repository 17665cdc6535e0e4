"""One item per question when a document renders the same questions more than once.

A chat export may hold a whole question set twice (answered in the chat, then re-rendered as
Markdown on request). Two items are renditions of one question when they share convention, number
and wording. The cleaner, richer answer is kept: fewest copy fragments (lines that hold a formula's
debris but no word, as a chat's rendered maths copies: ``$$QK^T$$``, ``d_k``, ``$)^2$``), then more
distinct words, then more Markdown structure; the others are listed as excluded, with the line of the
one kept. The same number with another wording
is a numbering error in the source: both are kept and a warning names the lines.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Sequence

from builder.markdown_text import find_spans, split_code
from builder.model import Excluded, Item, Problem

_WORD = re.compile(r"[a-z0-9_]+")
_PROSE_WORD = re.compile(r"[A-Za-z]{2,}")
_MARKUP_ONLY = re.compile(r"^[\s\-*+#>|=_~`.:]*$")
_STRUCTURE = re.compile(r"^\s*(?:[-*+]\s|\d+[.)]\s|\|)|\*\*[^*]+\*\*|^```", re.MULTILINE)


def _wording(question: str) -> str:
    return " ".join(_WORD.findall(question.lower()))


def copy_fragments(answer: str) -> int:
    """Lines of prose that hold no word once their formulas are taken out: the debris a copy of
    rendered maths leaves (a formula split over lines, a subscript on a line of its own)."""
    count = 0
    for is_code, chunk in split_code(answer):
        if is_code:
            continue
        for line in chunk.split("\n"):
            if _MARKUP_ONLY.match(line):
                continue
            for span in reversed(find_spans(line)):
                line = line[: span.start] + " " + line[span.end :]
            count += _PROSE_WORD.search(line) is None
    return count


def richness(answer: str) -> tuple[int, int, int]:
    """How good a rendition is: fewest copy fragments, then distinct words, then Markdown structure
    (lists, bold, tables)."""
    return -copy_fragments(answer), len(set(_WORD.findall(answer.lower()))), len(_STRUCTURE.findall(answer))


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
                        "another rendition of the same question (the cleaner, richer one is kept)",
                        other.answer,
                        detail=f"question {other.number}; kept the rendition at line {best.line}",
                    )
                )
    # Keep the document's order: a question stands where it was first asked.
    kept.sort(key=lambda i: min(i.line, *i.other_renditions) if i.other_renditions else i.line)
    return kept, excluded, problems
