"""The coverage report: what each source gave, where it went, and everything that was not placed.

Computed once from the other stages' outputs (nothing adds to it later); written as
``docs/coverage.json`` (``Coverage.as_json``), rendered as the coverage page and printed as the
one-screen build summary.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, fields
from typing import Any, Mapping, Sequence

from builder.editorial import Editorial, level_agreement, shown_levels
from builder.model import Entry, Excluded, Parsed, Problem, Section
from builder.tabs import answer_tabs
from builder.typeset import Typeset


@dataclass(frozen=True)
class Totals:
    sources: int
    questions: int
    entries: int
    merged_groups: int  # entries that hold more than one question
    excluded_fragments: int
    errors: int
    warnings: int


@dataclass(frozen=True)
class SourceCoverage:
    file: str
    title: str
    encoding: str
    questions: int
    levels: Mapping[str, int]  # level label (or "no level given") → questions
    conventions: tuple[str, ...]
    renditions_collapsed: int
    supplements: tuple[str, ...]  # titles of the reference sections kept beside the questions
    excluded: Mapping[str, int]  # reason → fragments


@dataclass(frozen=True)
class TopicCoverage:
    slug: str
    title: str
    entries: int
    questions: int


@dataclass(frozen=True)
class MathCounts:
    """Formulas of one source (or of all, ``file`` "**total**"), by what happened to them."""

    file: str
    rendered: int
    display: int
    inline: int
    repaired: int
    converted: int
    fragments_removed: int
    duplicates_collapsed: int
    left_as_text: int


@dataclass(frozen=True)
class MathCoverage:
    sources: tuple[MathCounts, ...]
    totals: MathCounts
    failed: tuple[str, ...]  # TeX that KaTeX rejected


@dataclass(frozen=True)
class EditorialCoverage:
    """What the handbook adds of its own (``builder/data/editorial/``)."""

    entries_with_key_points: int
    key_points: int
    corrections: Mapping[str, int]  # source file → corrections shown beside its answers
    levels_given: int  # entries some source gives a level
    levels_estimated: int  # entries whose level is the handbook's estimate
    levels_unknown: int
    estimates_checked: int  # entries with a source's level that the editors also estimated
    estimates_agreeing: int  # … where the estimate is one of the sources' levels


@dataclass(frozen=True)
class ConnectionsCoverage:
    """How the entries are laid out and linked: answer tabs and related questions."""

    tabs: int  # answer tabs over all entries (one per source that answers an entry)
    entries_with_tabs: int  # entries answered by more than one source
    most_tabs: int
    repeated_answers: int  # answers a source gave more than once for one entry, shown in its one tab
    related_links: int
    entries_with_related: int
    most_incoming: int  # the most related lists one entry is in


@dataclass(frozen=True)
class Coverage:
    totals: Totals
    sources: tuple[SourceCoverage, ...]
    topics: tuple[TopicCoverage, ...]
    excluded: tuple[Excluded, ...]
    problems: tuple[Problem, ...]
    math: MathCoverage | None = None
    editorial: EditorialCoverage | None = None
    connections: ConnectionsCoverage | None = None

    def as_json(self) -> dict[str, Any]:
        """The report as ``coverage.json`` gives it."""
        out: dict[str, Any] = {
            "totals": vars(self.totals),
            "sources": [
                {**vars(s), "levels": dict(s.levels), "conventions": list(s.conventions),
                 "supplements": list(s.supplements), "excluded": dict(s.excluded)}
                for s in self.sources
            ],
            "topics": [vars(t) for t in self.topics],
            "excluded": [{"file": e.file, "line": e.line, "reason": e.reason, "detail": e.detail, "text": e.text} for e in self.excluded],
            "problems": [{"file": p.file, "line": p.line, "severity": p.severity, "message": p.message} for p in self.problems],
        }
        if self.math is not None:
            totals = {k: v for k, v in vars(self.math.totals).items() if k != "file"}
            out["math"] = {"totals": totals, "sources": [vars(m) for m in self.math.sources], "failed": list(self.math.failed)}
        if self.editorial is not None:
            out["editorial"] = {**vars(self.editorial), "corrections": dict(self.editorial.corrections)}
        if self.connections is not None:
            out["connections"] = vars(self.connections)
        return out


def compute_coverage(
    parsed: Sequence[Parsed],
    entries: Sequence[Entry],
    sections: Sequence[Section],
    problems: Sequence[Problem],
    math: MathCoverage | None = None,
    editorial: EditorialCoverage | None = None,
    connections: ConnectionsCoverage | None = None,
) -> Coverage:
    sources = tuple(
        SourceCoverage(
            file=p.source.name,
            title=p.source.title,
            encoding=p.source.encoding,
            questions=len(p.items),
            levels=dict(sorted(Counter(i.level.label if i.level else "no level given" for i in p.items).items())),
            conventions=tuple(sorted({i.convention for i in p.items})),
            renditions_collapsed=sum(len(i.other_renditions) for i in p.items),
            supplements=tuple(s.title for s in p.supplements),
            excluded=dict(sorted(Counter(e.reason for e in p.excluded).items())),
        )
        for p in parsed
    )
    excluded = tuple(e for p in parsed for e in p.excluded)
    totals = Totals(
        sources=len(parsed),
        questions=sum(len(p.items) for p in parsed),
        entries=len(entries),
        merged_groups=sum(1 for e in entries if len(e.items) > 1),
        excluded_fragments=len(excluded),
        errors=sum(1 for pr in problems if pr.severity == "error"),
        warnings=sum(1 for pr in problems if pr.severity == "warning"),
    )
    topics = tuple(
        TopicCoverage(s.topic.slug, s.topic.title, len(s.entries), sum(len(e.items) for e in s.entries)) for s in sections
    )
    return Coverage(totals, sources, topics, excluded, tuple(problems), math, editorial, connections)


def summary_text(coverage: Coverage) -> str:
    """The one-screen summary the builder prints after a build."""
    t = coverage.totals
    lines = [
        f"{t.questions} questions from {t.sources} sources → {t.entries} entries "
        f"({t.merged_groups} merged), {t.excluded_fragments} fragments excluded, "
        f"{t.errors} errors, {t.warnings} warnings",
        "",
        "per source:",
    ]
    for s in coverage.sources:
        lines.append(f"  {s.questions:>5}  {s.file}  (excluded {sum(s.excluded.values())}, renditions collapsed {s.renditions_collapsed})")
    if coverage.math is not None:
        m = coverage.math.totals
        lines += [
            "",
            f"math: {m.rendered} formulas rendered, {m.repaired} repaired, {m.converted} converted from plain text, "
            f"{m.fragments_removed} copy fragments and {m.duplicates_collapsed} duplicates removed, {m.left_as_text} left as text",
        ]
    if (e := coverage.editorial) is not None:
        lines += [
            "",
            f"editorial: key points for {e.entries_with_key_points} of {t.entries} entries ({e.key_points} in all), "
            f"{sum(e.corrections.values())} corrections; levels given by a source {e.levels_given}, "
            f"estimated {e.levels_estimated}, unknown {e.levels_unknown}; estimates agree with the sources "
            f"for {e.estimates_agreeing} of {e.estimates_checked}",
        ]
    lines += ["", "per topic:"]
    lines += [f"  {tp.entries:>5}  {tp.title}" for tp in coverage.topics]
    reasons = Counter(e.reason for e in coverage.excluded)
    if reasons:
        lines += ["", "excluded:"]
        lines += [f"  {n:>5}  {reason}" for reason, n in sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0]))]
    return "\n".join(lines)


def math_coverage(parsed: Sequence[Parsed], result: Typeset) -> MathCoverage:
    """The math section: per source and in total, formulas rendered, repaired, converted from plain
    text, left as text, and copy fragments and duplicates removed."""
    rows = []
    for p in parsed:
        shown = result.per_source.get(p.source.name, {})
        repairs = p.math_repairs
        rows.append(
            MathCounts(
                file=p.source.name,
                rendered=shown.get("display", 0) + shown.get("inline", 0),
                display=shown.get("display", 0),
                inline=shown.get("inline", 0),
                repaired=repairs.get("repaired", 0),
                converted=repairs.get("converted", 0),
                fragments_removed=repairs.get("fragments removed", 0),
                duplicates_collapsed=repairs.get("duplicates collapsed", 0),
                left_as_text=repairs.get("left as text", 0) + shown.get("left as text", 0),
            )
        )
    counts = [f.name for f in fields(MathCounts) if f.name != "file"]
    totals = MathCounts("**total**", *(sum(getattr(r, name) for r in rows) for name in counts))
    return MathCoverage(tuple(rows), totals, tuple(sorted(tex for tex, _ in result.failed)))


def editorial_coverage(entries: Sequence[Entry], editorial: Mapping[str, Editorial]) -> EditorialCoverage:
    """The editorial layer in counts: key points, corrections per source, levels given and estimated,
    and how often the editors' estimate agrees with a source's level where both exist."""
    corrections: Counter[str] = Counter()
    given = estimated = 0
    for entry in entries:
        notes = editorial.get(entry.id)
        if notes is not None:
            corrections.update(c.item.source for c in notes.corrections)
        levels, is_estimate = shown_levels(entry, notes)
        given += bool(levels) and not is_estimate
        estimated += is_estimate
    agreement = level_agreement(entries, editorial)
    with_points = [n for n in editorial.values() if n.key_points]
    return EditorialCoverage(
        entries_with_key_points=len(with_points),
        key_points=sum(len(n.key_points) for n in with_points),
        corrections=dict(sorted(corrections.items())),
        levels_given=given,
        levels_estimated=estimated,
        levels_unknown=len(entries) - given - estimated,
        estimates_checked=agreement["checked"],
        estimates_agreeing=agreement["agree"],
    )


def connections_coverage(entries: Sequence[Entry], related: Mapping[str, Sequence[str]]) -> ConnectionsCoverage:
    """Tabs and related questions in counts."""
    tabs = [answer_tabs(e) for e in entries]
    incoming = Counter(j for row in related.values() for j in row)
    return ConnectionsCoverage(
        tabs=sum(len(t) for t in tabs if len(t) > 1),
        entries_with_tabs=sum(1 for t in tabs if len(t) > 1),
        most_tabs=max((len(t) for t in tabs), default=0),
        repeated_answers=sum(len(tab.items) - 1 for t in tabs for tab in t),
        related_links=sum(len(row) for row in related.values()),
        entries_with_related=sum(1 for row in related.values() if row),
        most_incoming=max(incoming.values(), default=0),
    )
