"""One page per topic: its entries grouped by level, each question a heading with a stable anchor,
its level, every source's answer (as tabs when several sources answer it) and where each came from."""

from __future__ import annotations

import html

from builder.fences import fenced_html
from builder.model import Entry, Item, Level, Page, Section
from builder.paths import url_href
from builder.render.answer_html import answer_key
from builder.render.markdown import inline, level_badges, levels_attr
from builder.render.editorial import answer_corrections, corrected_answer, key_points_html
from builder.render.related import related_block, see_also_block
from builder.tabs import Answer, Tab, answer_tabs, numbers_label
from builder.render.deck_links import topic_downloads_line
from builder.render.site import SiteIndex, levels_of, link_to_item_source, topic_path
from builder.render.terms import link_answer_terms

_GROUPS: tuple[tuple[Level | None, str], ...] = (
    (Level.BEGINNER, "Beginner"),
    (Level.INTERMEDIATE, "Intermediate"),
    (Level.ADVANCED, "Advanced"),
    (None, "No level given"),
)


def _answer_body(index: SiteIndex, page: str, entry: Entry, answer: Answer) -> str:
    """One distinct answer of a source as Markdown, with the handbook's corrections beside the
    phrases they correct and its terms linked."""
    corrections = answer_corrections(index.editorial.get(entry.id), answer)
    return corrected_answer(answer, corrections, lambda text: link_answer_terms(index, page, text))


def _origin(index: SiteIndex, page: str, answer: Answer) -> str:
    """Where an answer came from, as HTML: its source and every question (or line) that gave it."""
    first = answer.items[0]
    doc = index.sources[first.source]

    def link(item: Item, text: str) -> str:
        return f'<a href="{html.escape(url_href(page, link_to_item_source(index, page, item)))}">{text}</a>'

    title = link(first, html.escape(doc.title, quote=False))
    if len(answer.items) == 1:
        where = f"question {first.number}" if first.number else f"line {first.line}"
    else:
        refs = [link(item, item.number or f"line {item.line}") for item in answer.items]
        where = f"questions {', '.join(refs[:-1])} and {refs[-1]}, word for word"
    rendition = " (the cleaner of its two renditions)" if len(answer.items) == 1 and first.rendition else ""
    return f'<p class="hb-origin">From {title}, {where}{rendition}.</p>'


def _tab_html(index: SiteIndex, page: str, entry: Entry, tab: Tab) -> str:
    """A source's answers one under another, fullest first, each followed by where it came from, as HTML."""
    out: list[str] = []
    for n, answer in enumerate(tab.answers):
        if n:
            out.append("<hr />")
        out += [index.answer_html.answer(answer_key(entry, answer), page, _answer_body(index, page, entry, answer)), _origin(index, page, answer)]
    return "\n".join(out)


def _tabs_html(index: SiteIndex, page: str, entry: Entry, tabs: list[Tab], tab_set: int) -> str:
    """Several sources' answers as content tabs, the markup pymdownx.tabbed writes (alternate style),
    which Material's stylesheet and script drive; ``tab_set`` numbers them on their page."""
    labels = []
    for tab in tabs:
        numbers = numbers_label(tab.items)
        labels.append(html.escape(index.sources[tab.source].label + (f" · {numbers}" if numbers else ""), quote=False))
    ids = [f"__tabbed_{tab_set}_{n}" for n in range(1, len(tabs) + 1)]
    checked = ['checked="checked" '] + [""] * (len(ids) - 1)  # the first tab is open
    inputs = "".join(f'<input {c}id="{tab_id}" name="__tabbed_{tab_set}" type="radio" />' for c, tab_id in zip(checked, ids))
    label_row = "".join(f'<label for="{tab_id}">{label}</label>' for tab_id, label in zip(ids, labels))
    blocks = [f'<div class="tabbed-block">\n{_tab_html(index, page, entry, tab)}\n</div>' for tab in tabs]
    return "\n".join(
        [f'<div class="tabbed-set tabbed-alternate" data-tabs="{tab_set}:{len(tabs)}">{inputs}<div class="tabbed-labels">{label_row}</div>',
         '<div class="tabbed-content">', *blocks, "</div>", "</div>"]
    )


