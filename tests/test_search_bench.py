"""The search benchmark's report (``make bench`` is not a test, but what it writes is checked on set figures)."""

from __future__ import annotations

from pathlib import Path

from bench.search_bench import SETS, Loaded, Run, Site, p95, report, verdict


def _run(name: str, ms: float, narrows: bool = True, corpus: str = "1×") -> Run:
    hits = {s: (3, 3) for s in SETS}
    misses = ["`search_narrowed.tsv`: `lora level:beginner` → nothing"] if not narrows else []
    return Run(Site(name, (Path("."),), corpus, narrows), hits, [[ms, ms + 1, ms + 2]] * 20, 400.0, Loaded(3, 700 * 1024, 170 * 1024), misses)


def test_the_verdict_compares_the_handbooks_p95_with_the_naive_sites_of_the_same_run():
    assert p95(_run("handbook", 10.0)) == 11.0  # each query's median over its rounds
    assert "0.50× the naive site's, no slower than it" in verdict([_run("handbook", 10.0), _run("naive", 21.0, False)])
    assert "SLOWER" in verdict([_run("handbook", 30.0), _run("naive", 21.0, False)])


def test_the_report_shows_every_site_its_bytes_and_the_labs_engines():
    text = report([_run("handbook", 10.0), _run("handbook 20×", 12.0, corpus="20×"), _run("Material as it was", 20.0, False),
                   _run("naive", 21.0, False)], rounds=3)
    assert "| handbook | 1× | 3/3 | 3/3 | 3/3 | 3/3 | 3/3 | 3/3 |" in text
    assert "| Material as it was | 1× | 3/3 | 3/3 | 3/3 | 3/3 | 3/3 | n/a |" in text  # it cannot narrow
    assert "| handbook 20× | 20× | 13.0 ms | 13.0 ms | 14.0 ms | 14 ms | 400 ms | 700 KB | 170 KB | 3 |" in text
    assert "| Pagefind (custom records) | 1× |" in text and "| MiniSearch, no answer text (the choice) | 20× |" in text
    assert "level:beginner" not in text  # a site that cannot narrow is not blamed for it
