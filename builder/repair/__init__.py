"""The repair stage: ordered, named ``text -> text`` steps applied to everything a source gave.

``ANSWER_STEPS`` run on answers, supplements and preambles (Markdown); ``QUESTION_STEPS`` on
questions and section titles (one line). A step can be replaced or removed by name; each is tested
on its own in ``tests/test_repair.py``.
"""

from __future__ import annotations

import dataclasses
from typing import Callable

from builder.model import Excluded, Item, Parsed, Supplement
from builder.repair.chat import clean_question, strip_speaker_lines
from builder.repair.code import attach_code_language, merge_split_fences
from builder.repair.markdown import dedupe_consecutive_tables, drop_empty_bullets, keep_line_breaks
from builder.repair.mojibake import fix_mojibake
from builder.repair.segments import on_prose
from builder.repair.tables import escape_token_pipes
from builder.repair.whitespace import collapse_inline, normalise_whitespace

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
    "duplicate-tables": _prose(dedupe_consecutive_tables),
    "token-pipes": _prose(escape_token_pipes),
    "whitespace": normalise_whitespace,
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


def repair_item(item: Item) -> Item:
    return dataclasses.replace(
        item,
        question=run_steps(item.question, QUESTION_STEPS),
        answer=run_steps(item.answer, ANSWER_STEPS),
        section=run_steps(item.section, QUESTION_STEPS),
    )


def repair_parsed(parsed: Parsed) -> Parsed:
    """Repair every text a parsed document carries, so no mis-decoded character reaches a page."""
    return dataclasses.replace(
        parsed,
        items=tuple(repair_item(i) for i in parsed.items),
        supplements=tuple(
            dataclasses.replace(s, title=run_steps(s.title, QUESTION_STEPS), markdown=run_steps(s.markdown, ANSWER_STEPS))
            for s in parsed.supplements
        ),
        excluded=tuple(dataclasses.replace(e, text=fix_mojibake(e.text)) for e in parsed.excluded),
        preamble=run_steps(parsed.preamble, ANSWER_STEPS),
    )


__all__ = ["ANSWER_STEPS", "QUESTION_STEPS", "repair_item", "repair_parsed", "run_steps"]
