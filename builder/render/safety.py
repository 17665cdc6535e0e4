"""Make source prose inert before it reaches Markdown: nothing a source writes can run in a browser.

Python-Markdown passes raw HTML through and turns ``[x](url)``, ``[id]: url`` and ``{: attr=… }``
into links and attributes (CommonMark, as the builder runs it on the answers, all but the last),
so a pasted ``<script>``, ``<img onerror=…>``, ``javascript:`` link or ``{: onclick=… }`` would reach
the page. Strict escaping (not sanitising after the fact) keeps the text readable exactly as written:

* every ``<`` that could open a tag, comment or declaration becomes ``&lt;`` (web autolinks
  ``<https://…>`` stay links);
* a link or image whose target is not ``http``/``https``/``mailto`` (``javascript:``, ``data:``,
  relative paths and anchors that would not exist on the page) is shown as its literal text;
* a reference definition with such a target is shown as text too;
* an attribute list that would set an event handler, a style or a URL attribute is shown as text;
* template-like ``{{ … }}`` and ``{% … %}`` keep their braces as entities, so no extension reads them.

Inline code and fenced code are left alone: Markdown already escapes them. Math spans (``$…$``) are
left alone too: the typeset stage replaces them with KaTeX's HTML, which escapes the TeX itself, or
with escaped text when KaTeX rejects them. Snippet includes
(``--8<--``) need pymdownx.snippets, which mkdocs.yml does not enable, so they stay plain text.
"""

from __future__ import annotations

import html
import logging
import re

from builder.markdown_text import INLINE_CODE, around_formulas

log = logging.getLogger(__name__)

# A ``<`` that could open a tag, unless it opens a web autolink ``<https://…>`` (which stays a link).
_TAG_START = re.compile(r"<(?!(?i:https?)://[^<>\s]+>)(?=\s*[A-Za-z/!?%])")
# The ``](`` of ``[label](target …)`` or ``![alt](target …)``: only the start of the target decides.
_INLINE_LINK = re.compile(r"(\])(\()\s*<?\s*([^\s)>]*)")
_REFERENCE_DEFINITION = re.compile(r"^( {0,3})(\[[^\]\n]+\]:)[ \t]*<?\s*(\S*)", re.M)
_ATTR_LIST = re.compile(r"\{(?=:?[^{}\n]*\b(?:on[a-z]+|style|href|src|srcdoc|action|formaction|xlink:href)\s*=)", re.I)
_TEMPLATE = re.compile(r"\{\{|\{%|%\}|\}\}")
# "{{" and "{%" keep their first brace as an entity, "%}" and "}}" their last.
_TEMPLATE_ENTITIES = {"{{": "&#123;{", "{%": "&#123;%", "%}": "%&#125;", "}}": "}&#125;"}
_CONTROL = re.compile(r"[\x00-\x20\\]")
_SAFE_SCHEMES = ("http:", "https:", "mailto:")


def safe_target(target: str) -> bool:
    """Whether a link target from a source may stay a link: an absolute web or mail address.

    Entities, escapes, control characters and white space are removed before the scheme is read,
    so ``java&#115;cript:`` or ``jav\\tascript:`` cannot slip through.
    """
    normalised = _CONTROL.sub("", html.unescape(html.unescape(target))).lower()
    return normalised.startswith(_SAFE_SCHEMES)


def _neutralise_links(text: str) -> str:
    def inline_link(m: re.Match[str]) -> str:
        if safe_target(m.group(3)):
            return m.group(0)
        log.debug("link target %r shown as text", m.group(3))
        # ``]\(`` is no longer link syntax: the label and target show as the source wrote them.
        return "]\\(" + m.group(0)[2:]

    def definition(m: re.Match[str]) -> str:
        if safe_target(m.group(3)):
            return m.group(0)
        return m.group(1) + "\\" + m.group(0)[len(m.group(1)) :]

    return _REFERENCE_DEFINITION.sub(definition, _INLINE_LINK.sub(inline_link, text))


def _neutralise_markup(piece: str) -> str:
    # Each pass needs its character to match at all, and most pieces hold none of them.
    if "]" in piece:
        piece = _neutralise_links(piece)
    if "<" in piece:
        piece = _TAG_START.sub("&lt;", piece)
    if "{" in piece or "}" in piece:
        piece = _ATTR_LIST.sub("&#123;", piece)
        piece = _TEMPLATE.sub(lambda m: _TEMPLATE_ENTITIES[m.group()], piece)
    return piece


def _outside_math(text: str) -> str:
    """``text`` made inert but for its math spans, which the typeset stage replaces."""
    return around_formulas(text, prose=_neutralise_markup)


def make_inert(prose: str) -> str:
    """``prose`` (no fenced code) with every construct that could run or fetch shown as text."""
    if "`" not in prose:
        return _outside_math(prose)  # no inline code
    parts = INLINE_CODE.split(prose)
    # split() with one group pair yields [text, ticks, code, text, ...]
    out: list[str] = []
    for i in range(0, len(parts), 3):
        out.append(_outside_math(parts[i]))
        if i + 2 < len(parts):
            out.append(parts[i + 1] + parts[i + 2] + parts[i + 1])
    return "".join(out)


def safe_front_matter(front_matter: dict[str, object]) -> dict[str, object]:
    """Front matter whose text cannot become markup: MkDocs and Material put ``title`` into
    ``<title>`` and the navigation, and ``description`` into a ``<meta content="…">``, unescaped.

    A title comes from a source's first heading when ``sources.yml`` gives none, so it may carry
    ``</title><script>``; ``<``, ``>`` and ``"`` become entities, which show as the same characters.
    """
    def text(value: str) -> str:
        return value.replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")

    return {key: text(value) if isinstance(value, str) and key in ("title", "description") else value for key, value in front_matter.items()}
