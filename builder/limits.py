"""Size limits: a pasted log or a whole web page inside one answer must not make a page unusable.

The longest answer in the real sources is about 5,000 characters. An answer, introduction or
reference section many times longer is almost always a paste gone wrong (a training log, a page
dump), and one such answer made of 5 MB of text takes MkDocs minutes to render and the reader's
browser seconds to open. So each is cut at a line boundary after ``MAX_TEXT_CHARS``; the page says
that the rest is in the source file, the rest is listed as an excluded fragment (file, line,
reason) and a warning names the line. Nothing is lost: the source file keeps every byte.
"""

from __future__ import annotations

import dataclasses
import logging

from builder.markdown_text import split_code
from builder.model import Excluded, Parsed, Problem

log = logging.getLogger(__name__)

MAX_TEXT_CHARS = 40_000  # eight times the longest real answer
MAX_QUESTION_CHARS = 600  # a question is one line; longer ones are a paragraph pasted onto it
REASON = "too long for a page (the rest of the text is in the source file)"


def _line_of(source_lines: list[str], start: int, text: str) -> int:
    """1-based line in the source where ``text`` (a line of the cut part) appears, from ``start`` on."""
    needle = text.strip()[:80]
    if needle:
        for no in range(max(start, 1), len(source_lines) + 1):
            if needle in source_lines[no - 1]:
                return no
    return start


def cut(text: str, limit: int = MAX_TEXT_CHARS) -> tuple[str, str]:
    """``(kept, rest)``: ``text`` cut at the last line break before ``limit``; fences stay closed."""
    if len(text) <= limit:
        return text, ""
    at = text.rfind("\n", 0, limit)
    at = at if at > limit // 2 else limit
    kept, rest = text[:at].rstrip(), text[at:].lstrip("\n")
    chunks = list(split_code(kept))
    if chunks and chunks[-1][0]:  # the cut fell inside a code block: close it
        fence = chunks[-1][1].lstrip().split("\n", 1)[0].strip()
        kept += "\n" + (fence[:3] if fence.startswith("~") else "```")
    return kept, rest


def _note(rest: str) -> str:
    lines = rest.count("\n") + 1
    return f"\n\n*This text goes on for {len(rest):,} more characters ({lines:,} lines), too long for a page: see the source file.*"


def limit_sizes(parsed: Parsed) -> Parsed:
    """``parsed`` with oversized answers, questions, introduction and reference sections cut."""
    doc = parsed.source
    source_lines = doc.text.split("\n")
    excluded: list[Excluded] = []
    problems: list[Problem] = []

    def shorten(text: str, start: int, what: str) -> str:
        kept, rest = cut(text)
        if not rest:
            return text
        line = _line_of(source_lines, start, rest.split("\n", 1)[0])
        excluded.append(Excluded(doc.name, line, REASON, rest[:300], f"{what}, {len(rest):,} characters cut"))
        problems.append(Problem(doc.name, line, f"{what} is {len(text):,} characters long; the page shows the first {len(kept):,}", "warning"))
        return kept + _note(rest)

    items = []
    for item in parsed.items:
        question = item.question
        if len(question) > MAX_QUESTION_CHARS:
            problems.append(Problem(doc.name, item.line, f"question is {len(question):,} characters long; cut to {MAX_QUESTION_CHARS}", "warning"))
            question = question[: MAX_QUESTION_CHARS - 1].rstrip() + "…"
        answer = shorten(item.answer, item.line, "answer")
        items.append(item if (question, answer) == (item.question, item.answer) else dataclasses.replace(item, question=question, answer=answer))
    supplements = tuple(
        dataclasses.replace(s, markdown=shorten(s.markdown, s.line, f"reference section {s.title!r}")) for s in parsed.supplements
    )
    preamble = shorten(parsed.preamble, 1, "introduction")
    if not excluded and not problems:
        return parsed
    log.info("%s: %d oversized texts cut", doc.name, len(excluded))
    return dataclasses.replace(
        parsed,
        items=tuple(items),
        supplements=supplements,
        preamble=preamble,
        excluded=parsed.excluded + tuple(excluded),
        problems=parsed.problems + tuple(problems),
    )
