"""Search benchmark: right answers, time from typing to results and bytes loaded, in Chromium, for the
handbook's search against Material's search as the site had it and against a naive site, in one run.

Run by ``make bench`` after ``make site``. Every site is served on loopback and searched the way a
reader does (``tests/search_ui.py``): the query is put in Material's box and a key released.

- **handbook**: the built ``site/``: the builder's MiniSearch index and worker (README, "Search").
- **handbook + answer text**: the same with the answers' words indexed too (``text`` in the fields of
  ``data/search.yml``), to see what the text buys and costs.
- **handbook 20×**: the index the builder writes for the synthetic corpus 20 times the real one
  (``bench/corpus.py``), served over the 1× pages (the search loads only its worker and index).
- **Material as it was**: the site at ``--before`` (the last commit with Material's own search: lunr
  over every heading, tuned), built by that commit's own builder; skipped if git lacks the commit.
- **naive**: the five raw sources as five pages with Material's default search.

Per site: hits (one of the first three result items a reader sees matches the set's regex; sections
folded under "N more on this page" do not count) on every set of ``tests/data/search_*.tsv``;
keyup-to-results latency over ``--rounds`` timed rounds of the concept, question and extra sets;
page load to search ready; and every search file (worker, Material's index, our index) the browser
loaded from page load to the first result of ``kv cache``, raw and gzip-6. Other engines (lunr tuned
in a wrapper worker, Pagefind, Orama, FlexSearch) were measured by the search lab on the same query
sets and rule; their figures are in ``bench/search-engines.json`` and shown beside these. The report
goes to stdout and ``bench/search-results.md``.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import gzip
import http.server
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from browser import CHROMIUM_ARGS, chromium_path  # noqa: E402
from search_ui import load_queries, matches, open_search, timed_query  # noqa: E402

from bench.corpus import write_corpus  # noqa: E402
from builder.glossary import read_glossary  # noqa: E402
from builder.pipeline import BuildResult, build  # noqa: E402
from builder.printing.pdf import serve  # noqa: E402
from builder.read import read_sources  # noqa: E402
from builder.search import build_search, load_vocabulary, read_rules  # noqa: E402

DATA = ROOT / "tests" / "data"
SETS = {  # query set → its column in the report
    "search_queries.tsv": "concepts", "search_questions.tsv": "questions", "search_queries_extra.tsv": "extra",
    "search_typos.tsv": "typos", "search_comparisons.tsv": "comparisons", "search_narrowed.tsv": "narrowed",
}
TIMED_SETS = ("search_queries.tsv", "search_questions.tsv", "search_queries_extra.tsv")
NARROWED = "search_narrowed.tsv"  # level: and topic: mean nothing to Material's own search
PROBE = "kv cache"
BEFORE = "b12ed97"  # main before the builder's index: Material's lunr over every heading, tuned
LAB = ROOT / "bench" / "search-engines.json"
# What a search loads: Material's index and worker (and lunr's language files), the builder's worker and index.
SEARCH_FILE = re.compile(r"^/(search/|assets/search/|assets/javascripts/workers/|assets/javascripts/lunr/)")
BASELINE_CONFIG = "site_name: Baseline\ntheme:\n  name: material\n  font: false\nplugins:\n  - search\n"


@dataclass(frozen=True)
class Site:
    name: str
    roots: tuple[Path, ...]  # tried in order: an index overlay first, then the built pages
    corpus: str = "1×"
    narrows: bool = True  # knows level: and topic:


@dataclass(frozen=True)
class Loaded:
    files: int
    bytes: int
    gzip_bytes: int


@dataclass(frozen=True)
class Run:
    site: Site
    hits: dict[str, tuple[int, int]]  # query set → (hits, queries)
    latencies_ms: list[list[float]]  # per timed query, one time per round
    ready_ms: float  # navigation start to the worker's READY
    loaded: Loaded  # search files loaded from page load to the first result
    misses: list[str]


def gzip_size(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), 6, mtime=0))


class _OverlayHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the first root holding a file, and logs (time, URL path, file) of every file it finds."""

    overlays: tuple[Path, ...] = ()
    sent: list[tuple[float, str, Path]] = []

    def translate_path(self, path: str) -> str:
        base = super().translate_path(path)
        relative = Path(base).relative_to(self.directory)
        found = next((root / relative for root in self.overlays if (root / relative).is_file()), Path(base))
        if found.is_file():
            self.sent.append((time.monotonic(), re.sub(r"[?#].*", "", path), found))
        return str(found)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        pass


