"""The write stage: pages into docs/, an unchanged file left alone, a stale one removed."""

from __future__ import annotations

import os

from builder.coverage import compute_coverage
from builder.model import Page
from builder.write import write_docs


def test_write_rewrites_only_what_changed_and_removes_the_rest(tmp_path):
    docs = tmp_path / "docs"
    pages = [Page("index.md", "# Home\n"), Page("topics/a.md", "# A\n"), Page("topics/b.md", "# B\n")]
    write_docs(docs, pages, compute_coverage([], [], [], []))
    for name in ("index.md", "topics/a.md", "topics/b.md"):
        os.utime(docs / name, (1, 1))
    (docs / "stale.md").write_text("old")
    # same content; same size but other content; other size; and b.md gone
    write_docs(docs, [Page("index.md", "# Home\n"), Page("topics/a.md", "# Z\n")], compute_coverage([], [], [], []))
    assert (docs / "index.md").stat().st_mtime == 1  # unchanged: not rewritten
    assert (docs / "topics/a.md").read_text() == "# Z\n" and (docs / "topics/a.md").stat().st_mtime != 1
    assert not (docs / "topics/b.md").exists() and not (docs / "stale.md").exists()
    write_docs(docs, [Page("index.md", "# Home, longer\n")], compute_coverage([], [], [], []))
    assert (docs / "index.md").read_text() == "# Home, longer\n"
    assert not (docs / "topics").exists()  # an emptied folder is removed
