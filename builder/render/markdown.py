"""Small Markdown helpers every page uses: escaping, indentation, links, level badges."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable

from builder.markdown_text import Span, around_formulas, on_prose
from builder.model import Item, Level
from builder.render.safety import make_inert

_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")


def escape_html_in_prose(text: str) -> str:
    """Tags, unsafe links and attribute lists a source wrote are shown as text, never run.

    Code blocks are left alone (Markdown escapes them already); see ``builder.render.safety``.
    """
    return on_prose(make_inert, text)


_FORMULA = re.compile("\ue010(\\d+)\ue011")  # private-use: no text holds them


@dataclass(frozen=True)
class HeldMath:
    """Markdown converted to HTML with each formula of its prose held out as a token, so the one
    conversion can serve readers who write formulas differently (the page KaTeX's HTML, an Anki note
    ``\\(…\\)``)."""

    html: str
    formulas: tuple[Span, ...]

    def fill(self, formula: Callable[[Span], str]) -> str:
        """The HTML with each formula as ``formula`` writes it."""
        return _FORMULA.sub(lambda m: formula(self.formulas[int(m.group(1))]), self.html)


def convert_holding_math(text: str, converter: Callable[[str], str]) -> HeldMath:
    """Inert Markdown as HTML by ``converter``, each formula of its prose held out of Markdown (whose
    backslash escapes and emphasis would take it apart)."""
    held: list[Span] = []

    def token(span: Span) -> str:
        held.append(span)
        return f"\ue010{len(held) - 1}\ue011"

    return HeldMath(converter(on_prose(lambda chunk: around_formulas(chunk, token), text)), tuple(held))


def demote_headings(text: str) -> str:
    """Headings inside an answer become bold lines, so each question stays one section of its page."""

    def prose(chunk: str) -> str:
        return "\n".join(
            f"**{m.group(2).strip('*_ ')}**" if (m := _HEADING.match(line)) else line for line in chunk.split("\n")
        )

    return on_prose(prose, text)


@lru_cache(maxsize=1 << 16)
def inline(text: str) -> str:
    """One line of source text safe to put in a heading or a link label."""
    # Cached: a question's text is written again wherever it is linked (related questions, the
    # glossary, the print book), and the result depends on the text alone.
    def escaped(prose: str) -> str:
        return prose.replace("[", "\\[").replace("]", "\\]").replace("{", "&#123;").replace("}", "&#125;")

    # a formula's brackets and braces are TeX's: KaTeX is given them as written
    return on_prose(lambda chunk: around_formulas(chunk, prose=escaped), escape_html_in_prose(text))


def level_badges(levels: tuple[Level, ...], estimated: bool = False) -> str:
    """The level badge of an entry; an estimate says so, in its text and its title."""
    if not levels:
        return ""
    label = levels[0].label if len(levels) == 1 else f"{levels[0].label}–{levels[-1].label}"
    if estimated:
        return (
            f'<span class="hb-level hb-level--{levels[0].label.lower()} hb-level--estimated" '
            f'title="Level estimated by the handbook: no source gives one">{label} · estimated</span>'
        )
    return f'<span class="hb-level hb-level--{levels[0].label.lower()}" title="Level given by the source">{label}</span>'


def levels_attr(levels: tuple[Level, ...]) -> str:
    """The ``data-levels`` value of an entry with these levels (``any`` when none is known)."""
    return " ".join(l.label.lower() for l in levels) or "any"


def item_anchor(item: Item) -> str:
    return f"q-{item.number}" if item.number else f"line-{item.line}"
