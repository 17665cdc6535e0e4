"""HTML the builder made, handed to MkDocs in a fenced block that Python-Markdown stores unread.

The builder converts each entry's answers and key points to HTML itself (``builder.render.answer_html``).
Written into a page as an HTML block, that HTML would still be read tag by tag by Python-Markdown's
HTML-block parser (KaTeX writes dozens of tags per formula), only to be passed through. SuperFences
reads fenced blocks before that parser runs, and a custom fence whose formatter returns its text puts
the text into the page as it is. mkdocs.yml names ``raw_html`` as the formatter of ``hb-html`` fences.

MkDocs imports this module by name (``!!python/name:builder.fences.raw_html``), so it imports nothing.
"""

from __future__ import annotations

import re

FENCE_NAME = "hb-html"

_BACKTICKS = re.compile(r"^[ \t]*(`{3,})", re.MULTILINE)


def raw_html(source: str, language: str, class_name: str, options: dict, md: object, **kwargs: object) -> str:
    """SuperFences' formatter for ``hb-html`` fences: the block's text, unchanged."""
    return source


def fenced_html(html: str) -> list[str]:
    """``html`` as the lines of an ``hb-html`` fenced block (then a blank line); its fence is longer
    than any run of backticks that starts a line of ``html``, so nothing in it closes the block."""
    longest = max((len(m.group(1)) for m in _BACKTICKS.finditer(html)), default=0)
    fence = "`" * max(3, longest + 1)
    return [f"{fence}{FENCE_NAME}", html.strip("\n"), fence, ""]
