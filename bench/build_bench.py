"""``make bench``: how long the handbook takes to build, how it grows, and how its pages score.

In one run:

1. times (a) ``mkdocs build`` of a naive site whose pages are the five raw sources, (b) the builder
   alone (``python -m builder build``), (c) the full build (builder, then ``mkdocs build --strict``
   with the project's config, then ``python -m builder book`` for the print edition's chapters) and
   (c′) the same without Material's search plugin (what the full build costs once the builder writes
   the search index and Material indexes no page); each the median of ``--repeat`` runs, as wall time
   of a fresh process (imports included, as a person running ``make site`` waits for them), and
   prints c/a, c′/a and the builder's share of each;
2. builds synthetic corpora 1×, 5×, 10× and 20× the real one (``bench/corpus.py``) and prints the
   builder's wall time and peak memory (the child's maximum resident set size) at each;
3. runs Lighthouse (npm, on Debian's Chromium) on every page of the site's navigation, and on the
   largest page of the naive site for comparison, served gzip-compressed as GitHub Pages serves them,
   the median of three runs each;

and writes it all to ``bench/results.md`` with the date. Not a test: timings depend on the machine.
"""

from __future__ import annotations

import argparse
import compileall
import datetime as dt
import functools
import gzip
import http.server
import io
import json
import logging
import os
import platform
import posixpath
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.corpus import write_corpus  # noqa: E402 - needs the project root on the path first
from builder.paths import site_url  # noqa: E402
from builder.printing.pdf import serve  # noqa: E402
from builder.yamlio import load_mkdocs_config  # noqa: E402

log = logging.getLogger(__name__)

SCALES = (1, 5, 10, 20)
AIMS = {"full / naive": 2.5, "builder / full": 0.2}
PLANNED_FULL = 1.5
"""The full build's ratio bench/results.md plans for, beyond the aim."""
LIGHTHOUSE_AIMS = {"performance": 90, "accessibility": 100}
AIM_20X_SECONDS = 10.0
AIM_20X_MB = 1024.0
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu"


@dataclass(frozen=True)
class Run:
    seconds: float  # wall time
    cpu: float  # user + system time of the child: what the build costs, whatever else the machine runs
    peak_mb: float
    output: str


def run(cmd: Sequence[str], env: dict[str, str] | None = None) -> Run:
    """Run ``cmd`` as a child; its wall time and its own peak resident memory (``wait4``)."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    output = proc.stdout.read() if proc.stdout else ""
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in (0, 1):  # 1: the builder found problems in a source, still built
        raise RuntimeError(f"{' '.join(cmd)} exited {proc.returncode}:\n{output[-2000:]}")
    return Run(seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, output)


def mkdocs_env() -> dict[str, str]:
    return {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": os.environ.get("SOURCE_DATE_EPOCH", "1767225600")}


def builder_cmd(sources: Path, docs: Path, config: str = "") -> list[str]:
    return [sys.executable, "-m", "builder", "build", "--sources", str(sources), "--docs", str(docs), "--config", config, "--quiet"]


def naive_site(work: Path) -> Path:
    """The five raw sources as five Material pages, with the project's Markdown extensions."""
    docs = work / "naive" / "docs"
    docs.mkdir(parents=True)
    for path in sorted((ROOT / "sources").iterdir()):
        if path.is_file() and path.name != "sources.yml":
            shutil.copy(path, docs / f"{path.stem}.md")
    project = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    extensions = project[project.index("markdown_extensions:") : project.index("# --- nav")]
    config = work / "naive" / "mkdocs.yml"
    config.write_text(
        "site_name: Naive handbook\nsite_url: \"\"\ntheme:\n  name: material\n  font: false\nplugins:\n  - search\n"
        f"docs_dir: {docs}\nsite_dir: {work / 'naive' / 'site'}\n{extensions}",
        encoding="utf-8",
    )
    return config


