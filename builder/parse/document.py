"""Walk one document's lines and cut it into questions, supplements, preamble and excluded fragments.

Every line ends up in exactly one place: a question's answer, a supplement (reference material
under a heading with no questions), the document's preamble, a section heading that questions sit
under, or an ``Excluded`` fragment with its reason (chat turns, tables of contents, noise). The
conventions say where a question starts; the walker decides where its answer ends:

* at the next question, chat turn marker or assistant sign-off;
* at a heading, unless the question is itself a heading and the heading is no higher than it
  (the sub-headings of a long answer stay inside the answer).
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass, field
from typing import Sequence

from builder.model import Excluded, Item, Level, Parsed, Problem, SourceDoc, Supplement
from builder.parse.convention import Convention, QuestionStart
from builder.parse.lines import Line, split_lines
from builder.parse.renditions import collapse_renditions
from builder.parse.rules import StructureRules

_ANSWER_LABEL = re.compile(r"^\s*(?:[-*+]\s+)?(?:\*\*|__)?\s*(?:A|Answer)\s*[:.]\s*(?:\*\*|__)?[ \t]*")
_RULE_LINE = re.compile(r"\s*(-{3,}|\*{3,}|_{3,})\s*")
_LISTISH = re.compile(r"^\s*([-*+>|]|\d+[.)]\s)")
_EXCERPT = 400


@dataclass
class _Question:
    start: QuestionStart
    convention: str
    line: int
    section: str
    section_level: Level | None
    lines: list[str] = field(default_factory=list)


@dataclass
class _Block:
    """Lines under a non-question heading (a possible supplement), or text being dropped."""

    line: int
    title: str
    depth: int
    reason: str = ""  # non-empty: the block is excluded for this reason
    lines: list[str] = field(default_factory=list)
    has_questions: bool = False


Start = tuple[QuestionStart, str]  # a question's start and the name of the convention that saw it


def question_starts(lines: Sequence[Line], conventions: Sequence[Convention]) -> list[Start | None]:
    """For each line, the question the first convention (in registry order) to recognise it starts.

    A convention that recognises a line is detected by definition, so the first of all conventions is
    the first of the detected ones: one pass gives both detection and what the walk needs. A line is
    tried only against the conventions its first non-blank character can open (most lines: none)."""
    starts: list[Start | None] = [None] * len(lines)
    by_first: dict[str, tuple[Convention, ...]] = {}
    for i, line in enumerate(lines):
        if line.code:
            continue
        first = line.text.lstrip()[:1]
        candidates = by_first.get(first)
        if candidates is None:
            candidates = by_first[first] = tuple(c for c in conventions if c.opens is None or c.opens(first))
        for convention in candidates:
            start = convention.match(lines, i)
            if start is not None:
                starts[i] = (start, convention.name)
                break
    return starts


def _plain_heading(line: Line, rules: StructureRules) -> str | None:
    text = line.stripped
    if rules.range_heading.match(text):
        return text
    if (
        line.blanks_before >= 2
        and len(text) <= rules.plain_heading_max_length
        and text[:1].isalnum()
        and text[:1] == text[:1].upper()
        and text[-1] not in ".,;:?!"
        and not _LISTISH.match(text)
    ):
        return text
    return None


def _clean_answer(inline: str, lines: list[str]) -> str:
    """Strip the ``A:``/``**Answer:**`` label, dedent, and trim blank lines and trailing rules."""
    body = list(lines)
    first = inline.strip()
    if not first:
        while body and not body[0].strip():
            body.pop(0)
        if body and (label := _ANSWER_LABEL.match(body[0])):
            first = body.pop(0)[label.end() :].strip()
    elif label := _ANSWER_LABEL.match(first):
        first = first[label.end() :].strip()
    rest = textwrap.dedent("\n".join(body)).split("\n") if body else []
    out = ([first] if first else []) + rest
    while out and (not out[-1].strip() or _RULE_LINE.fullmatch(out[-1])):
        out.pop()
    while out and (not out[0].strip() or _RULE_LINE.fullmatch(out[0])):
        out.pop(0)
    return "\n".join(out)


def _heading_text(title: str) -> str:
    return re.sub(r"\s+", " ", title).strip().strip("*_ ").strip()


class _Walker:
    def __init__(self, doc: SourceDoc, starts: Sequence[Start | None], rules: StructureRules) -> None:
        self.doc = doc
        self.starts = starts  # per line, from ``question_starts``
        self.rules = rules
        self.items: list[Item] = []
        self.supplements: list[Supplement] = []
        self.excluded: list[Excluded] = []
        self.problems: list[Problem] = []
        self.preamble: list[str] = []
        # (depth, title, line, the level its title names) of open headings; the level is found once,
        # not again for every question under the heading
        self.stack: list[tuple[int, str, int, Level | None]] = []
        self.question: _Question | None = None
        self.block: _Block | None = None
        self.seen_content = False  # anything but titles seen yet (the first H1s are the title)
        self.used_headings: set[int] = set()

    # -- closing what is open -------------------------------------------------
    def _close_question(self) -> None:
        q, self.question = self.question, None
        if q is None:
            return
        answer = _clean_answer(q.start.inline_answer, q.lines)
        level = None
        if q.start.level_word:
            level = self.rules.level(q.start.level_word)
            if level is None:
                self.problems.append(Problem(self.doc.name, q.line, f"unknown level {q.start.level_word!r}; level left empty", "warning"))
        if level is None:
            level = q.section_level
        if not answer.strip():
            self.problems.append(Problem(self.doc.name, q.line, f"question {q.start.number or ''} has no answer: {q.start.question[:60]!r}".replace("  ", " "), "warning"))
        item = Item(
            source=self.doc.name,
            number=q.start.number,
            line=q.line,
            question=q.start.question.strip(),
            answer=answer,
            level=level,
            section=q.section,
            convention=q.convention,
        )
        self.items.append(item)

    def _close_block(self) -> None:
        b, self.block = self.block, None
        if b is None:
            return
        text = "\n".join(b.lines).strip("\n")
        if b.reason:
            self.excluded.append(Excluded(self.doc.name, b.line, b.reason, text))
            return
        if b.has_questions:
            if text.strip():
                self.excluded.append(Excluded(self.doc.name, b.line, "section introduction (not a question)", text))
            return
        self.supplements.append(Supplement(self.doc.name, b.line, b.title, textwrap.dedent(text), b.depth))

    def _close_all(self) -> None:
        self._close_question()
        self._close_block()

    # -- the walk ----------------------------------------------------------------
    def _section(self) -> tuple[str, Level | None]:
        title = self.stack[-1][1] if self.stack else ""
        level = None
        for _, _, _, heading_level in self.stack:
            level = heading_level or level
        return title, level

    def _start_question(self, start: QuestionStart, convention: str, line: Line) -> None:
        self._close_all()
        for _, _, heading_line, _ in self.stack:
            self.used_headings.add(heading_line)
        title, level = self._section()
        self.question = _Question(start, convention, line.no, title, level)
        self.seen_content = True

    def _heading(self, depth: int, title: str, line: Line) -> None:
        self._close_all()
        while self.stack and self.stack[-1][0] >= depth:
            self.stack.pop()
        title = _heading_text(title)
        if self.rules.toc_heading.match(title):
            self.block = _Block(line.no, title, depth, reason="table of contents (its links are the source's own)")
            self.block.lines.append(line.text)
            return
        if depth == 1 and not self.seen_content:
            self.excluded.append(Excluded(self.doc.name, line.no, "document title (the source page shows its title)", line.text))
            return
        self.seen_content = True
        self.stack.append((depth, title, line.no, self.rules.heading_level(title)))
        self.block = _Block(line.no, title, depth)

    def _append(self, text: str) -> None:
        if self.question is not None:
            self.question.lines.append(text)
        elif self.block is not None:
            self.block.lines.append(text)
        elif text.strip():
            self.preamble.append(text)
        elif self.preamble:
            self.preamble.append(text)

    def _drop(self, line: Line, reason: str) -> None:
        self._close_all()
        self.block = _Block(line.no, "", 0, reason=reason)
        self.block.lines.append(line.text)

    def walk(self, lines: list[Line]) -> None:
        rules = self.rules
        for i, line in enumerate(lines):
            if line.code:
                self._append(line.text)
                continue
            found = self.starts[i]
            if found is not None:
                self._start_question(*found, line)
                continue
            text = line.stripped
            if not text:
                self._append("")
                continue
            if rules.is_turn_marker(text):
                self._drop(line, "chat turn (prompt, reply preamble or closing talk)")
                continue
            sign_off = rules.is_sign_off(text)
            if self.question is not None and sign_off:
                self._drop(line, "chat sign-off and talk between batches")
                continue
            reason = rules.noise_reason(text)
            if reason:
                self.excluded.append(Excluded(self.doc.name, line.no, reason, line.text))
                continue
            heading = line.heading() if text[0] == "#" else None
            if heading is not None:
                depth, title = heading
                q = self.question
                if q is not None and q.start.heading_level is not None and depth >= q.start.heading_level:
                    self._append(line.text)  # a sub-heading of a long answer
                    continue
                self._heading(depth, title, line)
                continue
            plain = None
            # A heading in plain text carries a question-number range, or stands after a gap.
            if (sign_off or rules.range_heading.match(text) or line.blanks_before >= 2) and not (self.block is not None and self.block.reason.startswith("chat")):
                plain = _plain_heading(line, rules)
            if plain is not None and not line.rule:
                self._heading(2, plain, line)
                continue
            if self.question is None and self.block is None and not self.stack:
                self.seen_content = True
            self._append(line.text)
        self._close_all()
        # Headings that questions sit under are sections; a supplement is a heading block without them.
        self.supplements = [s for s in self.supplements if s.line not in self.used_headings or s.markdown.strip()]


def _prune_supplements(supplements: list[Supplement], doc: SourceDoc) -> tuple[list[Supplement], list[Excluded]]:
    """Keep a supplement with content, or an empty one that heads kept deeper ones; list the rest."""
    kept: list[Supplement] = []
    dropped: list[Excluded] = []
    for i, sup in enumerate(supplements):
        if sup.markdown.strip():
            kept.append(sup)
            continue
        child = False
        for later in supplements[i + 1 :]:
            if later.depth <= sup.depth:
                break
            if later.markdown.strip():
                child = True
                break
        if child:
            kept.append(sup)
        else:
            dropped.append(Excluded(doc.name, sup.line, "heading with nothing under it", sup.title))
    return kept, dropped


def parse_document(doc: SourceDoc, conventions: Sequence[Convention], rules: StructureRules) -> Parsed:
    """Parse one decoded document into items, supplements, preamble and excluded fragments."""
    lines = split_lines(doc.text)
    starts = question_starts(lines, conventions)
    if not doc.text.strip():
        return Parsed(doc, (), problems=(Problem(doc.name, 1, "empty file: no questions"),))
    if not any(starts):
        return Parsed(
            doc,
            (),
            excluded=(Excluded(doc.name, 1, "no question in any known convention", doc.text[:_EXCERPT]),),
            problems=(Problem(doc.name, 1, "no questions found in any known convention (see README: adding a source)"),),
        )
    walker = _Walker(doc, starts, rules)
    walker.walk(lines)
    supplements, dropped = _prune_supplements(walker.supplements, doc)
    items, superseded, problems = collapse_renditions(walker.items)
    return Parsed(
        source=doc,
        items=tuple(items),
        supplements=tuple(supplements),
        excluded=tuple(sorted(walker.excluded + dropped + superseded, key=lambda e: e.line)),
        problems=tuple(sorted(walker.problems + problems, key=lambda p: p.line)),
        preamble=_clean_answer("", walker.preamble),
    )