def measure(site: Site, rounds: int) -> Run:
    from playwright.sync_api import sync_playwright

    sets = {name: load_queries(DATA / name) for name in SETS}
    sent: list[tuple[float, str, Path]] = []
    handler = type("Handler", (_OverlayHandler,), {"overlays": site.roots[:-1], "sent": sent})
    with serve(site.roots[-1], handler) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        page = browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="block").new_page()
        open_search(page, url)
        ready = float(page.evaluate("() => window.__hbSearch.readyAt"))
        timed_query(page, url, PROBE)
        first_result = time.monotonic()
        files = {path: file for at, path, file in sent if at <= first_result and SEARCH_FILE.match(path)}
        loaded = Loaded(len(files), sum(f.stat().st_size for f in files.values()), sum(gzip_size(f) for f in files.values()))
        hits: dict[str, tuple[int, int]] = {}
        misses: list[str] = []
        for name, queries in sets.items():
            found = 0
            for query in queries:
                _, results = timed_query(page, url, query.query)
                if matches(query, results):
                    found += 1
                else:
                    misses.append(f"`{name}`: `{query.query}` → {'; '.join(r.title for r in results[:3]) or 'nothing'}")
            hits[name] = (found, len(queries))
        timed = [q for name in TIMED_SETS for q in sets[name]]
        latencies: list[list[float]] = [[] for _ in timed]
        for _ in range(rounds):
            for times, query in zip(latencies, timed):
                times.append(timed_query(page, url, query.query)[0])
        browser.close()
    return Run(site, hits, latencies, ready, loaded, misses)


# --- the sites ------------------------------------------------------------------------------------


def build_baseline(work: Path) -> Path:
    """The five raw sources as five pages, default Material search, built into ``work/site``."""
    docs = work / "docs"
    docs.mkdir(parents=True)
    sources, _ = read_sources(ROOT / "sources")
    for doc in sources:
        (docs / f"{doc.slug}.md").write_text(doc.text, encoding="utf-8")
    (docs / "index.md").write_text("# Baseline\n", encoding="utf-8")
    (work / "mkdocs.yml").write_text(BASELINE_CONFIG, encoding="utf-8")
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--quiet", "-f", str(work / "mkdocs.yml")],
                   check=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"}, cwd=work, capture_output=True)
    return work / "site"


def build_before(work: Path, rev: str) -> Path | None:
    """The site at ``rev``, built by that commit's own builder and MkDocs; None if git lacks ``rev``."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", rev], capture_output=True)
    if archive.returncode != 0:
        print(f"{rev}: not in this clone's history; Material as it was is not measured", file=sys.stderr)
        return None
    subprocess.run(["tar", "-x", "-C", str(work)], input=archive.stdout, check=True)
    (work / "node_modules").symlink_to(ROOT / "node_modules")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "1767225600"}
    subprocess.run([sys.executable, "-m", "builder", "build", "--quiet"], cwd=work, env=env, capture_output=True)
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--quiet"], cwd=work, env=env, check=True, capture_output=True)
    return work / "site"


def search_overlay(result: BuildResult, out: Path, text: bool) -> Path:
    """The builder's search files for a build's model, as an overlay folder; with the answers' text if asked."""
    rules, _ = read_rules()
    if text:
        rules = dataclasses.replace(rules, fields={**rules.fields, "text": 1.0})
    terms, _ = read_glossary()
    files, problems = build_search(result.sections, result.editorial, terms, load_vocabulary(terms, rules.generic), rules)
    assert files and not problems, problems
    for path, data in files.items():
        (out / path).parent.mkdir(parents=True, exist_ok=True)
        (out / path).write_bytes(data)
    return out


def handbook_sites(site: Path, work: Path, times: int) -> list[Site]:
    one = build(ROOT / "sources", work / "docs-1x")
    sites = [Site("handbook", (site,)), Site("handbook + answer text", (search_overlay(one, work / "text-1x", True), site))]
    if times > 1:
        corpus = write_corpus(ROOT / "sources", work / f"sources-{times}x", times)
        many = build(corpus, work / f"docs-{times}x")
        label = f"{times}×"
        sites += [Site(f"handbook {label}", (search_overlay(many, work / f"index-{times}x", False), site), label),
                  Site(f"handbook {label} + answer text", (search_overlay(many, work / f"text-{times}x", True), site), label)]
    return sites


# --- the report -----------------------------------------------------------------------------------


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * p
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def p95(run: Run) -> float:
    """The 95th percentile over queries of each query's median time (damps a busy machine)."""
    return percentile([statistics.median(t) for t in run.latencies_ms], 0.95)


def kb(n: int) -> str:
    return f"{n / 1024:,.0f} KB"


