"""Headless Chromium (Debian's ``chromium``, driven by Playwright) against the built site on loopback.

Playwright's own browser download does not work here; ``make test`` installs Debian's package and
these helpers point Playwright at it with ``executable_path``.
"""

from __future__ import annotations

from builder.printing.pdf import CHROMIUM_ARGS  # the flags `make pdf` launches Chromium with
from builder.printing.pdf import chromium_path as builder_chromium_path
from builder.printing.pdf import serve  # the same loopback server `make pdf` prints from


def chromium_path() -> str:
    path = builder_chromium_path()
    if not path:
        raise RuntimeError("Debian's chromium is not installed: run `make test`, which installs it")
    return path


__all__ = ["CHROMIUM_ARGS", "chromium_path", "serve"]
