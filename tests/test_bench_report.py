"""The benchmark's report (``make bench`` is not a test, but what it writes is checked on set figures)."""

from __future__ import annotations

from bench.build_bench import report, where_the_full_build_goes

TIMES = {
    "naive": 2.0, "naive_cpu": 2.0, "builder": 1.0, "builder_cpu": 1.2, "full": 8.0, "full_cpu": 8.2,
    "builder_mb": 60.0, "full_mb": 70.0,
    "full_builder": 1.0, "full_mkdocs": 6.0, "full_book": 1.0,
    "full_builder_cpu": 1.2, "full_mkdocs_cpu": 6.0, "full_book_cpu": 1.0,
    "naive_md_mb": 0.5, "naive_pages": 5, "handbook_md_mb": 3.0, "handbook_pages": 37,
}
ROWS = [{"times": 1, "mb": 0.4, "questions": 874, "entries": 605, "seconds": 0.9, "cpu": 1.1, "peak_mb": 63.0}]


def test_the_full_builds_steps_and_mkdocs_cost_per_mb():
    (line,) = where_the_full_build_goes(TIMES)
    assert "builder 1.00 s wall / 1.20 s CPU, mkdocs 6.00 s wall / 6.00 s CPU, book 1.00 s wall / 1.00 s CPU" in line
    assert "3.00 MB of Markdown in 37 pages" in line and "6.0× the naive site's 0.50 MB in 5 pages" in line
    assert "2.00 s per MB there against 4.00 s per MB for the naive site" in line
    # 1.5 × 2.0 s = 3.0 s for everything, less 2.0 s of builder and book: 1.0 s for MkDocs, 0.33 s per MB.
    assert "leave MkDocs 1.00 s for all of it" in line and "0.33 s per MB" in line


def test_the_report_judges_each_aim():
    text = report(TIMES, ROWS, [], repeat=3, load=0.5)
    assert "| (b) builder alone: `python -m builder build` | 1.00 | 1.20 | 0.50 | 0.60 | ≤ 0.25: wall misses the aim, CPU misses the aim |" in text
    assert "| 1× | 0.4 MB | 874 | 605 | 0.90 | 1.10 | 1.26 | 63 MB |" in text
    assert "Where (c)'s time goes" in text
