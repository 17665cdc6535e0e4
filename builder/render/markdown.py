"""Small Markdown helpers every page uses: escaping, indentation, links, level badges."""

from __future__ import annotations

import html
import re

from builder.model import Entry, Item, Level
from builder.repair.segments import split_code

_INLINE_CODE = re.compile(r"(`+)(.+?)\1", re.DOTALL)
_TAG_START = re.compile(r"<(?=[A-Za-z/!?])")
_AUTOLINK = re.compile(r"<(https?://[^>\s]+)>")
_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
_UNSAFE_LINK = re.compile(r"\]\(\s*(?:javascript|vbscript|data):[^)]*\)", re.IGNORECASE)


def escape_html_in_prose(text: str) -> str:
    """Tags a source wrote (``<retrieved_context>``, ``<script>``) are shown as text, never run.

    Code blocks and inline code are left alone (Markdown escapes them already); web autolinks stay links.
    """

    def prose(chunk: str) -> str:
        parts = _INLINE_CODE.split(chunk)
        # split() with one group pair yields [text, ticks, code, text, ...]
        out = []
        i = 0
        while i < len(parts):
            piece = parts[i]
            piece = _AUTOLINK.sub(lambda m: f"\x00{m.group(1)}\x01", piece)
            piece = _TAG_START.sub("&lt;", piece).replace("\x00", "<").replace("\x01", ">")
            piece = _UNSAFE_LINK.sub("](#unsafe-link-removed)", piece)
            out.append(piece)
            if i + 2 < len(parts):
                out.append(parts[i + 1] + parts[i + 2] + parts[i + 1])
            i += 3
        return "".join(out)

    return "\n".join(chunk if is_code else prose(chunk) for is_code, chunk in split_code(text))


def demote_headings(text: str) -> str:
    """Headings inside an answer become bold lines, so each question stays one section of its page."""

    def prose(chunk: str) -> str:
        return "\n".join(
            f"**{m.group(2).strip('*_ ')}**" if (m := _HEADING.match(line)) else line for line in chunk.split("\n")
        )

    return "\n".join(chunk if is_code else prose(chunk) for is_code, chunk in split_code(text))


def inline(text: str) -> str:
    """One line of source text safe to put in a heading or a link label."""
    text = escape_html_in_prose(text)
    return text.replace("[", "\\[").replace("]", "\\]").replace("{", "&#123;").replace("}", "&#125;")


def indent(text: str, by: int = 4) -> str:
    pad = " " * by
    return "\n".join(pad + line if line.strip() else "" for line in text.split("\n"))


def level_badges(levels: tuple[Level, ...]) -> str:
    if not levels:
        return ""
    label = levels[0].label if len(levels) == 1 else f"{levels[0].label}–{levels[-1].label}"
    return f'<span class="hb-level hb-level--{levels[0].label.lower()}" title="Level given by the source" data-search-exclude>{label}</span>'


def entry_levels_attr(entry: Entry) -> str:
    return " ".join(l.label.lower() for l in entry.levels) or "any"


def item_anchor(item: Item) -> str:
    return f"q-{item.number}" if item.number else f"line-{item.line}"


def attr_escape(text: str) -> str:
    return html.escape(text, quote=True)
