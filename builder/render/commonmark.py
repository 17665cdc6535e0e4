"""Markdown as HTML by cmark-gfm: CommonMark with GitHub's tables. It converts every text the builder
converts itself (the sources' answers, the questions as a link's text, the handbook's key points);
MkDocs converts the rest of each page with Python-Markdown and never reads this HTML (``builder.fences``).

Why not Python-Markdown here too: these texts are most of the site's words. cmark, in C, converts them
about twenty times faster. It also reads lists the way their writers meant them, where Python-Markdown
does not: a list right under a paragraph's last line, sub-items indented two or three spaces, a
numbered list after a bulleted one. Python-Markdown runs such lists into the paragraph or flattens
them.

Two things mkdocs.yml's extensions would have done are done here, after the conversion:
* every code block is highlighted by pymdownx.highlight, with the settings SuperFences gives it on the
  site's pages, so the markup, and with it Material's colours and copy button, is the same;
* a table column's alignment is a ``style``, not the ``align`` attribute HTML5 made obsolete.

cmarkgfm's wrapper never frees a document's syntax tree, and its binding offers no call that would:
the builder keeps about 12 bytes per byte of Markdown it converts (about 11 MB for the handbook's
answers, questions, key points and coverage report; about 155 MB at 20 times its size, within the
bench's 1 GB) until it exits, which it does once the site is written.
"""

from __future__ import annotations

import html
import re

import cmarkgfm
from cmarkgfm.cmark import Options
from pymdownx.highlight import Highlight

# UNSAFE keeps raw HTML: the builder's own (corrections, formulas) is in the texts on purpose, and
# every tag a source wrote was made inert before (builder.render.safety).
_OPTIONS = Options.CMARK_OPT_UNSAFE | Options.CMARK_OPT_TABLE_PREFER_STYLE_ATTRIBUTES
_EXTENSIONS = ["table"]

# cmark writes a code block as exactly this and escapes ``"`` and ``<`` in text; the only raw HTML is
# the builder's own, which holds no code block. So the pattern finds code blocks, and nothing a text says.
_CODE_BLOCK = re.compile(r'<pre><code(?: class="language-([^"]*)")?>(.*?)</code></pre>', re.S)
# mkdocs.yml: pymdownx.highlight with pygments_lang_class (``language-python highlight``)
_HIGHLIGHT = Highlight(None, pygments_lang_class=True)


def _highlighted(block: re.Match[str]) -> str:
    language = html.unescape(block.group(1) or "")
    return _HIGHLIGHT.highlight(html.unescape(block.group(2)), language)


def markdown_html(text: str) -> str:
    """Markdown as HTML: CommonMark, tables and highlighted code blocks (see the module docstring)."""
    converted = cmarkgfm.markdown_to_html_with_extensions(text, options=_OPTIONS, extensions=_EXTENSIONS).rstrip("\n")
    return _CODE_BLOCK.sub(_highlighted, converted)
