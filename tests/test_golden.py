"""Golden tests on the real sources: counts, sample questions in the built HTML, no mojibake, determinism."""

from __future__ import annotations

import random
import re
from collections import Counter
from pathlib import Path

import pytest

from conftest import EXPECTED_COUNTS, SOURCES, page_text

MOJIBAKE = re.compile("‚Äî|‚Äô|‚Ä|üß|Ô∏|üè|√©|Ã©|â€|Â |ðŸ|\ufffd")


def test_every_source_gives_its_expected_number_of_questions(built):
    counts = {p.source.name: len(p.items) for p in built.parsed}
    assert counts == EXPECTED_COUNTS
    assert sum(counts.values()) == 874


def test_every_file_in_sources_is_read(built):
    on_disk = {p.name for p in SOURCES.iterdir() if p.is_file() and p.name != "sources.yml"}
    assert {p.source.name for p in built.parsed} == on_disk


def test_the_real_build_has_no_problems(built):
    assert built.ok and [str(p) for p in built.problems] == []


def test_items_carry_source_line_and_number(built):
    raw = {p.source.name: p.source.text.split("\n") for p in built.parsed}
    for parsed in built.parsed:
        for item in parsed.items:
            line = raw[item.source][item.line - 1]
            assert item.number in line, (item.key, line)


def test_levels_are_normalised_where_sources_give_them(built):
    by_source = {p.source.name: Counter(i.level.label if i.level else None for i in p.items) for p in built.parsed}
    assert by_source["qa-review-bank-webpage.txt"] == {"Beginner": 16, "Intermediate": 29, "Advanced": 23}
    assert by_source["200-llm-interview-questions.txt"] == {"Beginner": 50, "Intermediate": 70, "Advanced": 80}
    assert by_source["llm-architecture-quantization-performance.txt"] == {None: 200}


def test_chat_export_keeps_one_rendition_each_and_excludes_the_chatter(built):
    chat = next(p for p in built.parsed if p.source.name == "expanded-qa-chat-export.txt")
    assert all(i.rendition in (1, 2) and len(i.other_renditions) == 1 for i in chat.items)
    excluded = " ".join(e.text for e in chat.excluded)
    for chatter in ("go go", "letts do all", "how do i load this to a docx", "Method 2: Using the Pandoc"):
        assert chatter in excluded
        assert all(chatter not in i.answer for i in chat.items)


def test_guide_numbered_questions_and_code_stay_code(built):
    guide = next(p for p in built.parsed if p.source.name == "llm-fundamentals-interview-guide.txt")
    assert sorted(int(i.number) for i in guide.items if i.number) == list(range(1, 13))
    tokenization = next(i for i in guide.items if i.question.startswith("What is tokenization"))
    assert "**Byte Pair Encoding (BPE)**" in tokenization.answer or "### Byte Pair Encoding (BPE)" in tokenization.answer
    assert "# Using tiktoken (OpenAI's tokenizer)" in tokenization.answer


def test_quick_reference_and_study_tips_are_kept_as_a_page(built, site):
    page = (site / "reference" / "200-llm-interview-questions" / "index.html").read_text(encoding="utf-8")
    text = page_text(page)
    for heading in ("Quick Reference", "Key Concepts Summary", "Study Tips", "Common Pitfalls to Avoid"):
        assert heading in text
    assert "<table>" in page


@pytest.mark.parametrize("source", sorted(EXPECTED_COUNTS))
def test_twenty_random_questions_per_source_appear_word_for_word(built, site, source):
    raw = (SOURCES / source).read_text(encoding="utf-8")
    parsed = next(p for p in built.parsed if p.source.name == source)
    sample = random.Random(874).sample(list(parsed.items), 20)
    html = " ".join(page_text(p.read_text(encoding="utf-8")) for p in (site / "topics").rglob("index.html"))
    for item in sample:
        assert " ".join(item.question.split()) in " ".join(raw.split()), item.question
        assert item.question in html, item.question


def test_no_mojibake_anywhere_in_docs_or_site(built, build_dir, site):
    for root in (build_dir / "docs", site):
        for path in root.rglob("*"):
            if path.suffix in {".md", ".html", ".json"} and "search" not in path.parts:
                bad = MOJIBAKE.search(path.read_text(encoding="utf-8"))
                assert bad is None, f"{path}: {bad.group(0)!r}"


def test_every_question_and_every_excluded_fragment_is_accounted_for(built):
    cov = built.coverage
    assert cov.totals.questions == 874
    assert sum(s.questions for s in cov.sources) == 874
    assert sum(len(e.items) for e in built.entries) == 874
    assert all(e.file and e.line > 0 and e.reason for e in cov.excluded)


def test_two_builds_give_byte_identical_docs(tmp_path):
    from builder.pipeline import build

    build(SOURCES, tmp_path / "a")
    build(SOURCES, tmp_path / "b")
    files_a = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*") if p.is_file())
    files_b = sorted(p.relative_to(tmp_path / "b") for p in (tmp_path / "b").rglob("*") if p.is_file())
    assert files_a == files_b
    for rel in files_a:
        assert (tmp_path / "a" / rel).read_bytes() == (tmp_path / "b" / rel).read_bytes(), rel


def test_pages_exist_for_home_topics_sources_and_coverage(built, site):
    assert (site / "index.html").exists() and (site / "coverage" / "index.html").exists()
    for section in built.sections:
        assert (site / "topics" / section.topic.slug / "index.html").exists()
    for parsed in built.parsed:
        assert (site / "sources" / parsed.source.slug / "index.html").exists()


def test_every_list_a_source_wrote_is_a_list_on_the_page(built):
    """No paragraph of an answer holds a line that starts a list item: lists written straight under a
    line of text, or indented two spaces, are lists (Python-Markdown ran two answers' into paragraphs)."""
    item_line = re.compile(r"\n\s*(?:[-*+]|\d+[.)])\s+\S")
    run_in = [key for key, held in built.converted.answers.items() for p in re.findall(r"<p>(.*?)</p>", held.html, re.S) if item_line.search(p)]
    assert run_in == []
    static = [held.html for (entry_id, _), held in built.converted.answers.items() if entry_id == "what-is-static-quantization"]
    assert any("<li><strong>Steps:</strong></li>\n</ul>\n<ol>\n<li>Calibrate with sample dataset.</li>" in html for html in static)
