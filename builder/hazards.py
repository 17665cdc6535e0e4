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

import logging
import re
from collections.abc import Iterator

from builder.markdown_text import INLINE_CODE, MATH_DOLLAR, code_lines
from builder.model import Problem, SourceDoc

log = logging.getLogger(__name__)

_ACTIVE_TAG = re.compile(r"<\s*(script|iframe|object|embed|frame|frameset|form|style|link|meta|base|svg|math)\b", re.I)
# An event handler in a tag, or in a Markdown attribute list (``{: onclick=… }``).
_EVENT_HANDLER = re.compile(r"(?:<[a-z][^>]*?\s|\{:?[^{}]*?\b)(on[a-z]+)\s*=", re.I)
# A scheme that runs code, written as a link target, an attribute value or an autolink.
_SCRIPT_URL = re.compile(r"(?:\]\(\s*<?|\]:\s*<?|=\s*[\"']?\s*|<)\s*((?:java|vb)script|data)\s*:", re.I)
_TEMPLATE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}")
_SNIPPET = re.compile(r"^\s*-{1,}8<-{1,}\s*(.*)$")
# Every hazard above needs one of these on its line (a tag, autolink or include needs "<", a handler
# "=", a link target "](" or "]:", a template or attribute list "{", math "$" or "\\frac").
_MAY_HOLD_HAZARD = re.compile(r"<|=|\{|\$|\]\(|\]:|\\frac")


def _math_problem(text: str) -> str | None:
    """Why the math on this line cannot render: an odd number of ``$`` or unbalanced braces."""
    dollars = len(MATH_DOLLAR.findall(text))
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


def _candidate_lines(text: str) -> Iterator[int]:
    """0-based numbers of the lines of ``text`` that may hold a hazard, in order."""
    line = pos = 0
    last = -1
    for m in _MAY_HOLD_HAZARD.finditer(text):
        line += text.count("\n", pos, m.start())
        pos = m.start()
        if line != last:
            yield line
            last = line


def scan_hazards(doc: SourceDoc) -> list[Problem]:
    """A warning for every hazardous line of ``doc`` outside fenced code, in line order."""
    lines = doc.text.split("\n")
    code = code_lines(doc.text)
    problems: list[Problem] = []
    for line in _candidate_lines(doc.text):
        if not code[line]:
            prose = INLINE_CODE.sub("", lines[line])
            # one message per kind per line
            problems += [Problem(doc.name, line + 1, message, "warning") for message in dict.fromkeys(line_hazards(prose))]
    if problems:
        log.info("%s: %d hazardous lines shown as text", doc.name, len(problems))
    return problems
