"""Runs the search's own scripts (builder/search/web/) in Node, on inputs a test writes inline.

The query step and MiniSearch run in the reader's browser, so they are JavaScript; Node runs the
very same files (they load as classic scripts in the worker and as CommonJS modules here).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from typing import Any

from builder.search.index import ROOT, WEB

_PRELUDE = f"""
const Q = require({json.dumps(str(WEB / "query.js"))});
const E = require({json.dumps(str(WEB / "engine.js"))});
const MiniSearch = require("minisearch");
const input = JSON.parse(require("fs").readFileSync(0, "utf8"));
"""


def run_js(body: str, data: Any = None) -> Any:
    """Runs ``body`` (a function body: ``Q`` is query.js, ``E`` engine.js, ``MiniSearch`` the pinned
    engine, ``input`` the JSON of ``data``) and returns what it returns (or what the promise it
    returns resolves to), through JSON."""
    node = shutil.which("node") or shutil.which("nodejs")
    assert node, "node is not installed: run `make`"
    script = _PRELUDE + f"Promise.resolve((() => {{ {body} }})()).then((out) => process.stdout.write(JSON.stringify(out)));"
    proc = subprocess.run([node, "-e", script], input=json.dumps(data), capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)
