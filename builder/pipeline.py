"""The pipeline: read → parse → repair → merge → classify → link → render → write, and nothing else.

Each stage is a function of the previous stage's data. A document that trips a stage is reported as
``file:line: error: …`` and the build goes on with the others; the CLI exits non-zero on any error.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

from builder.anki import build_decks, deck_stamp, public_url
from builder.classify import classify
from builder.coverage import Coverage, compute_coverage, connections_coverage, editorial_coverage, math_coverage
from builder.editorial import Editorial, attach_editorial, own_texts, read_editorial, shown_levels
from builder.glossary import TermMatcher, read_glossary
from builder.link import link
from builder.hazards import scan_hazards
from builder.limits import limit_sizes
from builder.merge import merge, read_decisions
from builder.model import Entry, Item, Page, Parsed, Problem, Section, SourceDoc
from builder.navigation import nav_block, update_config
from builder.parse import parse_source
from builder.read import read_sources
from builder.render import render_site
from builder.render.answer_html import AnswerHtml, Converted
from builder.render.review import fsrs_assets
from builder.search import build_search, excluded_from_material_search, load_vocabulary, read_rules
from builder.repair import repair_parsed
from builder.typeset import Typeset, apply_math, typeset
from builder.write import write_docs

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class BuildResult:
    parsed: tuple[Parsed, ...]
    entries: tuple[Entry, ...]
    sections: tuple[Section, ...]
    pages: tuple[Page, ...]
    coverage: Coverage
    problems: tuple[Problem, ...]
    editorial: Mapping[str, Editorial]
    math: Typeset  # KaTeX's result for every formula (the decks show a formula it rejected as text)
    converted: Converted  # the questions, key points and answers as their topic pages converted them (the decks reuse them)

    @property
    def ok(self) -> bool:
        return not any(p.severity == "error" for p in self.problems)


# Below this much source text, starting worker processes costs more than parsing in one.
PARALLEL_MIN_CHARS = 1_000_000


def parse_document(doc: SourceDoc) -> tuple[Parsed | None, list[Problem]]:
    """Parse and repair one document; a failure is reported against its file, never raised."""
    try:
        result = repair_parsed(limit_sizes(parse_source(doc)))
    except Exception as err:  # noqa: BLE001 - any failure is reported against its file, not raised
        log.debug("parsing %s failed", doc.name, exc_info=True)
        return None, [Problem(doc.name, 1, f"could not be parsed ({type(err).__name__}: {err}); skipped")]
    return result, [*result.problems, *scan_hazards(doc)]


def _worker_count(docs: list[SourceDoc]) -> int:
    if len(docs) < 2 or sum(len(d.text) for d in docs) < PARALLEL_MIN_CHARS:
        return 1
    return min(len(docs), os.cpu_count() or 1)


def parse_sources(sources: Path) -> tuple[list[Parsed], list[Problem]]:
    """Read, parse and repair every document; one bad document never stops the others.

    Documents are independent, so a large corpus is parsed in worker processes, one per core; the
    results are taken in document order, so the output does not depend on which worker was faster."""
    docs, problems = read_sources(sources)
    workers = _worker_count(docs)
    if workers > 1:
        # fork: the workers start with the builder already imported (and whatever a test patched)
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            results = list(pool.map(parse_document, docs, chunksize=1))
    else:
        results = [parse_document(doc) for doc in docs]
    parsed: list[Parsed] = []
    for result, doc_problems in results:
        if result is not None:
            parsed.append(result)
        problems.extend(doc_problems)
    return parsed, problems


def parse_all(sources: Path) -> list[Item]:
    """Every repaired item of every source, in source order (for tests and tools)."""
    parsed, _ = parse_sources(sources)
    return [item for p in parsed for item in p.items]


def build(sources: Path, docs: Path, config: Path | None = None) -> BuildResult:
    """Every stage in order, from ``sources/`` to ``docs/`` (and the navigation of ``config``)."""
    parsed, problems = parse_sources(sources)
    items = [item for p in parsed for item in p.items]
    records, record_problems = read_editorial()
    rules, rule_problems = read_rules()
    # KaTeX runs in its own Node process; it needs only the texts, so it works while this process
    # merges, classifies and links (the thread mostly waits on the child's output). The search index
    # is written by another Node process from the sections and the glossary, so it is written while
    # this process links and renders; only the coverage report, which lists its problems, waits for it.
    with ThreadPoolExecutor(2) as node:
        typesetting = node.submit(typeset, parsed, own_texts(records))
        decisions, decision_problems = read_decisions(item.question for item in items)
        entries = merge(items, decisions)
        editorial, editorial_problems = attach_editorial(entries, records)
        classified = classify(entries, levels={e.id: shown_levels(e, editorial.get(e.id))[0] for e in entries})
        sections = classified.sections
        terms, glossary_problems = read_glossary()
        searching = node.submit(build_search, sections, editorial, terms, load_vocabulary(terms, rules.generic), rules)
        matcher = TermMatcher(terms)
        links = link(sections, terms, matcher, {i: n.key_points for i, n in editorial.items()})
        math, math_problems = typesetting.result()
        answer_html = AnswerHtml(math)
        site = render_site(parsed, sections, links, matcher, editorial, classified.moved, answer_html)
        decks = build_decks(sections, {p.source.name: p.source for p in parsed}, editorial, answer_html.converted, math, deck_stamp(), public_url(config))
        search, search_problems = searching.result()
    problems += decision_problems + record_problems + editorial_problems + [*classified.problems] + glossary_problems + math_problems
    problems += rule_problems + search_problems
    coverage = compute_coverage(
        parsed, entries, sections, problems, math_coverage(parsed, math), editorial_coverage(entries, editorial),
        connections_coverage(entries, links.related),
    )
    pages = apply_math(excluded_from_material_search(site.with_coverage(coverage)), math)
    write_docs(docs, pages, coverage, {**decks, **fsrs_assets(), **search})
    if config is not None and update_config(config, nav_block(sections, pages, classified.moved)):
        log.info("updated the navigation in %s", config)
    return BuildResult(tuple(parsed), tuple(entries), tuple(sections), tuple(pages), coverage, tuple(problems), editorial, math, answer_html.converted)
