"""Search benchmark: index size against a naive baseline, and time from typing to results in Chromium.

Run by ``make bench`` after ``make site``. The baseline is what one gets with no builder at all: the
five raw sources as five Markdown pages, built with the same mkdocs-material and its default search
settings in a temporary directory. Latency is measured in headless Chromium on the built site: for
every query of ``tests/data/search_queries*.tsv``, the query is put in the search box and a key
released; the time runs from that keyup to the results being in the page (``tests/search_ui.py``).
The report goes to stdout and to ``bench/search-results.md``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import logging
import os
import platform
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from browser import CHROMIUM_ARGS, chromium_path, serve  # noqa: E402
from search_ui import load_queries, matches, open_search, timed_query  # noqa: E402

from builder.read import read_sources  # noqa: E402

log = logging.getLogger(__name__)

QUERY_SETS = (ROOT / "tests/data/search_queries.tsv", ROOT / "tests/data/search_queries_extra.tsv")
BASELINE_CONFIG = "site_name: Baseline\ntheme:\n  name: material\n  font: false\nplugins:\n  - search\n"


@dataclass(frozen=True)
class IndexSize:
    bytes: int
    gzip_bytes: int
    documents: int


@dataclass(frozen=True)
class Run:
    hits: dict[str, tuple[int, int]]  # query set → (hits, queries)
    latencies_ms: list[list[float]]  # per query, one time per timed round
    ready_ms: float  # page load to search index ready (the worker builds the lunr index)
    misses: list[str]


def index_size(site: Path) -> IndexSize:
    raw = (site / "search" / "search_index.json").read_bytes()
    return IndexSize(len(raw), len(gzip.compress(raw, 9, mtime=0)), len(json.loads(raw)["docs"]))


def build_baseline(workdir: Path) -> Path:
    """The five raw sources as five pages, default Material search, built into ``workdir/site``."""
    docs = workdir / "docs"
    docs.mkdir(parents=True)
    sources, _ = read_sources(ROOT / "sources")
    for doc in sources:
        (docs / f"{doc.slug}.md").write_text(doc.text, encoding="utf-8")
    (docs / "index.md").write_text("# Baseline\n", encoding="utf-8")
    (workdir / "mkdocs.yml").write_text(BASELINE_CONFIG, encoding="utf-8")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--quiet", "-f", str(workdir / "mkdocs.yml")],
                   check=True, env=env, cwd=workdir, capture_output=True)
    return workdir / "site"


def run_queries(site: Path, rounds: int) -> Run:
    from playwright.sync_api import sync_playwright

    sets = {path.name: load_queries(path) for path in QUERY_SETS}
    hits: dict[str, tuple[int, int]] = {}
    latencies: list[list[float]] = []
    misses: list[str] = []
    with serve(site) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        open_search(page, url)
        ready = float(page.evaluate("() => window.__hbSearch.readyAt"))
        for name, queries in sets.items():
            found = 0
            for query in queries:
                _, results = timed_query(page, url, query.query)  # warm-up round, and the hit count
                if matches(query, results):
                    found += 1
                else:
                    misses.append(f"{name}: {query.query!r} → {[r.title for r in results[:3]]}")
            hits[name] = (found, len(queries))
        every = [q for queries in sets.values() for q in queries]
        latencies = [[] for _ in every]
        for _ in range(rounds):
            for times, query in zip(latencies, every):
                times.append(timed_query(page, url, query.query)[0])
        browser.close()
    return Run(hits, latencies, ready, misses)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * p
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def report(site_size: IndexSize, baseline_size: IndexSize, site_run: Run, baseline_run: Run | None) -> str:
    when = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    lines = [
        "# Search benchmark",
        "",
        f"Measured {when} on {platform.machine()}, {os.cpu_count()} CPUs, load average {load} "
        "(headless Debian Chromium; `make bench`).",
        "",
        "## Index size",
        "",
        "| index | documents | bytes | gzip bytes |",
        "| --- | ---: | ---: | ---: |",
        f"| handbook (`site/search/search_index.json`) | {site_size.documents} | {site_size.bytes:,} | {site_size.gzip_bytes:,} |",
        f"| naive baseline (five raw sources as five pages) | {baseline_size.documents} | {baseline_size.bytes:,} | {baseline_size.gzip_bytes:,} |",
        "",
        f"Handbook / baseline: {site_size.bytes / baseline_size.bytes:.2f} (bytes), "
        f"{site_size.gzip_bytes / baseline_size.gzip_bytes:.2f} (gzip).",
        "",
        "## Right question in the first three results",
        "",
        "| query set | handbook | naive baseline |",
        "| --- | ---: | ---: |",
    ]
    for name, (found, total) in site_run.hits.items():
        base = f"{baseline_run.hits[name][0]}/{total}" if baseline_run else "n/a"
        lines.append(f"| `{name}` | {found}/{total} | {base} |")
    lines += [
        "",
        "## Time from typing to results",
        "",
        "From the keyup that completes the query to its results in the page. *Per query* takes each",
        "query's median over the timed rounds (damps a busy machine); *all searches* takes every single",
        "search.",
        "",
        "| site | queries × rounds | per query: median | per query: p95 | all searches: median | all searches: p95 | max |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for label, run in (("handbook", site_run), ("naive baseline", baseline_run)):
        if run is None:
            continue
        per_query = [statistics.median(times) for times in run.latencies_ms]
        every = [t for times in run.latencies_ms for t in times]
        lines.append(
            f"| {label} | {len(run.latencies_ms)} × {len(run.latencies_ms[0])} | {statistics.median(per_query):.1f} ms "
            f"| {percentile(per_query, 0.95):.1f} ms | {statistics.median(every):.1f} ms | {percentile(every, 0.95):.1f} ms "
            f"| {max(every):.1f} ms |"
        )
    lines += ["", f"Page load to search ready on the handbook (the worker fetches the index and builds it): "
              f"{site_run.ready_ms:.0f} ms."]
    if site_run.misses:
        lines += ["", "Misses:", ""] + [f"- {m}" for m in site_run.misses]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--site", type=Path, default=ROOT / "site", help="the built site (make site)")
    parser.add_argument("--rounds", type=int, default=3, help="timed rounds over all queries")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "search-results.md")
    parser.add_argument("--no-baseline-queries", action="store_true", help="skip running the queries on the baseline")
    args = parser.parse_args(argv)
    if not (args.site / "search" / "search_index.json").is_file():
        print(f"{args.site}: no search index; run `make site` first", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="search-baseline-") as tmp:
        baseline = build_baseline(Path(tmp))
        baseline_size = index_size(baseline)
        baseline_run = None if args.no_baseline_queries else run_queries(baseline, rounds=args.rounds)
    site_run = run_queries(args.site, rounds=args.rounds)
    text = report(index_size(args.site), baseline_size, site_run, baseline_run)
    args.out.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
