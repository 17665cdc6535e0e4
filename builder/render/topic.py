"""One page per topic: its entries grouped by level, each question a heading with a stable anchor,
its level, every source's answer (as tabs when several sources answer it) and where each came from."""

from __future__ import annotations


from builder.model import Entry, Item, Level, Page, Section
from builder.render.markdown import (
    demote_headings,
    levels_attr,
    escape_html_in_prose,
    indent,
    inline,
    level_badges,
)
from builder.render.editorial import fill_corrections, key_points_block, mark_corrections
from builder.render.related import related_block, see_also_block
from builder.render.pdf_links import topic_pdf_line
from builder.render.site import SiteIndex, levels_of, link_to_item_source, relative, topic_path
from builder.render.terms import link_answer_terms
from builder.search import search_terms_block

_GROUPS: tuple[tuple[Level | None, str], ...] = (
    (Level.BEGINNER, "Beginner"),
    (Level.INTERMEDIATE, "Intermediate"),
    (Level.ADVANCED, "Advanced"),
    (None, "No level given"),
)


def _answer_body(index: SiteIndex, page: str, entry: Entry, item: Item, by: int = 0) -> str:
    """One source's answer as Markdown, indented ``by`` spaces (a tab's content), with the handbook's
    corrections beside the phrases they correct."""
    notes = index.editorial.get(entry.id)
    corrections = [c for c in notes.corrections if c.item is item] if notes else []
    text = mark_corrections(item.answer, corrections) if corrections else item.answer
    # The source's text is made inert first; only then are the handbook's own links and notes added.
    linked = link_answer_terms(index, page, escape_html_in_prose(text))
    body = demote_headings(linked) or "*The source gives no answer to this question.*"
    if corrections:
        body = fill_corrections(body, corrections)
    return indent(body, by) if by else body


def _origin(index: SiteIndex, page: str, entry: Entry, i: int) -> str:
    item = entry.items[i]
    doc = index.sources[item.source]
    number = f"question {item.number}" if item.number else f"line {item.line}"
    rendition = " (the cleaner of its two renditions)" if item.rendition else ""
    return f"From [{inline(doc.title)}]({link_to_item_source(index, page, item)}), {number}{rendition}.\n{{: .hb-origin data-search-exclude }}"


def tab_order(entry: Entry) -> list[int]:
    """Answer tabs: sources in the order the items come (``sources.yml``), inside one source by
    question number (the chat export's kept renditions are not in number order), then line."""
    first: dict[str, int] = {}
    for item in entry.items:
        first.setdefault(item.source, len(first))

    def key(i: int) -> tuple[int, int, int, int]:
        item = entry.items[i]
        number = item.number
        digits = number if number.isdigit() else "".join(ch for ch in number if ch.isdigit())
        return first[item.source], (int(digits) if digits else 1 << 30), item.line, i

    return sorted(range(len(entry.items)), key=key)


def render_entry(index: SiteIndex, page: str, entry: Entry) -> str:
    levels, estimated = levels_of(index, entry)
    variants = entry.variants
    notes = index.editorial.get(entry.id)
    out = [
        f'<div class="hb-entry" data-levels="{levels_attr(levels)}" markdown>',
        "",
        f"### {inline(entry.question)} {{ #{entry.id} }}",
        "",
    ]
    out += [f'<a id="{anchor}"></a>' for anchor in entry.anchors]
    badge = level_badges(levels, estimated)
    if badge:
        out += [badge, ""]
    if variants:
        out += ["*Also asked as:* " + " · ".join(f"“{inline(v)}”" for v in variants), ""]
    # Key points and answers sit in one block so practice mode can hide them behind a reveal.
    out += ['<div class="hb-answer" markdown>', ""]
    out += key_points_block(notes.key_points if notes else ())
    if len(entry.items) == 1:
        out += [_answer_body(index, page, entry, entry.items[0]), "", _origin(index, page, entry, 0), ""]
    else:
        for i in tab_order(entry):
            item = entry.items[i]
            number = f" · Q{item.number}" if item.number else ""
            label = inline(f"{index.sources[item.source].label}{number}").replace('"', "'")
            out += [f'=== "{label}"', "", _answer_body(index, page, entry, item, 4), "", indent(_origin(index, page, entry, i)), ""]
    out += ["</div>", ""]
    out += related_block(index, page, entry)
    out += [search_terms_block(entry, index.vocabulary), "", "</div>", ""]
    return "\n".join(out)


def _by_first_level(index: SiteIndex, entries: tuple[Entry, ...]) -> dict[Level | None, list[Entry]]:
    """The entries of each group of ``_GROUPS``, by their easiest level (given or estimated), in their order."""
    groups: dict[Level | None, list[Entry]] = {level: [] for level, _ in _GROUPS}
    for entry in entries:
        levels, _ = levels_of(index, entry)
        groups[levels[0] if levels else None].append(entry)
    return groups


def render_topic(index: SiteIndex, section: Section) -> Page:
    page = topic_path(section.topic)
    topic = section.topic
    groups = _by_first_level(index, section.entries)
    summary = ", ".join(f"{len(groups[level])} {label.lower()}" for level, label in _GROUPS if groups[level])
    out = [
        f"# {topic.title}",
        "",
        topic.summary,
        "{: data-search-exclude }",
        "",
        f'<p class="hb-topic-meta" data-search-exclude>{len(section.entries)} questions: {summary}.</p>',
        "",
        topic_pdf_line(section),
        "",
        # Filled by assets/study.js; a slot written here (its height reserved by CSS when scripts run)
        # keeps the toolbar from pushing the entries down after the first paint (layout shift).
        '<div class="hb-tools-slot" data-hb-tools data-topic></div>',
        "",
    ]
    for level, label in _GROUPS:
        group = groups[level]
        if not group:
            continue
        out += [f"## {label} {{ #level-{label.lower().replace(' ', '-')} data-search-exclude }}", ""]
        out += [render_entry(index, page, e) for e in group]
    out += see_also_block(index, page, topic)
    return Page(page, "\n".join(out).rstrip() + "\n", {"title": topic.title, "description": topic.summary})
