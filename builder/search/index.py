"""The search's files in ``docs/``: the index, written by MiniSearch in one Node process, and the
worker that answers Material's search box from it.

The index is built at build time, so the reader's browser only loads it (no index built on every
page load, nothing parsed on the page's main thread). Node runs ``web/build_index.js`` over the
pinned ``node_modules/minisearch``, as the typeset stage runs KaTeX. The worker is one classic
script (Material starts it with ``new Worker``): MiniSearch's browser build, the query step, the
engine's options and Material's protocol, one after another.
"""

from __future__ import annotations

import hashlib
import json
import logging
import subprocess
from pathlib import Path
from typing import Mapping, Sequence

from builder.model import Problem
from builder.node import NODE_MODULES, NOT_INSTALLED, ROOT, find_node, run_node, without_source_map
from builder.search.documents import SearchDocument
from builder.search.rules import SearchRules

log = logging.getLogger(__name__)

WEB = Path(__file__).resolve().parent / "web"
MINISEARCH = NODE_MODULES / "minisearch" / "dist" / "umd" / "index.js"
BUILD_SCRIPT = WEB / "build_index.js"
WORKER_PARTS = (WEB / "query.js", WEB / "engine.js", WEB / "worker.js")

FOLDER = "assets/search"
INDEX_PATH = f"{FOLDER}/index.json"
WORKER_PATH = f"{FOLDER}/worker.js"  # where builder/theme/main.html points Material's page


class SearchIndexError(RuntimeError):
    """Node or MiniSearch is missing, or the index could not be written."""


def index_json(
    documents: Sequence[SearchDocument], rules: SearchRules, topics: Mapping[str, str], node: str | None = None
) -> str:
    """The index file's text: ``{rules, topics, index}``, MiniSearch's index serialised by Node."""
    node = node or find_node()
    if not node:
        raise SearchIndexError(NOT_INSTALLED)
    if not MINISEARCH.is_file():
        raise SearchIndexError(f"{MINISEARCH.parents[2]} is missing: run `make node_modules/.installed`")
    fields = list(rules.fields)
    payload = json.dumps({
        "rules": rules.as_json(),
        "topics": dict(topics),
        "documents": [d.as_json(fields) for d in documents],
    }, ensure_ascii=False)
    try:
        proc = run_node(node, BUILD_SCRIPT, payload, cwd=ROOT)
    except (OSError, subprocess.TimeoutExpired) as err:
        raise SearchIndexError(f"the search index could not be written: {err}") from err
    if proc.returncode != 0:
        raise SearchIndexError(f"the search index could not be written (Node exited with {proc.returncode}): {proc.stderr.strip()[-500:]}")
    return proc.stdout + "\n"


def worker_js(index_text: str) -> str:
    """The worker: MiniSearch's browser build and ours, one script, told the index's URL and hash."""
    version = hashlib.sha256(index_text.encode("utf-8")).hexdigest()[:12]
    engine = without_source_map(MINISEARCH.read_text(encoding="utf-8"))
    parts = [f'self.HANDBOOK_SEARCH_INDEX = "index.json?v={version}";', engine, *(p.read_text(encoding="utf-8") for p in WORKER_PARTS)]
    return "\n;\n".join(part.strip() for part in parts) + "\n"


def search_files(
    documents: Sequence[SearchDocument], rules: SearchRules, topics: Mapping[str, str], node: str | None = None
) -> tuple[dict[str, bytes], list[Problem]]:
    """The index and the worker, by path under ``docs/``; or none and an error."""
    try:
        text = index_json(documents, rules, topics, node)
    except SearchIndexError as err:
        return {}, [Problem(BUILD_SCRIPT.relative_to(ROOT).as_posix(), 1, f"no search: {err}")]
    log.info("search index: %d documents, %d bytes", len(documents), len(text.encode("utf-8")))
    return {INDEX_PATH: text.encode("utf-8"), WORKER_PATH: worker_js(text).encode("utf-8")}, []
