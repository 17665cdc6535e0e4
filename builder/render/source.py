"""Provenance: one page per source document (what it is, its counts, a link to every question it
gave) and, where the source has reference material beside its questions, a page keeping that."""

from __future__ import annotations

from collections import Counter

from builder.fences import fenced_html
from builder.model import Item, Page, Parsed
from builder.render.markdown import demote_headings, escape_html_in_prose, inline, item_anchor
from builder.render.site import SiteIndex, question_link, reference_path, relative, source_path


def render_source(index: SiteIndex, parsed: Parsed) -> Page:
    doc = parsed.source
    page = source_path(doc)
    levels = Counter(i.level.label for i in parsed.items if i.level)
    level_note = ", ".join(f"{levels[k]} {k.lower()}" for k in ("Beginner", "Intermediate", "Advanced") if levels[k]) or "the source gives no levels"
    out = [f"# {inline(doc.title)}", ""]
    if doc.description:
        out += [doc.description, ""]
    out += [
        '<div class="hb-facts" markdown>',
        "",
        f"- **File:** `sources/{doc.name}` ({doc.encoding})",
        f"- **Questions:** {len(parsed.items)} ({level_note})",
        f"- **Conventions recognised:** {', '.join(sorted({i.convention for i in parsed.items})) or 'none'}",
        f"- **Fragments not shown as questions:** {len(parsed.excluded)} (listed on the [coverage page]({relative(page, 'coverage.md', doc.slug)}))",
    ]
    if parsed.supplements:
        out.append(f"- **Reference material:** [{inline(doc.title)}: reference]({relative(page, reference_path(doc))})")
    out += ["", "</div>", ""]
    if parsed.preamble:
        out += ["## The source's own introduction", "", _quote(parsed.preamble), ""]
    out += ["## Questions", ""]
    # Each run of questions between the source's section headings is a list of links in HTML, which
    # MkDocs stores unread (``builder.fences``): the headings stay Markdown, for the page's contents.
    runs: list[tuple[str | None, list[str]]] = [(None, [])]
    for item in parsed.items:
        if item.section != runs[-1][0] and item.section:
            runs.append((item.section, []))
        runs[-1][1].append(_question_line(index, page, item))
    for heading, lines in runs:
        if heading is not None:
            out += [f"### {inline(heading)}", ""]
        if lines:
            out += fenced_html("\n".join(["<ul>", *lines, "</ul>"]))
    return Page(page, "\n".join(out).rstrip() + "\n", {"title": doc.title})


def _question_line(index: SiteIndex, page: str, item: Item) -> str:
    """A source's question as a list item: its anchor on the page, its number, the question as the
    source asked it linked to its entry, and its level."""
    link = question_link(index, page, index.entry_of_item[item.key], index.answer_html.link_text(inline(item.question)))
    label = f"{item.number}. " if item.number else ""
    level = f" <small>{item.level.label}</small>" if item.level else ""
    return f'<li><a id="{item_anchor(item)}"></a>{label}{link}{level}</li>'


def _quote(markdown: str) -> str:
    body = demote_headings(escape_html_in_prose(markdown))
    return "\n".join(f"> {line}" if line.strip() else ">" for line in body.split("\n"))


def render_reference(parsed: Parsed) -> Page | None:
    if not parsed.supplements:
        return None
    doc = parsed.source
    top = min(s.depth for s in parsed.supplements)
    out = [
        f"# {inline(doc.title)}: reference",
        "",
        f"Reference material that [{inline(doc.title)}]({relative(reference_path(doc), source_path(doc))}) keeps beside its questions, as the source gives it.",
        "",
    ]
    for sup in parsed.supplements:
        level = min(6, 2 + sup.depth - top)
        out += [f"{'#' * level} {inline(sup.title)}", ""]
        if sup.markdown.strip():
            out += [escape_html_in_prose(sup.markdown), ""]
    return Page(reference_path(doc), "\n".join(out).rstrip() + "\n", {"title": f"{doc.title}: reference"})


def render_sources_index(index: SiteIndex) -> Page:
    page = "sources/index.md"
    out = ["# Sources", "", "Every question in this handbook comes from one of these documents. Each page lists what the document gave and where it went.", ""]
    out += ["| Source | Questions | Description |", "| --- | ---: | --- |"]
    for parsed in index.parsed:
        doc = parsed.source
        out.append(f"| [{inline(doc.title)}]({relative(page, source_path(doc))}) | {len(parsed.items)} | {inline(doc.description)} |")
    return Page(page, "\n".join(out) + "\n", {"title": "Sources"})
