"""The pipeline: read → parse → repair → merge → classify → link → render → write, and nothing else.

Each stage is a function of the previous stage's data. A document that trips a stage is reported as
``file:line: error: …`` and the build goes on with the others; the CLI exits non-zero on any error.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from builder.classify import classify
from builder.coverage import compute_coverage
from builder.link import link, read_glossary
from builder.hazards import scan_hazards
from builder.limits import limit_sizes
from builder.merge import merge
from builder.model import Entry, Item, Page, Parsed, Problem, Section
from builder.navigation import nav_block, update_config
from builder.parse import parse_source
from builder.read import read_sources
from builder.render import render_site
from builder.repair import repair_parsed
from builder.typeset import apply_math, math_coverage, typeset
from builder.write import write_docs

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class BuildResult:
    parsed: tuple[Parsed, ...]
    entries: tuple[Entry, ...]
    sections: tuple[Section, ...]
    pages: tuple[Page, ...]
    coverage: dict[str, Any]
    problems: tuple[Problem, ...]

    @property
    def ok(self) -> bool:
        return not any(p.severity == "error" for p in self.problems)


def parse_sources(sources: Path) -> tuple[list[Parsed], list[Problem]]:
    """Read, parse and repair every document; one bad document never stops the others."""
    docs, problems = read_sources(sources)
    parsed: list[Parsed] = []
    for doc in docs:
        try:
            result = repair_parsed(limit_sizes(parse_source(doc)))
        except Exception as err:  # noqa: BLE001 - any failure is reported against its file, not raised
            log.debug("parsing %s failed", doc.name, exc_info=True)
            problems.append(Problem(doc.name, 1, f"could not be parsed ({type(err).__name__}: {err}); skipped"))
            continue
        parsed.append(result)
        problems.extend(result.problems)
        problems.extend(scan_hazards(doc))
    return parsed, problems


def parse_all(sources: Path) -> list[Item]:
    """Every repaired item of every source, in source order (for tests and tools)."""
    parsed, _ = parse_sources(sources)
    return [item for p in parsed for item in p.items]


def build(sources: Path, docs: Path, config: Path | None = None) -> BuildResult:
    parsed, problems = parse_sources(sources)
    items = [item for p in parsed for item in p.items]
    entries = merge(items)
    sections = classify(entries)
    terms, glossary_problems = read_glossary()
    problems.extend(glossary_problems)
    math, math_problems = typeset(parsed)
    problems.extend(math_problems)
    coverage = compute_coverage(parsed, entries, sections, problems)
    coverage["math"] = math_coverage(parsed, math)
    links = link(sections, terms)
    pages = apply_math(render_site(parsed, sections, coverage, links), math)
    write_docs(docs, pages, coverage)
    if config is not None and update_config(config, nav_block(sections, pages)):
        log.info("updated the navigation in %s", config)
    return BuildResult(tuple(parsed), tuple(entries), tuple(sections), tuple(pages), coverage, tuple(problems))
