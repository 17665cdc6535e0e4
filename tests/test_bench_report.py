"""The benchmark's report (``make bench`` is not a test, but what it writes is checked on set figures)."""

from __future__ import annotations

from pathlib import Path

from bench.build_bench import below_aims, navigation_pages, report, where_the_full_build_goes, without_search

TIMES = {
    "naive": 2.0, "naive_cpu": 2.0, "builder": 1.0, "builder_cpu": 1.2, "full": 8.0, "full_cpu": 8.2,
    "full_nosearch": 4.5, "full_nosearch_cpu": 4.6,
    "builder_mb": 60.0, "full_mb": 70.0,
    "full_builder": 1.0, "full_mkdocs": 6.0, "full_book": 1.0,
    "full_builder_cpu": 1.2, "full_mkdocs_cpu": 6.0, "full_book_cpu": 1.0,
    "nosearch_builder": 1.0, "nosearch_mkdocs_nosearch": 2.8, "nosearch_book_nosearch": 0.7,
    "nosearch_builder_cpu": 1.1, "nosearch_mkdocs_nosearch_cpu": 2.8, "nosearch_book_nosearch_cpu": 0.7,
    "naive_md_mb": 0.5, "naive_pages": 5, "handbook_md_mb": 3.0, "handbook_pages": 37,
}
ROWS = [{"times": 1, "mb": 0.4, "questions": 874, "entries": 605, "seconds": 0.9, "cpu": 1.1, "peak_mb": 63.0}]
SCORES = [
    ("Home", "/", {"performance": 98, "accessibility": 100, "low": 96, "high": 99, "tbt_ms": 90, "failing": []}),
    ("Glossary", "/glossary/", {"performance": 88, "accessibility": 96, "low": 80, "high": 91, "tbt_ms": 400, "failing": ["target-size"]}),
    ("naive: largest source page", "/x/", {"performance": 70, "accessibility": 89, "low": 70, "high": 75, "tbt_ms": 900, "failing": []}),
]


def test_the_full_builds_steps_with_and_without_materials_search():
    (line,) = where_the_full_build_goes(TIMES)
    assert "builder 1.00 s wall / 1.20 s CPU, mkdocs 6.00 s wall / 6.00 s CPU, book 1.00 s wall / 1.00 s CPU" in line
    assert "without Material's search (c′): builder 1.00 s wall / 1.10 s CPU, mkdocs 2.80 s wall" in line
    assert "search plugin costs 3.20 s of MkDocs's 6.00 s" in line
    assert "3.00 MB of Markdown in 37 pages" in line and "6.0× the naive site's 0.50 MB in 5 pages" in line


def test_the_report_judges_each_aim():
    text = report(TIMES, ROWS, SCORES, repeat=3, load=0.5)
    assert "| (c) full: builder + `mkdocs build --strict` + `python -m builder book` | 8.00 | 8.20 | 4.00 | 4.10 | ≤ 2.5: wall misses the aim, CPU misses the aim |" in text
    assert "| (c′) full, Material's search plugin off (every page excluded from its index) | 4.50 | 4.60 | 2.25 | 2.30 | ≤ 2.5: wall meets the aim, CPU meets the aim |" in text
    # the builder's share: 1.0 of 8.0 (meets), 1.0 of 4.5 (misses)
    assert "(c) 12% of the wall time (meets the aim)" in text and "(c′) 22% of the wall time (misses the aim)" in text
    # 1.5 × 2.0 s = 3.0 s, less the builder (1.0) and the book (0.7): 1.3 s left for MkDocs
    assert "MkDocs without the search plugin would have 1.30 s (it takes 2.80 s)" in text
    assert "## Plan for 1.5×" in text
    assert "| 1× | 0.4 MB | 874 | 605 | 0.90 | 1.10 | 1.26 | 63 MB |" in text
    assert "| Glossary | `/glossary/` | 88 | 80–91 | 400 ms | 96 | target-size |" in text
    assert "1 of 2 pages meet both aims; below: /glossary/: performance 88; /glossary/: accessibility 96." in text


def test_lighthouse_misses_name_the_page_and_the_score():
    assert below_aims(SCORES) == ["/glossary/: performance 88", "/glossary/: accessibility 96"]
    assert below_aims([("Coverage", "/coverage/", {})]) == ["/coverage/: not measured"]


def test_every_navigation_page_is_measured(tmp_path: Path):
    config = tmp_path / "mkdocs.yml"
    config.write_text(
        "plugins:\n  # the search\n  - search:\n      separator: 'x'\n\nnav:\n- Home: index.md\n- Topics:\n  - RAG: topics/rag.md\n"
        "- Sources:\n  - sources/index.md\n  - sources/chat.md\n- Review: review.md\n",
        encoding="utf-8",
    )
    assert navigation_pages(config) == [
        ("Home", ""), ("RAG", "topics/rag/"), ("Sources: index", "sources/"), ("Sources: chat", "sources/chat/"), ("Review", "review/"),
    ]
    off = without_search(config).read_text(encoding="utf-8")
    assert "plugins: []\n" in off and "search" not in off and "- Home: index.md" in off


def test_the_projects_own_navigation_is_read_tags_and_all():
    """mkdocs.yml names a Python function (``!!python/name:``), which a plain YAML loader rejects."""
    pages = navigation_pages(Path(__file__).resolve().parents[1] / "mkdocs.yml")
    assert ("Glossary", "glossary/") in pages and len(pages) > 25
