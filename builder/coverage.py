"""The coverage report: what each source gave, where it went, and everything that was not placed.

Computed from the other stages' outputs only; written as ``docs/coverage.json``, rendered as the
coverage page and printed as the one-screen build summary.
"""

from __future__ import annotations

from collections import Counter
from typing import Any, Sequence

from builder.model import Entry, Parsed, Problem, Section


def compute_coverage(
    parsed: Sequence[Parsed], entries: Sequence[Entry], sections: Sequence[Section], problems: Sequence[Problem]
) -> dict[str, Any]:
    sources = []
    for p in parsed:
        sources.append(
            {
                "file": p.source.name,
                "title": p.source.title,
                "encoding": p.source.encoding,
                "questions": len(p.items),
                "levels": dict(sorted(Counter(i.level.label if i.level else "no level given" for i in p.items).items())),
                "conventions": sorted({i.convention for i in p.items}),
                "renditions_collapsed": sum(len(i.other_renditions) for i in p.items),
                "supplements": [s.title for s in p.supplements],
                "excluded": dict(sorted(Counter(e.reason for e in p.excluded).items())),
            }
        )
    excluded = [
        {"file": e.file, "line": e.line, "reason": e.reason, "detail": e.detail, "text": e.text}
        for p in parsed
        for e in p.excluded
    ]
    return {
        "totals": {
            "sources": len(parsed),
            "questions": sum(len(p.items) for p in parsed),
            "entries": len(entries),
            "merged_groups": sum(1 for e in entries if len(e.items) > 1),
            "excluded_fragments": len(excluded),
            "errors": sum(1 for pr in problems if pr.severity == "error"),
            "warnings": sum(1 for pr in problems if pr.severity == "warning"),
        },
        "sources": sources,
        "topics": [
            {"slug": s.topic.slug, "title": s.topic.title, "entries": len(s.entries), "questions": sum(len(e.items) for e in s.entries)}
            for s in sections
        ],
        "excluded": excluded,
        "problems": [{"file": pr.file, "line": pr.line, "severity": pr.severity, "message": pr.message} for pr in problems],
    }


def summary_text(coverage: dict[str, Any]) -> str:
    """The one-screen summary the builder prints after a build."""
    t = coverage["totals"]
    lines = [
        f"{t['questions']} questions from {t['sources']} sources → {t['entries']} entries "
        f"({t['merged_groups']} merged), {t['excluded_fragments']} fragments excluded, "
        f"{t['errors']} errors, {t['warnings']} warnings",
        "",
        "per source:",
    ]
    for s in coverage["sources"]:
        excluded = sum(s["excluded"].values())
        lines.append(f"  {s['questions']:>5}  {s['file']}  (excluded {excluded}, renditions collapsed {s['renditions_collapsed']})")
    if m := coverage.get("math", {}).get("totals"):
        lines += [
            "",
            f"math: {m['rendered']} formulas rendered, {m['repaired']} repaired, {m['converted']} converted from plain text, "
            f"{m['fragments_removed']} copy fragments and {m['duplicates_collapsed']} duplicates removed, {m['left_as_text']} left as text",
        ]
    lines += ["", "per topic:"]
    lines += [f"  {tp['entries']:>5}  {tp['title']}" for tp in coverage["topics"]]
    reasons = Counter()
    for e in coverage["excluded"]:
        reasons[e["reason"]] += 1
    if reasons:
        lines += ["", "excluded:"]
        lines += [f"  {n:>5}  {reason}" for reason, n in sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0]))]
    return "\n".join(lines)
