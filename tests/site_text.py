"""Compare what a source wrote with what the built site shows, as words.

Answers are Markdown and the site shows HTML, so neither can be compared character for character:
emphasis, links, list numbers, table pipes and code fences change form. Both sides are reduced to
their words (letters and digits, case-folded); a stretch of the source is "shown" when its words
appear, in order and contiguous, in the visible text of the entry that should hold it.
"""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser

from builder.markdown_text import split_code

_WORD = re.compile(r"[^\W_]+")  # underscores are Markdown emphasis as often as part of a name
_FENCE_LINE = re.compile(r"^\s*(`{3,}|~{3,})")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")  # [text](target): only the text is visible
_LINK_DEFINITION = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*\S+.*$")
_LIST_NUMBER = re.compile(r"^\s*\d+[.)](?=\s)")  # an ordered list's numbers are drawn, not text
# Math is typeset by KaTeX, which draws it in spans but keeps its TeX, word for word, in a MathML
# annotation: a formula is checked as a stretch of its own, against that annotation.
_MATH = re.compile(r"(\$\$.*?\$\$|\$[^$\n]+\$|\\\(.*?\\\)|\\\[.*?\\\])", re.S)


def words(text: str) -> list[str]:
    return _WORD.findall(unescape(text).casefold())


def markdown_stretches(markdown: str) -> list[list[str]]:
    """The words of each line of ``markdown`` as the site shows them; empty lines left out.

    Each line is a stretch of its own, so a failure names the line, and block structure the
    renderer changes (list nesting, table layout, tabs) never breaks a comparison.
    """
    out: list[list[str]] = []
    for is_code, chunk in split_code(markdown):
        lines = chunk.split("\n")
        for line in lines:
            if is_code:
                if _FENCE_LINE.match(line):
                    continue  # the fence and its language label are not shown
            else:
                if _LINK_DEFINITION.match(line):
                    continue
                line = _LIST_NUMBER.sub(" ", line)
                line = _LINK.sub(r" \1 ", line)
            for part in _MATH.split(line) if not is_code else [line]:
                found = words(part.strip("$"))
                if found:
                    out.append(found)
    return out


class _EntryTexts(HTMLParser):
    """Visible text of every ``<div class="hb-entry">`` of a page, by the id of its ``h3``, less the
    handbook's own notes (``span.hb-correction``), which stand between a source's words."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: dict[str, list[str]] = {}
        self._depth = 0  # div nesting inside the current entry; 0 outside any entry
        self._current: list[str] | None = None
        self._skip = 0  # inside <script> or <style>
        self._note = 0  # span nesting inside a handbook's note; 0 outside any

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag in ("script", "style"):
            self._skip += 1
        if tag == "span" and (self._note or "hb-correction" in (attributes.get("class") or "").split()):
            self._note += 1
        if tag == "div":
            if self._depth:
                self._depth += 1
            elif "hb-entry" in (attributes.get("class") or "").split():
                self._depth = 1
                self._current = []
        elif tag == "h3" and self._depth and self._current is not None and attributes.get("id"):
            self.texts.setdefault(attributes["id"] or "", self._current)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip = max(0, self._skip - 1)
        if tag == "span" and self._note:
            self._note -= 1
        if tag == "div" and self._depth:
            self._depth -= 1
            if not self._depth:
                self._current = None

    def handle_data(self, data: str) -> None:
        if self._current is not None and not self._skip and not self._note:
            self._current.append(data)


def entry_texts(html: str) -> dict[str, str]:
    """Entry id → its visible words, space-joined and space-padded (for whole-word search)."""
    parser = _EntryTexts()
    parser.feed(html)
    parser.close()
    return {entry_id: " " + " ".join(words(" ".join(chunks))) + " " for entry_id, chunks in parser.texts.items()}


def missing_stretches(markdown: str, shown: str) -> list[str]:
    """The stretches of ``markdown`` whose words do not appear, in order, in ``shown``."""
    return [" ".join(s) for s in markdown_stretches(markdown) if f" {' '.join(s)} " not in shown]