def verdict(runs: list[Run]) -> str:
    naive = next((r for r in runs if r.site.name == "naive"), None)
    ours = next(r for r in runs if r.site.name == "handbook")
    if naive is None:
        return "The naive site was not measured in this run."
    ratio = p95(ours) / p95(naive)
    word = "no slower than" if ratio <= 1 else "SLOWER than"
    return (f"Typing to results, p95: handbook {p95(ours):.1f} ms, naive site {p95(naive):.1f} ms in the same run: "
            f"{ratio:.2f}× the naive site's, {word} it.")


def lab_rows(path: Path) -> list[str]:
    lab = json.loads(path.read_text(encoding="utf-8"))
    lines = [lab["about"], "",
             "| engine | corpus | concepts | questions | extra | typos | narrowed | p95 | loaded before 1st result (gzip) | files | after all queries (gzip) |",
             "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for row in lab["engines"]:
        hits = " | ".join(row["hits"].get(k, "–") for k in ("concepts", "questions", "extra", "typos", "narrowed"))
        lines.append(f"| {row['engine']} | {row['corpus']} | {hits} | {row['p95_ms']:.1f} ms | {kb(row['before_gzip'])} "
                     f"| {row['before_files']} | {kb(row['after_gzip'])} |")
    return lines


def report(runs: list[Run], rounds: int) -> str:
    when = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    names = list(SETS.values())
    lines = [
        "# Search benchmark", "",
        f"Measured {when} on {platform.machine()}, {os.cpu_count()} CPUs, load average {load} "
        "(headless Debian Chromium; `make bench`, `bench/search_bench.py`). Every site below was measured in this run.", "",
        verdict(runs), "",
        "## Right item in the first three results a reader sees", "",
        "| site | corpus | " + " | ".join(names) + " |",
        "| --- | --- | " + " | ".join("---:" for _ in names) + " |",
    ]
    for run in runs:
        cells = [f"{run.hits[s][0]}/{run.hits[s][1]}" if s != NARROWED or run.site.narrows else "n/a" for s in SETS]
        lines.append(f"| {run.site.name} | {run.site.corpus} | " + " | ".join(cells) + " |")
    lines += [
        "", "At 20× every question has 19 reworded copies competing with it (and the copies have no key points): hits there",
        "are a sanity check; size and time are the point.", "",
        "## Time and bytes", "",
        f"Keyup to results in the page over the {', '.join(f'`{s}`' for s in TIMED_SETS)} sets, {rounds} timed rounds;",
        "*per query* takes each query's median over the rounds. *Loaded* is every search file the browser",
        f"fetched from page load to the first result of `{PROBE}` (worker, Material's index, the builder's index).", "",
        "| site | corpus | per query: median | per query: p95 | all searches: p95 | max | load → ready | loaded before 1st result | gzip | files |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for run in runs:
        per_query = [statistics.median(t) for t in run.latencies_ms]
        every = [t for times in run.latencies_ms for t in times]
        lines.append(
            f"| {run.site.name} | {run.site.corpus} | {statistics.median(per_query):.1f} ms | {p95(run):.1f} ms "
            f"| {percentile(every, 0.95):.1f} ms | {max(every):.0f} ms | {run.ready_ms:.0f} ms "
            f"| {kb(run.loaded.bytes)} | {kb(run.loaded.gzip_bytes)} | {run.loaded.files} |")
    lines += ["", "## Engines the lab compared", ""] + lab_rows(LAB)
    misses = [f"- {run.site.name} ({run.site.corpus}): {m}" for run in runs if run.site.name != "naive" for m in run.misses
              if run.site.narrows or f"`{NARROWED}`" not in m]
    if misses:
        lines += ["", "## Misses (handbook and Material as it was)", ""] + misses
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--site", type=Path, default=ROOT / "site", help="the built site (make site)")
    parser.add_argument("--rounds", type=int, default=3, help="timed rounds over the timed query sets")
    parser.add_argument("--times", type=int, default=20, help="the larger corpus (1: none)")
    parser.add_argument("--before", default=BEFORE, help="the commit whose site is 'Material as it was' ('' to skip)")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "search-results.md")
    args = parser.parse_args(argv)
    if not (args.site / "assets" / "search" / "index.json").is_file():
        print(f"{args.site}: no search index; run `make site` first", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="search-bench-") as tmp:
        work = Path(tmp)
        (work / "naive").mkdir()
        (work / "before").mkdir()
        sites = handbook_sites(args.site, work, args.times)
        before = build_before(work / "before", args.before) if args.before else None
        if before is not None:
            sites.append(Site("Material as it was", (before,), narrows=False))
        sites.append(Site("naive", (build_baseline(work / "naive"),), narrows=False))
        runs = []
        for site in sites:
            runs.append(measure(site, args.rounds))
            print(f"{site.name} ({site.corpus}): p95 {p95(runs[-1]):.1f} ms, {runs[-1].hits}", file=sys.stderr, flush=True)
    text = report(runs, args.rounds)
    args.out.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
