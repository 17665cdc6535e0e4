"""Hazard scan: lines of a source that a browser or the site generator could take for more than text.

People paste sources from chats and web pages, so a document may carry raw HTML that would run in
a reader's browser (``<script>``, ``<iframe>``, ``onerror=``, ``javascript:`` links), template or
include syntax (``{{ … }}``, ``{% … %}``, ``--8<--``) or math that cannot render (an odd number of
``$``, an unclosed ``\\frac{``). The renderer shows all of it as inert text (see
``builder/render/safety.py``); this scan tells the person who added the source, as
``file:line: warning: …``, so they can check the text reads as they meant. Code blocks are skipped:
anything in them is shown verbatim and never runs.
"""

from __future__ import annotations

import bisect
import logging
import re
from collections.abc import Iterator

from builder.model import Problem, SourceDoc
from builder.repair.segments import split_code

log = logging.getLogger(__name__)

_ACTIVE_TAG = re.compile(r"<\s*(script|iframe|object|embed|frame|frameset|form|style|link|meta|base|svg|math)\b", re.I)
# An event handler in a tag, or in a Markdown attribute list (``{: onclick=… }``).
_EVENT_HANDLER = re.compile(r"(?:<[a-z][^>]*?\s|\{:?[^{}]*?\b)(on[a-z]+)\s*=", re.I)
# A scheme that runs code, written as a link target, an attribute value or an autolink.
_SCRIPT_URL = re.compile(r"(?:\]\(\s*<?|\]:\s*<?|=\s*[\"']?\s*|<)\s*((?:java|vb)script|data)\s*:", re.I)
_TEMPLATE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}")
_SNIPPET = re.compile(r"^\s*-{1,}8<-{1,}\s*(.*)$")
_INLINE_CODE = re.compile(r"(`+).+?\1")
_DOLLAR = re.compile(r"(?<!\\)\$")
# Cheap first look: a line with none of these cannot hold any hazard above, so most lines skip the rest:
# ``<``, ``$``, ``{{``, ``{%``, ``{:``, ``%}``, ``{…=``, ``8<``, ``\\frac``, or ``script:`` / ``data:``
# (any case, white space before the colon). No match can cross a line break, so scans of the whole text
# find exactly the lines to look at. Every alternative of ``_MARK`` starts with a caseless literal,
# which lets re skip ahead to those characters; the scheme words are found in the reversed text, where
# the pattern starts with the colon (a caseless word first would be tried at every character).
_MARK = re.compile(r"<|\$|\{[{%:]|%\}|\{[^}\n]*=|8<|\\frac", re.I)
_SCHEME_COLON_REVERSED = re.compile(r":[^\S\n]*(?:tpircs|atad)", re.I)


def trigger_positions(text: str) -> list[int]:
    """Sorted positions in ``text`` where a trigger starts (every line holding one has one listed)."""
    found = [m.start() for m in _MARK.finditer(text)]
    found += [len(text) - m.end() for m in _SCHEME_COLON_REVERSED.finditer(text[::-1])]  # where the word starts
    found.sort()
    return found


def _math_problem(text: str) -> str | None:
    """Why the math on this line cannot render: an odd number of ``$`` or unbalanced braces."""
    dollars = len(_DOLLAR.findall(text))
    if dollars % 2:
        return "unbalanced $ (math delimiter); the line is shown as text"
    if dollars and text.count("{") != text.count("}"):
        return "unbalanced { } in math; the line is shown as text"
    if "\\frac" in text and text.count("{") != text.count("}"):
        return "unbalanced { } after \\frac; the line is shown as text"
    return None


def line_hazards(text: str) -> Iterator[str]:
    """Messages for one line of prose (inline code already removed by the caller)."""
    for m in _ACTIVE_TAG.finditer(text):
        yield f"raw HTML <{m.group(1).lower()}> is shown as text, never run"
    for m in _EVENT_HANDLER.finditer(text):
        yield f"HTML event handler {m.group(1).lower()}= is shown as text, never run"
    for m in _SCRIPT_URL.finditer(text):
        yield f"{m.group(1).lower()}: link is shown as text, not as a link"
    if _TEMPLATE.search(text):
        yield "template syntax ({{ … }} or {% … %}) is shown as text, not evaluated"
    if m := _SNIPPET.match(text):
        yield f"include directive --8<-- {m.group(1).strip()} is shown as text; no file is ever included"
    if problem := _math_problem(text):
        yield problem


def code_line_ranges(text: str) -> list[tuple[int, int]]:
    """``(first, last)`` 0-based line numbers of each fenced block of ``text`` (fences included)."""
    ranges = []
    line = 0
    for is_code, chunk in split_code(text):
        lines = chunk.count("\n") + 1
        if is_code:
            ranges.append((line, line + lines - 1))
        line += lines
    return ranges


def _in_code(ranges: list[tuple[int, int]], line: int) -> bool:
    i = bisect.bisect_right(ranges, (line, float("inf"))) - 1
    return i >= 0 and ranges[i][0] <= line <= ranges[i][1]


def scan_hazards(doc: SourceDoc) -> list[Problem]:
    """A warning for every hazardous line of ``doc`` outside fenced code, in line order."""
    problems: list[Problem] = []
    text = doc.text
    code: list[tuple[int, int]] | None = None  # found only when a line needs a closer look
    line, pos, last = 0, 0, -1
    for start in trigger_positions(text):
        line += text.count("\n", pos, start)
        pos = start
        if line == last:
            continue  # the line was looked at for an earlier trigger
        last = line
        code = code_line_ranges(text) if code is None else code
        if _in_code(code, line):
            continue
        start = text.rfind("\n", 0, pos) + 1
        end = text.find("\n", pos)
        prose = _INLINE_CODE.sub("", text[start : end if end != -1 else len(text)])
        for message in dict.fromkeys(line_hazards(prose)):  # one message per kind per line
            problems.append(Problem(doc.name, line + 1, message, "warning"))
    if problems:
        log.info("%s: %d hazardous lines shown as text", doc.name, len(problems))
    return problems
