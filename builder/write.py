"""The write stage: pages, static assets and ``coverage.json`` into ``docs/``, byte for byte the same
for the same input. The builder owns ``docs/``: whatever a previous build left there and this one
does not write is removed, so a question taken out of a source leaves no stale page behind."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Mapping, Sequence

import frontmatter

from builder.coverage import Coverage
from builder.model import Page
from builder.typeset import katex_assets
from builder.render.safety import safe_front_matter

ASSETS = Path(__file__).resolve().parent / "assets"


def page_text(page: Page) -> str:
    if not page.front_matter:
        return page.markdown
    post = frontmatter.Post(page.markdown, **safe_front_matter(dict(page.front_matter)))
    return frontmatter.dumps(post, sort_keys=True, allow_unicode=True) + "\n"


def write_docs(docs: Path, pages: Sequence[Page], coverage: Coverage, binaries: Mapping[str, bytes] | None = None) -> list[Path]:
    """Write every page, ``coverage.json``, the static assets and ``binaries`` (by path under ``docs/``)."""
    files: dict[Path, bytes] = {docs / p.path: page_text(p).encode("utf-8") for p in pages}
    files.update({docs / path: data for path, data in (binaries or {}).items()})
    files[docs / "coverage.json"] = (json.dumps(coverage.as_json(), indent=1, ensure_ascii=False, sort_keys=False) + "\n").encode("utf-8")
    for asset in sorted(ASSETS.rglob("*")):
        if asset.is_file():
            files[docs / "assets" / asset.relative_to(ASSETS)] = asset.read_bytes()
    files.update({docs / path: data for path, data in katex_assets().items()})
    docs.mkdir(parents=True, exist_ok=True)
    for existing in sorted(docs.rglob("*"), reverse=True):
        if existing.is_file() and existing not in files:
            existing.unlink()
        elif existing.is_dir() and not any(existing.iterdir()):
            existing.rmdir()
    folders: set[Path] = set()
    for path, data in files.items():
        if path.parent not in folders:
            path.parent.mkdir(parents=True, exist_ok=True)
            folders.add(path.parent)
        # An unchanged file is not rewritten (its time stamp stays); a file of another size has changed
        # without reading it back.
        if not _holds(path, data):
            path.write_bytes(data)
    return sorted(files)


def _holds(path: Path, data: bytes) -> bool:
    """Whether the file at ``path`` holds exactly ``data``."""
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except FileNotFoundError:
        return False
