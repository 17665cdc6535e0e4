"""The repair stage: ordered, named ``text -> text`` steps applied to everything a source gave.

``ANSWER_STEPS`` run on answers, supplements and preambles (Markdown); ``QUESTION_STEPS`` on
questions and section titles (one line). A step can be replaced or removed by name; each is tested
on its own in ``tests/test_repair.py``.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from typing import Callable

from builder.markdown_text import on_prose
from builder.model import Parsed, Problem
from builder.repair.chat import clean_question, strip_speaker_lines
from builder.repair.code import attach_code_language, label_bare_fences, merge_split_fences, separate_fences
from builder.repair.markdown import (
    dedupe_consecutive_tables,
    drop_empty_bullets,
    keep_line_breaks,
    nest_list_items,
    separate_lists,
    separate_tables,
)
from builder.repair.math import repair_math, repair_math_report
from builder.repair.mojibake import fix_mojibake
from builder.repair.tables import escape_pipes_in_cells
from builder.repair.whitespace import collapse_inline, normalise_whitespace
from builder.tex import tex_to_text

Step = Callable[[str], str]


def _prose(step: Step) -> Step:
    def run(text: str) -> str:
        return on_prose(step, text)

    run.__name__ = step.__name__
    return run


ANSWER_STEPS: dict[str, Step] = {
    "mojibake": fix_mojibake,
    "speaker-lines": _prose(strip_speaker_lines),
    "code-language": attach_code_language,
    "split-fences": merge_split_fences,
    "empty-bullets": _prose(drop_empty_bullets),
    "list-nesting": _prose(nest_list_items),
    "duplicate-tables": _prose(dedupe_consecutive_tables),
    "table-pipes": _prose(escape_pipes_in_cells),
    "table-spacing": _prose(separate_tables),
    "list-spacing": _prose(separate_lists),
    "whitespace": normalise_whitespace,
    "math": repair_math,
    "fence-language": label_bare_fences,  # after math: a bare block of formulas becomes math, not text
    "fence-spacing": separate_fences,  # after math: a block it turned into a formula needs no blank lines
    "line-breaks": _prose(keep_line_breaks),
}

QUESTION_STEPS: dict[str, Step] = {
    "mojibake": fix_mojibake,
    "inline-whitespace": collapse_inline,
    "question-label": clean_question,
}


def run_steps(text: str, steps: dict[str, Step]) -> str:
    for step in steps.values():
        text = step(text)
    return text


def _answer_steps_reporting(text: str, line: int, source: str, tally: Counter[str], problems: list[Problem]) -> str:
    """``ANSWER_STEPS`` on one text, keeping what the math step says it did (counts, and formulas it
    could only leave as text, as warnings at ``source:line``)."""
    for step in ANSWER_STEPS.values():
        if step is not repair_math:
            text = step(text)
            continue
        text, report = repair_math_report(text)
        tally.update(report.counts)
        tally["left as text"] += len(report.left_as_text)
        problems += [
            Problem(source, line + offset, f"formula could not be repaired, shown as text: {tex_to_text(tex)}", "warning")
            for offset, tex in report.left_as_text
        ]
    return text


def repair_parsed(parsed: Parsed) -> Parsed:
    """Repair every text a parsed document carries, so no mis-decoded character reaches a page."""
    name = parsed.source.name
    tally: Counter[str] = Counter({"left as text": 0})  # reported even when no text holds math
    problems: list[Problem] = []
    sections: dict[str, str] = {}  # every question under a heading has its title: repaired once
    for i in parsed.items:
        if i.section not in sections:
            sections[i.section] = run_steps(i.section, QUESTION_STEPS)
    items = tuple(
        dataclasses.replace(
            i,
            question=run_steps(i.question, QUESTION_STEPS),
            answer=_answer_steps_reporting(i.answer, i.line + 1, name, tally, problems),
            section=sections[i.section],
        )
        for i in parsed.items
    )
    return dataclasses.replace(
        parsed,
        items=items,
        supplements=tuple(
            dataclasses.replace(
                s,
                title=run_steps(s.title, QUESTION_STEPS),
                markdown=_answer_steps_reporting(s.markdown, s.line + 1, name, tally, problems),
            )
            for s in parsed.supplements
        ),
        excluded=tuple(dataclasses.replace(e, text=fix_mojibake(e.text)) for e in parsed.excluded),
        preamble=_answer_steps_reporting(parsed.preamble, 1, name, tally, problems),
        problems=parsed.problems + tuple(problems),
        math_repairs=dict(sorted(tally.items())),
    )


__all__ = ["ANSWER_STEPS", "QUESTION_STEPS", "repair_parsed", "run_steps"]
