"""The command line on bad input: file:line messages, no traceback, the rest still built, exit status."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, SOURCES


def run_build(sources: Path, docs: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "builder", "build", "--sources", str(sources), "--docs", str(docs), "--config", ""],
        capture_output=True, text=True, cwd=ROOT,
    )


def copy_sources(tmp_path: Path) -> Path:
    target = tmp_path / "sources"
    shutil.copytree(SOURCES, target)
    return target


def test_clean_sources_build_and_exit_zero(tmp_path):
    result = run_build(copy_sources(tmp_path), tmp_path / "docs")
    assert result.returncode == 0, result.stderr
    assert "874 questions from 5 sources" in result.stdout
    assert (tmp_path / "docs" / "index.md").exists()


def test_bad_files_are_reported_with_file_and_line_and_the_rest_is_built(tmp_path):
    sources = copy_sources(tmp_path)
    (sources / "empty.txt").write_bytes(b"")
    (sources / "prose.md").write_text("# Notes\n\nNothing to ask here.\n")
    (sources / "picture.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00")
    (sources / "utf16-garbage.txt").write_bytes(b"\xff\xfe\x00\xd8")
    result = run_build(sources, tmp_path / "docs")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    errors = result.stderr.splitlines()
    assert any(line.startswith(f"{sources}/empty.txt:1: error: empty file") for line in errors), errors
    assert any(line.startswith(f"{sources}/prose.md:1: error: no questions found") for line in errors), errors
    assert any(line.startswith(f"{sources}/picture.png:1: error: binary file") for line in errors), errors
    assert any(line.startswith(f"{sources}/utf16-garbage.txt:1: error:") for line in errors), errors
    assert "874 questions" in result.stdout


def test_a_missing_sources_directory_is_a_clear_error(tmp_path):
    result = run_build(tmp_path / "nope", tmp_path / "docs")
    assert result.returncode == 2 and "no such directory" in result.stderr and "Traceback" not in result.stderr
