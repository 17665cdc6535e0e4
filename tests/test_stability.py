"""Determinism and stable URLs: a second build gives a byte-identical site; adding a question before
others (and renumbering them, as an editor would) moves no other question's anchor."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from conftest import ROOT, SOURCES, site_build

BANK = "qa-review-bank-webpage.txt"
NEW_QUESTION = "What does a zebrafinch tokenizer do with emoji?"


def test_make_site_pins_the_build_date():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^SOURCE_DATE_EPOCH \?= \d+$", makefile, re.M) and re.search(r"^export SOURCE_DATE_EPOCH$", makefile, re.M)


def test_two_builds_give_byte_identical_sites(site, tmp_path):
    from builder.pipeline import build

    build(SOURCES, tmp_path / "docs")
    result = site_build(tmp_path / "docs", tmp_path / "site")
    assert result.returncode == 0, result.stderr
    files = sorted(p.relative_to(site) for p in site.rglob("*") if p.is_file())
    again = sorted(p.relative_to(tmp_path / "site") for p in (tmp_path / "site").rglob("*") if p.is_file())
    assert files == again and len(files) > 30
    different = [str(rel) for rel in files if (site / rel).read_bytes() != (tmp_path / "site" / rel).read_bytes()]
    assert different == []


def with_question_added_first(text: str) -> str:
    """The review bank with a new Q1 before its first question and every later number moved up one."""
    renumbered = re.sub(r"^Q(\d+) \[", lambda m: f"Q{int(m.group(1)) + 1} [", text, flags=re.M)
    first = renumbered.index("\nQ2 [") + 1
    return renumbered[:first] + f"Q1 [Easy] {NEW_QUESTION}\n\nIt splits each emoji into its UTF-8 bytes.\n\n\n" + renumbered[first:]


def test_anchors_do_not_move_when_a_question_is_added_before_them(built, tmp_path):
    from builder.pipeline import build

    sources = tmp_path / "sources"
    shutil.copytree(SOURCES, sources)
    (sources / BANK).write_text(with_question_added_first((SOURCES / BANK).read_text(encoding="utf-8")), encoding="utf-8")
    again = build(sources, tmp_path / "docs")
    assert sum(len(p.items) for p in again.parsed) == 875

    def anchors(result) -> dict[tuple[str, str], tuple[str, tuple[str, ...]]]:
        return {(i.source, i.question): (e.id, e.anchors) for e in result.entries for i in e.items}

    before, after = anchors(built), anchors(again)
    moved = {key: (before[key], after.get(key)) for key in before if after.get(key) != before[key]}
    assert moved == {}
    assert any(question == NEW_QUESTION for _, question in after)
    bank_numbers = {i.question: i.number for p in again.parsed if p.source.name == BANK for i in p.items}
    assert bank_numbers[NEW_QUESTION] == "1" and len(bank_numbers) == 69  # the others were renumbered