def render_entry(index: SiteIndex, page: str, entry: Entry, tab_set: int) -> str:
    """An entry: its question, a heading MkDocs reads (for the page's contents and permalink), then the
    rest as HTML the builder writes, which MkDocs passes through unread (``builder.fences``).
    ``tab_set`` is the number its answers' tabs take on the page, if it has several sources."""
    levels, estimated = levels_of(index, entry)
    notes = index.editorial.get(entry.id)
    body: list[str] = []
    # its other ids (merged entries, other wordings), then its level, in one paragraph
    first = [f'<a id="{anchor}"></a>' for anchor in entry.anchors] + [badge for badge in [level_badges(levels, estimated)] if badge]
    if first:
        body.append("<p>" + "\n".join(first) + "</p>")
    if entry.variants:
        body.append(index.answer_html.convert(page, "*Also asked as:* " + " · ".join(f"“{inline(v)}”" for v in entry.variants)))
    # "I know this" / "Review again", filled by assets/progress.js; empty without JavaScript.
    body.append(f'<div class="hb-mark-slot" data-hb-mark="{entry.id}"></div>')
    # Key points and answers sit in one block so practice mode can hide them behind a reveal.
    body.append('<div class="hb-answer">')
    key_points = key_points_html(notes.key_points if notes else (), lambda text: index.answer_html.key_points(entry.id, text))
    if key_points:
        body.append(key_points)
    tabs = answer_tabs(entry)
    body.append(_tab_html(index, page, entry, tabs[0]) if len(tabs) == 1 else _tabs_html(index, page, entry, tabs, tab_set))
    body.append("</div>")
    out = [f'<div class="hb-entry" data-levels="{levels_attr(levels)}" markdown>', "", f"### {inline(entry.question)} {{ #{entry.id} }}", ""]
    out += fenced_html("\n".join(body))
    out += related_block(index, page, entry)
    out += ["</div>", ""]
    return "\n".join(out)


def _by_first_level(index: SiteIndex, entries: tuple[Entry, ...]) -> dict[Level | None, list[Entry]]:
    """The entries of each group of ``_GROUPS``, by their easiest level (given or estimated), in their order."""
    groups: dict[Level | None, list[Entry]] = {level: [] for level, _ in _GROUPS}
    for entry in entries:
        levels, _ = levels_of(index, entry)
        groups[levels[0] if levels else None].append(entry)
    return groups


def _page_groups(section: Section, by_level: dict[Level | None, list[Entry]]) -> list[tuple[str, str, tuple[Entry, ...]]]:
    """The groups the page shows, each an h2 with its own line in the contents, as (title, id,
    entries): the topic's sub-sections where it has them, else its levels."""
    if section.parts:
        return [(part.subtopic.title, part.subtopic.slug, part.entries) for part in section.parts]
    return [(label, f"level-{label.lower().replace(' ', '-')}", tuple(by_level[level])) for level, label in _GROUPS if by_level[level]]


def render_topic(index: SiteIndex, section: Section) -> Page:
    page = topic_path(section.topic)
    topic = section.topic
    by_level = _by_first_level(index, section.entries)
    summary = ", ".join(f"{len(by_level[level])} {label.lower()}" for level, label in _GROUPS if by_level[level])
    out = [
        f"# {topic.title}",
        "",
        topic.summary,
        "",
        f'<p class="hb-topic-meta">{len(section.entries)} questions: {summary}.</p>',
        "",
        topic_downloads_line(section),
        "",
        # Filled by assets/study.js; a slot written here (its height reserved by CSS when scripts run)
        # keeps the toolbar from pushing the entries down after the first paint (layout shift).
        '<div class="hb-tools-slot" data-hb-tools data-topic></div>',
        "",
    ]
    # Every group heading is .hb-group: the level filter hides one left empty (assets/study.js), and
    # the print edition gives its id the topic as prefix (builder/printing/edition.py).
    tab_sets = 0  # numbered through the page, as pymdownx.tabbed numbers them
    for title, anchor, entries in _page_groups(section, by_level):
        out += [f"## {inline(title)} {{ #{anchor} .hb-group }}", ""]
        for entry in entries:
            if len(answer_tabs(entry)) > 1:
                tab_sets += 1
            out.append(render_entry(index, page, entry, tab_sets))
    out += see_also_block(index, page, topic)
    return Page(page, "\n".join(out).rstrip() + "\n", {"title": topic.title, "description": topic.summary})
