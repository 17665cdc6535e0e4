"""White space: trailing spaces (but Markdown hard breaks), tabs, runs of blank lines, stray ends."""

from __future__ import annotations

import re

_HARD_BREAK = re.compile(" {2,}")
_BLANK_RUN = re.compile(r"\n{3,}")
_NBSP = re.compile("[\u00a0\u2007\u202f]")
_ZERO_WIDTH = re.compile("[\u200b\u200c\u2060\ufeff]")


def normalise_whitespace(text: str) -> str:
    lines = _ZERO_WIDTH.sub("", _NBSP.sub(" ", text)).split("\n")
    out = []
    for i, line in enumerate(lines):
        body = line.rstrip()
        # Two or more spaces ending a line of text before another line of text are a Markdown hard
        # break: keep exactly two.
        hard_break = body and _HARD_BREAK.fullmatch(line, len(body)) and i + 1 < len(lines) and lines[i + 1].strip()
        out.append(body + "  " if hard_break else body)
    return _BLANK_RUN.sub("\n\n", "\n".join(out)).strip("\n")


def collapse_inline(text: str) -> str:
    """One line, single spaces: for questions and titles."""
    return " ".join(_ZERO_WIDTH.sub("", text).split())  # str.split() also cuts at no-break spaces