def project_config(work: Path, docs: Path, site: Path) -> Path:
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    text = re.sub(r"^docs_dir:.*$", f"docs_dir: {docs}", text, flags=re.M)
    text = re.sub(r"^site_dir:.*$", f"site_dir: {site}", text, flags=re.M)
    text = re.sub(r"^(\s+custom_dir:)\s*(\S+)", lambda m: f"{m.group(1)} {ROOT / m.group(2)}", text, flags=re.M)  # the theme override
    config = work / "mkdocs-full.yml"
    config.write_text(text, encoding="utf-8")
    return config


def without_search(config: Path) -> Path:
    """``config`` without Material's search plugin: the full build once Material indexes no page."""
    text = re.sub(r"^plugins:\n(?:(?:  .*)?\n)+", "plugins: []\n", config.read_text(encoding="utf-8"), flags=re.M)
    if "plugins: []" not in text:
        raise RuntimeError(f"{config}: no plugins block to take the search plugin out of")
    out = config.with_name(config.stem + "-no-search.yml")
    out.write_text(text, encoding="utf-8")
    return out


def time_builds(work: Path, repeat: int) -> dict[str, float]:
    naive = naive_site(work)
    mkdocs = [sys.executable, "-m", "mkdocs", "build", "--quiet", "-f"]
    full_config = project_config(work, work / "c-docs", work / "c-site")
    no_search = without_search(full_config)
    book = [sys.executable, "-m", "builder", "book", "--site", str(work / "c-site"), "--quiet"]

    def full() -> dict[str, Run]:
        # (c) and (c′) share the builder's run: they differ only after it.
        steps = {"builder": run(builder_cmd(ROOT / "sources", work / "c-docs", str(full_config)))}
        steps["mkdocs_nosearch"] = run([*mkdocs[:-1], "--strict", "-f", str(no_search)], mkdocs_env())
        steps["book_nosearch"] = run(book)
        steps["mkdocs"] = run([*mkdocs[:-1], "--strict", "-f", str(full_config)], mkdocs_env())
        steps["book"] = run(book)
        return steps

    def total(steps: dict[str, Run], names: Sequence[str]) -> Run:
        parts = [steps[n] for n in names]
        return Run(sum(r.seconds for r in parts), sum(r.cpu for r in parts), max(r.peak_mb for r in parts), "")

    # Alternating, so a busy spell of the machine falls on every kind of build alike.
    naive_runs, builder_runs, full_runs = [], [], []
    for _ in range(repeat):
        naive_runs.append(run([*mkdocs, str(naive)], mkdocs_env()))
        builder_runs.append(run(builder_cmd(ROOT / "sources", work / "b-docs")))
        full_runs.append(full())
    a = median_of(naive_runs)
    b = median_of(builder_runs)
    steps = median_of(full_runs, seconds=lambda s: total(s, FULL_STEPS).seconds)
    steps_ns = median_of(full_runs, seconds=lambda s: total(s, FULL_STEPS_NO_SEARCH).seconds)
    c, c_ns = total(steps, FULL_STEPS), total(steps_ns, FULL_STEPS_NO_SEARCH)
    naive_md, naive_pages = markdown_size(work / "naive" / "docs")
    handbook_md, handbook_pages = markdown_size(work / "c-docs")
    return {
        "naive": a.seconds, "builder": b.seconds, "full": c.seconds, "full_nosearch": c_ns.seconds,
        "naive_cpu": a.cpu, "builder_cpu": b.cpu, "full_cpu": c.cpu, "full_nosearch_cpu": c_ns.cpu,
        "builder_mb": b.peak_mb, "full_mb": c.peak_mb,
        **{f"full_{name}": steps[name].seconds for name in FULL_STEPS},
        **{f"full_{name}_cpu": steps[name].cpu for name in FULL_STEPS},
        **{f"nosearch_{name}": steps_ns[name].seconds for name in FULL_STEPS_NO_SEARCH},
        **{f"nosearch_{name}_cpu": steps_ns[name].cpu for name in FULL_STEPS_NO_SEARCH},
        "naive_md_mb": naive_md, "naive_pages": naive_pages, "handbook_md_mb": handbook_md, "handbook_pages": handbook_pages,
    }


