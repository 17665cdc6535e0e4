"""An entry as an Anki note: its fields as HTML, its tags, and its math in Anki's notation.

The front is the question (with its topic and level); the back holds the handbook's key points, then
every source's answer with the source named, then a link back to the entry. The question, the key
points and each answer are the HTML their topic page was given (``builder.render.answer_html``: made
inert, headings demoted, the handbook's corrections placed), converted once for both, with each
formula held out of the conversion. Here a formula goes in as ``\\( … \\)`` or ``\\[ … \\]``, which
Anki's MathJax renders; a formula KaTeX could not render for the site is readable text here as there.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Mapping

from builder.editorial import Editorial, shown_levels
from builder.model import Entry, SourceDoc, Topic
from builder.paths import site_url, topic_path
from builder.render.answer_html import Converted, answer_key
from builder.render.editorial import KEY_POINTS_LABEL
from builder.render.markdown import HeldMath
from builder.tabs import Answer, answer_tabs
from builder.tex import tex_to_text
from builder.typeset import Key, page_tex

FIELDS = ("Question", "Context", "KeyPoints", "Answers", "Link")
"""The note type's fields, in order: the front shows the first two, the back the rest."""

# A link a page's HTML makes to another page of the site (relative; a source's own links are absolute)
_SITE_LINK = re.compile(r'<a href="(?![a-z][a-z0-9+.-]*:)[^"]*">(.*?)</a>', re.S)


@dataclass(frozen=True)
class Note:
    """One entry's note, ready for a deck."""

    entry_id: str  # the stable id; the note's GUID is made from it
    fields: tuple[str, ...]  # in the order of ``FIELDS``
    tags: tuple[str, ...]


def anki_math(tex: str, display: bool, failed: Mapping[Key, str]) -> str:
    """One formula as a field shows it: ``\\(…\\)`` or ``\\[…\\]`` around the escaped TeX, or readable
    text when KaTeX rejected it for the site."""
    tex = page_tex(tex)
    if (tex, display) in failed:
        return html.escape(tex_to_text(tex), quote=False)
    opening, closing = (r"\[", r"\]") if display else (r"\(", r"\)")
    return f"{opening}{html.escape(tex, quote=False)}{closing}"


def anki_html(page_html: HeldMath, failed: Mapping[Key, str]) -> str:
    """A text as its topic page has it, its formulas in Anki's notation and its links to other pages of
    the site (the glossary's terms) as plain text."""
    return _SITE_LINK.sub(r"\1", page_html.fill(lambda span: anki_math(span.tex, span.display, failed)))


def _origin(answer: Answer, doc: SourceDoc) -> str:
    """The source named, and every question (or line) of it that gave the answer."""
    where = [f"question {item.number}" if item.number else f"line {item.line}" for item in answer.items]
    return f'<p class="hb-origin">From <cite>{html.escape(doc.title, quote=False)}</cite>, {" and ".join(where)}</p>'


def _link(entry: Entry, topic: Topic, base_url: str) -> str:
    """Where the entry is in the handbook: a link when the site's address is known (``site_url`` in
    mkdocs.yml), else the page and anchor named, so a reader can still find it."""
    where = f"{site_url(topic_path(topic))}#{entry.id}"
    title = html.escape(topic.title, quote=False)
    if base_url:
        href = html.escape(base_url.rstrip("/") + "/" + where)
        return f'<a href="{href}">Open this question in the handbook</a> ({title})'
    return f"In the handbook: {title}, <code>{html.escape(where)}</code>"


def entry_note(
    entry: Entry,
    topic: Topic,
    sources: Mapping[str, SourceDoc],
    notes: Editorial | None,
    converted: Converted,
    failed: Mapping[Key, str],
    base_url: str = "",
) -> Note:
    """The note of ``entry``, its texts as its topic page converted them: its answers (by
    ``answer_key``) in the order of the page's tabs, each source's one under another."""
    levels, estimated = shown_levels(entry, notes)
    level_text = "–".join(dict.fromkeys((levels[0].label, levels[-1].label))) if levels else "No level given"
    context = f"{html.escape(topic.title, quote=False)} · {level_text}{' (estimated)' if estimated else ''}"
    key_points = ""
    if notes and notes.key_points:
        key_points = (
            f'<div class="hb-keypoints"><p class="hb-label">{KEY_POINTS_LABEL} <span class="hb-ours">by the handbook</span></p>'
            f"{anki_html(converted.key_points[entry.id], failed)}</div>"
        )
    answers = "".join(
        f'<div class="hb-answer">{_origin(answer, sources[tab.source])}{anki_html(converted.answers[answer_key(entry, answer)], failed)}</div>'
        for tab in answer_tabs(entry)
        for answer in tab.answers
    )
    tags = ["llm-interview-handbook", f"topic::{topic.slug}"]
    tags += [f"level::{level.label.lower()}" for level in levels] or ["level::none"]
    if estimated:
        tags.append("level::estimated")
    return Note(
        entry_id=entry.id,
        fields=(anki_html(converted.questions[entry.id], failed), context, key_points, answers, _link(entry, topic, base_url)),
        tags=tuple(tags),
    )
