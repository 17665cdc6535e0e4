"""The read stage: encodings, line endings, metadata, binary files."""

from __future__ import annotations

import codecs
from pathlib import Path

from builder.read import read_sources


def write(tmp_path: Path, name: str, data: bytes) -> None:
    (tmp_path / name).write_bytes(data)


def test_utf8_utf16_latin1_and_line_endings(tmp_path):
    write(tmp_path, "a.txt", "Q1 [Easy] Café?\r\n\r\nYes.\r\n".encode("utf-8"))
    write(tmp_path, "b.txt", codecs.BOM_UTF16_LE + "Q1 [Easy] Naïve?\n\nYes.\n".encode("utf-16-le"))
    write(tmp_path, "c.txt", "line one\nQ1 [Easy] Résumé?\n".encode("latin-1"))
    docs, problems = read_sources(tmp_path)
    by_name = {d.name: d for d in docs}
    assert by_name["a.txt"].text == "Q1 [Easy] Café?\n\nYes.\n"
    assert by_name["b.txt"].text.startswith("Q1 [Easy] Naïve?") and by_name["b.txt"].encoding == "utf-16"
    assert "Résumé" in by_name["c.txt"].text and by_name["c.txt"].encoding == "cp1252"
    assert [str(p) for p in problems] == ["c.txt:2: warning: not valid UTF-8; decoded as Windows-1252 (Latin-1)"]


def test_binary_files_are_skipped_with_an_error(tmp_path):
    write(tmp_path, "image.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    docs, problems = read_sources(tmp_path)
    assert docs == [] and problems[0].file == "image.png" and problems[0].severity == "error"


def test_metadata_gives_titles_and_order_unlisted_files_still_read(tmp_path):
    (tmp_path / "sources.yml").write_text("sources:\n  z.txt:\n    title: Zed\n    description: Last letter.\n")
    write(tmp_path, "a.md", b"# Alpha doc\n\nQ1 [Easy] A?\n\nA.\n")
    write(tmp_path, "z.txt", b"Q1 [Easy] Z?\n\nZ.\n")
    docs, problems = read_sources(tmp_path)
    assert [(d.name, d.title) for d in docs] == [("z.txt", "Zed"), ("a.md", "Alpha doc")]
    assert problems == []


def test_broken_metadata_is_reported_not_raised(tmp_path):
    (tmp_path / "sources.yml").write_text("sources: [unclosed\n")
    write(tmp_path, "a.txt", b"Q1 [Easy] A?\n\nA.\n")
    docs, problems = read_sources(tmp_path)
    assert len(docs) == 1 and problems[0].file == "sources.yml"
