"""The Node tools the build uses (KaTeX, MiniSearch, ts-fsrs), installed by ``npm ci`` into ``node_modules/``."""

from __future__ import annotations

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent  # the project: package.json and node_modules/ are here
NODE_MODULES = ROOT / "node_modules"
_SOURCE_MAP = "//# sourceMappingURL="


def find_node() -> str | None:
    """The ``node`` executable (Debian also names it ``nodejs``), or None."""
    return shutil.which("node") or shutil.which("nodejs")


NOT_INSTALLED = "node is not installed: run `make` (it installs Node tools with npm ci)"


def without_source_map(script: str) -> str:
    """A package's browser build without the line naming its source map, which the site does not serve."""
    return "\n".join(line for line in script.split("\n") if not line.startswith(_SOURCE_MAP))
