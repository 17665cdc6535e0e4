"""Answers as HTML, converted by the builder rather than by MkDocs, with their formulas and links as
the built site has them.

Each source's answers to an entry are Markdown (made inert, corrections placed, terms linked by the
other renderers). This converts them as CommonMark (``builder.render.commonmark``) and does the two
things MkDocs would have done after: each formula becomes KaTeX's HTML, and each link to a page under
docs/ becomes that page's URL. The page then holds the HTML in an ``hb-html`` fenced block, which
MkDocs stores unread (``builder.fences``). The questions (as a link's text) and the handbook's key
points are converted here too. The Anki notes take all three from here, their formulas in Anki's
notation: every text is converted once. A page the builder writes whole in Markdown, with no formulas
(the coverage report), is converted here between its headings (``html_between_headings``).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Mapping

from builder.fences import fenced_html
from builder.markdown_text import Span, code_lines
from builder.model import Entry
from builder.paths import url_href
from builder.render.commonmark import markdown_html
from builder.render.markdown import HeldMath, convert_holding_math
from builder.tabs import Answer
from builder.typeset import Typeset, formula_html, page_tex

# cmark writes every link as ``<a href="…"`` and escapes ``"`` and ``<`` in text (a source's tags were
# made inert before), so this finds links only.
_LINK = re.compile(r'<a href="([^"]*)"')
_HEADING = re.compile(r"#{1,6}(?:[ \t]|$)")


def site_links(converted: str, page: str) -> str:
    """The links of HTML converted for ``page`` (a path under docs/) to other pages under docs/ as the
    built site's URLs; web addresses and anchors on the page are left as they are."""

    def link(m: re.Match[str]) -> str:
        href = html.unescape(m.group(1))
        url = url_href(page, href)
        return m.group(0) if url == href else f'<a href="{html.escape(url)}"'

    return _LINK.sub(link, converted)


def html_between_headings(markdown: str, page: str) -> str:
    """A page's inert Markdown (with no formulas) as Markdown headings with HTML between them: each
    stretch between two headings converted here, as CommonMark with links as the site's URLs, and put
    in an ``hb-html`` fence, which MkDocs stores unread. The headings stay Markdown, so MkDocs gives
    them their ids and lists them in the page's contents."""
    out: list[str] = []
    stretch: list[str] = []

    def convert_stretch() -> None:
        if any(line.strip() for line in stretch):
            out.extend(fenced_html(site_links(markdown_html("\n".join(stretch)), page)))
        stretch.clear()

    for line, in_code in zip(markdown.split("\n"), code_lines(markdown)):
        if not in_code and _HEADING.match(line):
            convert_stretch()
            out += [line, ""]
        else:
            stretch.append(line)
    convert_stretch()
    return "\n".join(out).rstrip() + "\n"


AnswerKey = tuple[str, str]
"""An answer of an entry: the entry's id and the key of the first question that gave it."""


def answer_key(entry: Entry, answer: Answer) -> AnswerKey:
    return entry.id, answer.items[0].key


@dataclass(frozen=True)
class Converted:
    """An entry's texts as its topic page converted them, formulas held out: what the Anki notes show."""

    questions: Mapping[str, HeldMath]  # entry id → its question as a link's text shows it
    key_points: Mapping[str, HeldMath]  # entry id → the handbook's key points, a list
    answers: Mapping[AnswerKey, HeldMath]  # every source's answer


class AnswerHtml:
    """Converts an entry's texts to HTML and keeps every text as converted for its page, formulas held
    out, which the Anki notes reuse (``converted``)."""

    def __init__(self, math: Typeset) -> None:
        self._math = math
        self._questions: dict[str, HeldMath] = {}
        self._key_points: dict[str, HeldMath] = {}
        self._answers: dict[AnswerKey, HeldMath] = {}

    def formula(self, span: Span) -> str:
        """A formula as the page shows it (KaTeX's HTML, or readable text)."""
        return formula_html((page_tex(span.tex), span.display), self._math)

    def convert(self, page: str, text: str) -> str:
        """Inert Markdown of ``page`` (a path under docs/) as the HTML the built page shows."""
        return self._hold(page, text).fill(self.formula)

    def question(self, entry_id: str, text: str) -> str:
        """An entry's question (one line of inert Markdown) as the text of a link shows it, remembered
        for the entry's note."""
        held = self._questions[entry_id] = self._link_text(text)
        return held.fill(self.formula)

    def link_text(self, text: str) -> str:
        """One line of inert Markdown as the text of a link shows it."""
        return self._link_text(text).fill(self.formula)

    def _link_text(self, text: str) -> HeldMath:
        # converted inside a link, so no block syntax (a leading ``1.`` or ``#``) applies
        held = self._hold("", f"[{text}](#)")
        return HeldMath(held.html.removeprefix('<p><a href="#">').removesuffix("</a></p>"), held.formulas)

    def key_points(self, entry_id: str, text: str) -> str:
        """The handbook's key points on an entry (an inert Markdown list) as HTML."""
        held = self._key_points[entry_id] = convert_holding_math(text, markdown_html)
        return held.fill(self.formula)

    def answer(self, key: AnswerKey, page: str, text: str) -> str:
        """A source's answer (its Markdown ``text`` on ``page``) as the page shows it, remembered under
        ``key``."""
        held = self._answers[key] = self._hold(page, text)
        return held.fill(self.formula)

    @property
    def converted(self) -> Converted:
        """Every question, key points and answer converted so far."""
        return Converted(self._questions, self._key_points, self._answers)

    def _hold(self, page: str, text: str) -> HeldMath:
        return convert_holding_math(text, lambda markdown: site_links(markdown_html(markdown), page))
