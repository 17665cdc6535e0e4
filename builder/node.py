"""The Node tools the build uses (KaTeX, MiniSearch, ts-fsrs), installed by ``npm ci`` into ``node_modules/``."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
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


def run_node(node: str, script: Path, payload: str, timeout: float = 300, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``script`` with ``payload`` on its standard input; its output and errors as text.

    The three streams are temporary files, not pipes. The builder runs Node from a thread while its
    main thread works: over a pipe, each chunk read or written would wait for the main thread to
    give up the interpreter's lock (every few milliseconds), and Node would stall on a full pipe
    meanwhile. With files, Node runs unhindered and the thread only waits for it to exit.
    Raises OSError when Node cannot start and ``subprocess.TimeoutExpired`` when it runs too long.
    """
    with tempfile.TemporaryFile() as stdin, tempfile.TemporaryFile() as stdout, tempfile.TemporaryFile() as stderr:
        stdin.write(payload.encode("utf-8"))
        stdin.seek(0)
        with subprocess.Popen([node, str(script)], stdin=stdin, stdout=stdout, stderr=stderr, cwd=cwd) as process:
            try:
                returncode = process.wait(timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                raise
        stdout.seek(0)
        stderr.seek(0)
        return subprocess.CompletedProcess(process.args, returncode, stdout.read().decode("utf-8"), stderr.read().decode("utf-8", "replace"))