def median_of(runs: list, seconds: callable = lambda run: run.seconds):
    """The one of ``runs`` whose ``seconds`` is the median."""
    return sorted(runs, key=seconds)[len(runs) // 2]


FULL_STEPS = ("builder", "mkdocs", "book")
FULL_STEPS_NO_SEARCH = ("builder", "mkdocs_nosearch", "book_nosearch")


def markdown_size(docs: Path) -> tuple[float, int]:
    """MB of Markdown MkDocs reads from ``docs``, and how many pages."""
    pages = list(docs.rglob("*.md"))
    return sum(p.stat().st_size for p in pages) / 1e6, len(pages)


def scaling(work: Path) -> list[dict[str, float]]:
    rows = []
    for times in SCALES:
        corpus = write_corpus(ROOT / "sources", work / f"corpus-{times}x", times)
        size = sum(p.stat().st_size for p in corpus.iterdir())
        result = run(builder_cmd(corpus, work / f"docs-{times}x"))
        summary = run([sys.executable, "-c", "import json,sys;d=json.load(open(sys.argv[1]));print(d['totals']['questions'],d['totals']['entries'])", str(work / f"docs-{times}x" / "coverage.json")])
        questions, entries = (int(x) for x in summary.output.split())
        rows.append({"times": times, "mb": size / 1e6, "questions": questions, "entries": entries, "seconds": result.seconds, "cpu": result.cpu, "peak_mb": result.peak_mb})
        print(f"  {times:>3}×  {size / 1e6:6.2f} MB  {questions:6d} questions  {entries:6d} entries  {result.seconds:6.2f} s wall  {result.cpu:6.2f} s CPU  {result.peak_mb:7.1f} MB peak", flush=True)
    return rows


# What GitHub Pages, where the site is hosted, sends gzip-compressed: text, CSS, JavaScript, JSON,
# SVG. Fonts (woff2) and PNGs are compressed already and go as they are.
COMPRESSED_TYPES = ("text/", "application/javascript", "application/json", "image/svg+xml", "application/xml")


@functools.lru_cache(maxsize=256)
def _gzipped(path: str, mtime_ns: int) -> bytes:
    """A file's gzip body, once per version: compressing on every request would time this server, not the page."""
    return gzip.compress(Path(path).read_bytes(), compresslevel=6, mtime=0)


class _PagesLikeHandler(http.server.SimpleHTTPRequestHandler):
    """Serves files as GitHub Pages does for what Lighthouse measures: gzip when the browser asks for it.

    ``builder.printing.pdf.serve`` (used to print the PDFs, where bytes do not matter) sends every file
    uncompressed, which would make Lighthouse's simulated slow 4G download 3–5 times the bytes a
    reader's browser gets from Pages. HTTP/1.1 keeps connections open, as Pages does (over HTTP/2),
    rather than paying a new connection per file.
    """

    protocol_version = "HTTP/1.1"

    def send_head(self):  # noqa: ANN201 - the base class's contract: a file object or None
        path = Path(self.translate_path(self.path))
        if path.is_dir() and self.path.split("?", 1)[0].endswith("/"):
            path = path / "index.html"
        kind = self.guess_type(str(path))
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (accepts and path.is_file() and kind.startswith(COMPRESSED_TYPES)):
            return super().send_head()
        body = _gzipped(str(path), path.stat().st_mtime_ns)
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        return io.BytesIO(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        pass


def serve_compressed(root: Path):  # noqa: ANN201 - builder.printing.pdf.serve's context manager
    """Serve ``root`` on 127.0.0.1 (a free port), gzip-compressed as GitHub Pages serves it; yields the base URL."""
    return serve(root, _PagesLikeHandler)


def lighthouse(url: str, out: Path) -> dict[str, float]:
    """Performance and accessibility scores (0–100) of one page, Lighthouse's default mobile profile."""
    chrome = shutil.which("chromium") or "/usr/bin/chromium"
    cmd = [str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={out}", f"--chrome-flags={CHROME_FLAGS}",
           "--only-categories=performance,accessibility"]
    result = subprocess.run(cmd, cwd=ROOT, env={**os.environ, "CHROME_PATH": chrome}, capture_output=True, text=True, timeout=300)
    if result.returncode != 0 or not out.exists():
        print(f"  lighthouse failed on {url}: {result.stderr[-500:]}", file=sys.stderr)
        return {}
    report = json.loads(out.read_text(encoding="utf-8"))
    scores = {name: round(cat["score"] * 100) for name, cat in report["categories"].items() if cat.get("score") is not None}
    failing = [a["id"] for a in report["audits"].values() if a.get("score") == 0 and a.get("scoreDisplayMode") == "binary"]
    blocking = report["audits"].get("total-blocking-time", {}).get("numericValue")
    return {**scores, "failing": failing[:8], **({"tbt_ms": round(blocking)} if blocking is not None else {})}


def lighthouse_median(url: str, out: Path, runs: int) -> dict[str, float]:
    """The run with the median performance score of ``runs``, with the lowest and highest score.

    Lighthouse simulates a slow phone from the CPU time it observes, so on a shared machine one
    page's score moves by ten points from run to run (its blocking time by hundreds of ms)."""
    results = [r for r in (lighthouse(url, out.with_name(f"{out.stem}-{i}.json")) for i in range(runs)) if "performance" in r]
    if not results:
        return {}
    results.sort(key=lambda r: r["performance"])
    return {**results[len(results) // 2], "low": results[0]["performance"], "high": results[-1]["performance"], "runs": len(results)}


def largest_page(site: Path, under: str) -> str:
    pages = [p for p in (site / under).rglob("*.html")] if under else list(site.rglob("*.html"))
    largest = max(pages, key=lambda p: p.stat().st_size)
    return largest.relative_to(site).as_posix().removesuffix("index.html")


def navigation_pages(config: Path) -> list[tuple[str, str]]:
    """Every page of the site's navigation (``nav`` of ``config``, which the builder writes), in its
    order: its title (a section's name for an untitled page) and its URL under the site."""
    nav = load_mkdocs_config(config).get("nav") or []
    pages: list[tuple[str, str]] = []

    def walk(items: list, section: str) -> None:
        for item in items:
            if isinstance(item, str):  # a page without a title: named by its section and file
                name = posixpath.basename(item).removesuffix(".md")
                pages.append((f"{section}: {name}" if section else name, site_url(item)))
                continue
            for title, value in item.items():
                if isinstance(value, list):
                    walk(value, title)
                else:
                    pages.append((title, site_url(value)))

    walk(nav, "")
    return pages


LIGHTHOUSE_RUNS = 3


def page_scores(work: Path, config: Path, only: str = "", runs: int = LIGHTHOUSE_RUNS) -> list[tuple[str, str, dict[str, float]]]:
    """Lighthouse on every navigation page of the handbook (those whose URL holds ``only``), then on
    the naive site's largest page."""
    if not LIGHTHOUSE.exists():
        print("  lighthouse is not installed (make node_modules/.installed)", file=sys.stderr)
        return []
    rows = []
    site, naive = work / "c-site", work / "naive" / "site"
    with serve_compressed(site) as url:
        for label, path in navigation_pages(config):
            if only not in path:
                continue
            rows.append((label, "/" + path, lighthouse_median(url + path, work / f"lh-{len(rows)}.json", runs)))
            print(f"  {rows[-1][0][:40]:40} {rows[-1][1]:44} {_scores_line(rows[-1][2])}", flush=True)
    with serve_compressed(naive) as url:
        path = largest_page(naive, "")
        rows.append(("naive: largest source page", "/" + path, lighthouse_median(url + path, work / "lh-naive.json", runs)))
        print(f"  {rows[-1][0]:40} {rows[-1][1]:44} {_scores_line(rows[-1][2])}", flush=True)
    return rows


def _scores_line(scores: dict[str, float]) -> str:
    if not scores:
        return "no score (Lighthouse failed)"
    failing = f"  failing: {', '.join(scores['failing'])}" if scores.get("failing") else ""
    return f"performance {scores['performance']} ({scores['low']}–{scores['high']}), accessibility {scores.get('accessibility', '–')}{failing}"


def below_aims(scores: list[tuple[str, str, dict[str, float]]]) -> list[str]:
    """The handbook's pages whose median run misses a Lighthouse aim, as ``path: category score``."""
    out = []
    for label, path, s in scores:
        if label.startswith("naive:"):
            continue
        if not s:
            out.append(f"{path}: not measured")
        out += [f"{path}: {name} {s[name]}" for name, aim in LIGHTHOUSE_AIMS.items() if s and s.get(name, 0) < aim]
    return out


def verdict(value: float, aim: float) -> str:
    return "meets the aim" if value <= aim else "misses the aim"


def where_the_full_build_goes(times: dict[str, float]) -> list[str]:
    """The full build's steps, and MkDocs's cost per MB of Markdown on each site: why (c) cannot be
    near (a) while the handbook gives MkDocs several times the naive site's Markdown."""
    naive_rate = times["naive"] / times["naive_md_mb"]
    handbook_rate = times["full_mkdocs"] / times["handbook_md_mb"]
    steps = ", ".join(f"{name} {times[f'full_{name}']:.2f} s wall / {times[f'full_{name}_cpu']:.2f} s CPU" for name in FULL_STEPS)
    steps_ns = ", ".join(
        f"{name.removesuffix('_nosearch')} {times[f'nosearch_{name}']:.2f} s wall / {times[f'nosearch_{name}_cpu']:.2f} s CPU"
        for name in FULL_STEPS_NO_SEARCH
    )
    search = times["full_mkdocs"] - times["nosearch_mkdocs_nosearch"]
    return [
        f"Where (c)'s time goes: {steps}; without Material's search (c′): {steps_ns}, so Material's search "
        f"plugin costs {search:.2f} s of MkDocs's {times['full_mkdocs']:.2f} s. MkDocs reads {times['handbook_md_mb']:.2f} MB of "
        f"Markdown in {times['handbook_pages']:.0f} pages for the handbook ({times['handbook_md_mb'] / times['naive_md_mb']:.1f}× "
        f"the naive site's {times['naive_md_mb']:.2f} MB in {times['naive_pages']:.0f} pages): {handbook_rate:.2f} s per MB there "
        f"against {naive_rate:.2f} s per MB for the naive site (startup included).",
    ]


def budget_line(times: dict[str, float], ratio: float) -> str:
    """What a full build at ``ratio`` × the naive build leaves MkDocs, after the builder and the book as they are now."""
    budget = ratio * times["naive"] - times["nosearch_builder"] - times["nosearch_book_nosearch"]
    return (
        f"At {ratio}× the naive build the whole build has {ratio * times['naive']:.2f} s; after the builder "
        f"({times['nosearch_builder']:.2f} s) and the print edition ({times['nosearch_book_nosearch']:.2f} s) as they are, "
        f"MkDocs without the search plugin would have {budget:.2f} s (it takes {times['nosearch_mkdocs_nosearch']:.2f} s)."
    )


# The plan is kept by hand beside the results it is printed into: its figures were measured once,
# by taking each thing away from a copy of docs/, not by this script.
PLAN = (Path(__file__).resolve().parent / "plan.md").read_text(encoding="utf-8")


def report(times: dict[str, float], rows: list[dict[str, float]], scores: list[tuple[str, str, dict[str, float]]], repeat: int, load: float) -> str:
    today = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    out = [
        "# Build benchmark",
        "",
        f"Run on {today} by `make bench` (`bench/build_bench.py`), {platform.python_implementation()} {platform.python_version()}, "
        f"{os.cpu_count()} CPUs, load average {load:.1f} at the start. Fresh processes, imports included (a person running "
        f"`make site` waits for them), median of {repeat}, the kinds of build alternating. Wall time depends on what else the "
        "machine runs; CPU time (user + system of the build's own processes) much less, so the aims are judged on both.",
        "",
        "## Builds",
        "",
        "| build | wall s | CPU s | wall ratio | CPU ratio | aim |",
        "| --- | ---: | ---: | ---: | ---: | --- |",
        f"| (a) naive: `mkdocs build` of the five raw sources as five pages | {times['naive']:.2f} | {times['naive_cpu']:.2f} | 1.00 | 1.00 | |",
        f"| (b) builder alone: `python -m builder build` | {times['builder']:.2f} | {times['builder_cpu']:.2f} | "
        f"{times['builder'] / times['naive']:.2f} | {times['builder_cpu'] / times['naive_cpu']:.2f} | |",
    ]
    aim = AIMS["full / naive"]
    for key, label in (
        ("full", "(c) full: builder + `mkdocs build --strict` + `python -m builder book`"),
        ("full_nosearch", "(c′) full, Material's search plugin off (every page excluded from its index)"),
    ):
        wall, cpu = times[key] / times["naive"], times[f"{key}_cpu"] / times["naive_cpu"]
        out.append(f"| {label} | {times[key]:.2f} | {times[f'{key}_cpu']:.2f} | {wall:.2f} | {cpu:.2f} | ≤ {aim}: wall {verdict(wall, aim)}, CPU {verdict(cpu, aim)} |")
    share_aim = AIMS["builder / full"]
    shares = [
        (label, times[f"{prefix}builder"] / times[total], times[f"{prefix}builder_cpu"] / times[f"{total}_cpu"])
        for label, prefix, total in (("(c)", "full_", "full"), ("(c′)", "nosearch_", "full_nosearch"))
    ]
    out += [
        "",
        "The builder's share of the full build (aim: under a fifth): "
        + "; ".join(f"{label} {wall:.0%} of the wall time ({verdict(wall, share_aim)}), {cpu:.0%} of the CPU time ({verdict(cpu, share_aim)})" for label, wall, cpu in shares)
        + ".",
        "",
        f"Peak memory: builder {times['builder_mb']:.0f} MB, full build {times['full_mb']:.0f} MB.",
        "",
        *where_the_full_build_goes(times),
        "",
        budget_line(times, AIMS["full / naive"]) + " " + budget_line(times, PLANNED_FULL),
        "",
        PLAN,
        "## Scaling (synthetic corpus, `bench/corpus.py`; builder alone)",
        "",
        "| corpus | size | questions | entries | wall s | CPU s | CPU ms per question | peak memory |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in rows:
        out.append(f"| {r['times']}× | {r['mb']:.1f} MB | {r['questions']:,} | {r['entries']:,} | {r['seconds']:.2f} | {r['cpu']:.2f} | {1000 * r['cpu'] / r['questions']:.2f} | {r['peak_mb']:.0f} MB |")
    if rows:
        last = rows[-1]
        out += [
            "",
            f"{last['times']}×: {last['seconds']:.2f} s wall, {last['cpu']:.2f} s CPU (aim ≤ {AIM_20X_SECONDS:.0f} s: wall {verdict(last['seconds'], AIM_20X_SECONDS)}, "
            f"CPU {verdict(last['cpu'], AIM_20X_SECONDS)}); {last['peak_mb']:.0f} MB peak (aim ≤ 1 GB: {verdict(last['peak_mb'], AIM_20X_MB)}).",
            "",
            "CPU time includes the builder's children (KaTeX's Node process; from a million characters of sources, the "
            "parse workers, one per core); peak memory is the largest single process, and the forked workers share most "
            "of theirs with the builder.",
        ]
    out += [
        "",
        "## Lighthouse (default mobile profile, Debian Chromium headless)",
        "",
        "Every page of the navigation, served by the bench's own local server (`serve_compressed`), which gzip-compresses "
        "HTML, CSS, JavaScript, JSON and SVG as GitHub Pages does, so the simulated slow-4G download counts the bytes a "
        "reader gets; `builder.printing.pdf.serve` (used for the PDFs) does not compress.",
        "",
        f"Each page is measured {LIGHTHOUSE_RUNS} times; the table shows the run with the median performance score, "
        "the range of the scores, and that run's total blocking time, which is what moves the score on a busy machine. "
        f"Aims: performance ≥ {LIGHTHOUSE_AIMS['performance']}, accessibility {LIGHTHOUSE_AIMS['accessibility']}.",
        "",
        "| page | path | performance (median) | range | blocking time | accessibility | failing audits |",
        "| --- | --- | ---: | ---: | ---: | ---: | --- |",
    ]
    for label, path, s in scores:
        spread = f"{s['low']}–{s['high']}" if "low" in s else "–"
        blocking = f"{s['tbt_ms']} ms" if "tbt_ms" in s else "–"
        out.append(f"| {label} | `{path}` | {s.get('performance', '–')} | {spread} | {blocking} | {s.get('accessibility', '–')} | {', '.join(s.get('failing', [])) or '–'} |")
    if scores:
        misses = below_aims(scores)
        measured = sum(1 for label, _, _ in scores if not label.startswith("naive:"))
        out += ["", f"{measured - len({m.split(':')[0] for m in misses})} of {measured} pages meet both aims" + (f"; below: {'; '.join(misses)}." if misses else ".")]
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per build timing (the median is kept)")
    parser.add_argument("--no-lighthouse", action="store_true")
    parser.add_argument("--no-scaling", action="store_true", help="leave out the synthetic corpora")
    parser.add_argument("--pages", default="", help="Lighthouse only on navigation pages whose URL holds this")
    parser.add_argument("--output", type=Path, default=ROOT / "bench" / "results.md")
    args = parser.parse_args(argv)
    load = os.getloadavg()[0]
    # Byte-compile the builder first, as a user's first `make site` leaves it (pip did the same for
    # MkDocs at install time): with PYTHONDONTWRITEBYTECODE set, as in some shells and CI, every timed
    # run would otherwise recompile its ~60 modules and time the compiler.
    compileall.compile_dir(ROOT / "builder", quiet=1)
    with tempfile.TemporaryDirectory(prefix="handbook-bench-") as tmp:
        work = Path(tmp)
        print("builds (median of %d):" % args.repeat, flush=True)
        times = time_builds(work, args.repeat)
        for key in ("naive", "builder", "full", "full_nosearch"):
            print(f"  {key:14} {times[key]:6.2f} s wall  {times[key + '_cpu']:6.2f} s CPU", flush=True)
        for key, prefix in (("full", "full_"), ("full_nosearch", "nosearch_")):
            print(
                f"  {key} / naive = {times[key] / times['naive']:.2f} wall, {times[key + '_cpu'] / times['naive_cpu']:.2f} CPU "
                f"(aim ≤ {AIMS['full / naive']}); builder's share {times[prefix + 'builder'] / times[key]:.0%} wall, "
                f"{times[prefix + 'builder_cpu'] / times[key + '_cpu']:.0%} CPU (aim < {AIMS['builder / full']:.0%})"
            )
        rows = []
        if not args.no_scaling:
            print("scaling (builder alone):", flush=True)
            rows = scaling(work)
        print("lighthouse (every page of the navigation, median of %d):" % LIGHTHOUSE_RUNS, flush=True)
        config = work / "mkdocs-full.yml"
        scores = [] if args.no_lighthouse else page_scores(work, config, args.pages)
        for miss in below_aims(scores):
            print(f"  below the aim: {miss}")
        text = report(times, rows, scores, args.repeat, load)
    args.output.write_text(text, encoding="utf-8")
    print(f"\nwritten to {args.output.relative_to(ROOT) if args.output.is_relative_to(ROOT) else args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
