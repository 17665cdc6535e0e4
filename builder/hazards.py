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

from builder.model import Problem, SourceDoc
from builder.parse.lines import split_lines

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
# Cheap first look: a line with none of these cannot hold any hazard above, so most lines skip the rest.
_TRIGGER = re.compile(r"[<$]|\{[{%:]|%\}|\{[^}\n]*=|8<|script\s*:|data\s*:|\\frac", re.I)


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


def scan_hazards(doc: SourceDoc) -> list[Problem]:
    """A warning for every hazardous line of ``doc`` outside fenced code, in line order."""
    problems: list[Problem] = []
    for line in split_lines(doc.text):
        if line.code or not _TRIGGER.search(line.text):
            continue
        prose = _INLINE_CODE.sub("", line.text)
        for message in dict.fromkeys(line_hazards(prose)):  # one message per kind per line
            problems.append(Problem(doc.name, line.no, message, "warning"))
    if problems:
        log.info("%s: %d hazardous lines shown as text", doc.name, len(problems))
    return problems
