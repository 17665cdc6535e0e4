"""The pipeline's own logic: documents parsed in worker processes give exactly what one process gives."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import builder.pipeline as pipeline

SOURCES = Path(__file__).resolve().parent.parent / "sources"


@pytest.fixture()
def sources_copy(tmp_path: Path) -> Path:
    target = tmp_path / "sources"
    shutil.copytree(SOURCES, target)
    return target


def test_small_inputs_stay_in_one_process(sources_copy: Path) -> None:
    docs, _ = pipeline.read_sources(sources_copy)
    assert pipeline._worker_count(docs) == 1  # the real corpus is below PARALLEL_MIN_CHARS
    assert pipeline._worker_count(docs[:1]) == 1


def test_worker_processes_give_what_one_process_gives(sources_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    serial = pipeline.parse_sources(sources_copy)
    monkeypatch.setattr(pipeline, "PARALLEL_MIN_CHARS", 0)
    monkeypatch.setattr(pipeline.os, "cpu_count", lambda: 2)
    docs, _ = pipeline.read_sources(sources_copy)
    assert pipeline._worker_count(docs) == 2
    assert pipeline.parse_sources(sources_copy) == serial


def test_a_document_failing_in_a_worker_is_reported_and_the_others_built(sources_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_parse = pipeline.parse_source

    def parse_or_fail(doc):  # noqa: ANN001, ANN202 - stands in for parse_source
        if doc.name == "qa-review-bank-webpage.txt":
            raise ValueError("boom")
        return real_parse(doc)

    monkeypatch.setattr(pipeline, "parse_source", parse_or_fail)  # forked workers inherit the patch
    monkeypatch.setattr(pipeline, "PARALLEL_MIN_CHARS", 0)
    monkeypatch.setattr(pipeline.os, "cpu_count", lambda: 2)
    parsed, problems = pipeline.parse_sources(sources_copy)
    assert sorted(p.source.name for p in parsed) == sorted(
        p.name for p in SOURCES.iterdir() if p.suffix == ".txt" and p.name != "qa-review-bank-webpage.txt"
    )
    failures = [p for p in problems if p.file == "qa-review-bank-webpage.txt" and "could not be parsed" in p.message]
    assert len(failures) == 1 and failures[0].line == 1 and "ValueError: boom" in failures[0].message
