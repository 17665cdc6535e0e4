"""The coverage page: counts per source and per topic, and every excluded fragment with file and line.

Written in Markdown, then converted here between its headings (``html_between_headings``), so MkDocs
reads only its headings, not its 400 table rows."""

from __future__ import annotations

import html
from collections import defaultdict
from builder.coverage import ConnectionsCoverage, Coverage, EditorialCoverage, MathCoverage
from builder.model import Excluded, Page
from builder.render.answer_html import html_between_headings
from builder.render.markdown import inline
from builder.render.site import SiteIndex, relative, source_path, topic_path
from builder.tex import math_as_text

_EXCERPT = 160


def _excerpt(text: str) -> str:
    flat = " ".join(text.split())
    if "$" in flat or "\\" in flat:  # math_as_text changes only math spans and TeX commands
        flat = math_as_text(flat)
    flat = flat if len(flat) <= _EXCERPT else flat[: _EXCERPT - 1] + "…"
    return inline(flat).replace("|", "\\|").replace("`", "'").replace("*", "\\*").replace("_", "\\_") or "(blank)"


def _math_section(math: MathCoverage | None) -> list[str]:
    """Formulas per source: rendered by KaTeX, repaired, converted from plain text, copy fragments and
    duplicates removed, and left as text (each of those is also a warning below)."""
    if not math:
        return []
    out = [
        "", "## Math { #math }", "",
        "| Source | Rendered | Repaired | Converted from plain text | Fragments removed | Duplicates collapsed | Left as text |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in (*math.sources, math.totals):
        name = row.file if row is math.totals else f"`{row.file}`"
        out.append(
            f"| {name} | {row.rendered} | {row.repaired} | {row.converted} | {row.fragments_removed} "
            f"| {row.duplicates_collapsed} | {row.left_as_text} |"
        )
    return out


def _editorial_section(editorial: EditorialCoverage | None, entries: int) -> list[str]:
    """The handbook's own words in counts: key points, corrections per source, levels."""
    if editorial is None:
        return []
    e = editorial
    share = f"{100 * e.estimates_agreeing / e.estimates_checked:.0f}%" if e.estimates_checked else "n/a"
    out = [
        "", "## The handbook's own words { #editorial }", "",
        "Key points, corrections and estimated levels are written by the handbook's editors "
        "(`builder/data/editorial/`), never taken from a source, and are marked as the handbook's on every page.",
        "",
        f"- **Key points:** {e.entries_with_key_points} of {entries} entries, {e.key_points} in all.",
        f"- **Levels:** {e.levels_given} entries have a level from a source, {e.levels_estimated} an estimate by the handbook"
        + (f", {e.levels_unknown} none." if e.levels_unknown else "."),
        f"- **Estimates checked:** the editors also estimated the {e.estimates_checked} entries a source gives a level, "
        f"without seeing it; their estimate is one of the source's levels for {e.estimates_agreeing} ({share}).",
        "",
        "| Source | Corrections |",
        "| --- | ---: |",
    ]
    docs = {p: n for p, n in e.corrections.items()}
    out += [f"| `{name}` | {n} |" for name, n in docs.items()]
    out.append(f"| **total** | {sum(docs.values())} |")
    return out


def _connections_section(c: ConnectionsCoverage | None, entries: int) -> list[str]:
    """Answer tabs and related questions in counts."""
    if c is None:
        return []
    return [
        "", "## Tabs and related questions { #connections }", "",
        f"- **Answer tabs:** {c.entries_with_tabs} entries are answered by more than one source, "
        f"{c.tabs} tabs in all (one per source, at most {c.most_tabs} on one entry); {c.repeated_answers} answers "
        "a source gave again for the same question are shown in that source's tab.",
        f"- **Related questions:** {c.related_links} links; {c.entries_with_related} of {entries} entries have some "
        f"(a question that shares no specific concept with another has none); no entry is in more than {c.most_incoming} lists.",
    ]


def render_coverage(index: SiteIndex, coverage: Coverage) -> Page:
    page = "coverage.md"
    t = coverage.totals
    out = [
        "# Coverage",
        "",
        f"**{t.questions} questions** from **{t.sources} sources** became **{t.entries} entries** "
        f"({t.merged_groups} of them merge the same question from several places). "
        f"{t.excluded_fragments} fragments of the sources are not shown as questions; each is listed below with its file, line and reason. "
        "The same report is available as [coverage.json](coverage.json).",
        "",
        "## Per source",
        "",
        "| Source | Questions | Levels | Renditions collapsed | Excluded fragments |",
        "| --- | ---: | --- | ---: | ---: |",
    ]
    docs = {p.source.name: p.source for p in index.parsed}
    for s in coverage.sources:
        levels = ", ".join(f"{k} {v}" for k, v in s.levels.items())
        out.append(
            f"| [{inline(s.title)}]({relative(page, source_path(docs[s.file]))}) | {s.questions} | {levels} | {s.renditions_collapsed} | {sum(s.excluded.values())} |"
        )
    out += ["", "## Per topic", "", "| Topic | Entries | Questions |", "| --- | ---: | ---: |"]
    topics = {sec.topic.slug: sec.topic for sec in index.sections}
    for tp in coverage.topics:
        out.append(f"| [{inline(tp.title)}]({relative(page, topic_path(topics[tp.slug]))}) | {tp.entries} | {tp.questions} |")
    out += _math_section(coverage.math)
    out += _editorial_section(coverage.editorial, t.entries)
    out += _connections_section(coverage.connections, t.entries)
    if coverage.problems:
        out += ["", "## Problems found in the sources", "", "| File | Line | Severity | Message |", "| --- | ---: | --- | --- |"]
        for pr in coverage.problems:
            out.append(f"| `{pr.file}` | {pr.line} | {pr.severity} | {_excerpt(pr.message)} |")
    out += ["", "## Excluded fragments", ""]
    by_source: dict[str, list[Excluded]] = defaultdict(list)
    for e in coverage.excluded:
        by_source[e.file].append(e)
    for parsed in index.parsed:
        doc = parsed.source
        rows = by_source.get(doc.name, [])
        out += [f"### {inline(doc.title)} {{ #{doc.slug} }}", ""]
        if not rows:
            out += ["Nothing excluded.", ""]
            continue
        reasons: dict[str, list[Excluded]] = defaultdict(list)
        for row in rows:
            reasons[row.reason].append(row)
        for reason, group in reasons.items():
            # a collapsed admonition as pymdownx.details writes one; CommonMark reads the table inside it
            # (the summary is in an HTML block, where Markdown's escapes would show, so it is escaped as HTML)
            out += ['<details class="note">', f"<summary>{html.escape(reason, quote=False)}: {len(group)}</summary>", ""]
            out += ["| Line | Fragment |", "| ---: | --- |"]
            for row in group:
                detail = f" *({inline(row.detail)})*" if row.detail else ""
                out.append(f"| {row.line} | {_excerpt(row.text)}{detail} |")
            out += ["", "</details>", ""]
    return Page(page, html_between_headings("\n".join(out), page), {"title": "Coverage"})
