"""White space: trailing spaces (but Markdown hard breaks), tabs, runs of blank lines, stray ends."""

from __future__ import annotations

import re

_TRAILING = re.compile(r"(?<! ) +$|[ \t]{3,}$|\t+$", re.MULTILINE)
_BLANK_RUN = re.compile(r"\n{3,}")
_NBSP = re.compile("[\u00a0\u2007\u202f]")
_ZERO_WIDTH = re.compile("[\u200b\u200c\u2060\ufeff]")


def normalise_whitespace(text: str) -> str:
    text = _ZERO_WIDTH.sub("", _NBSP.sub(" ", text))
    text = _TRAILING.sub("", text)
    return _BLANK_RUN.sub("\n\n", text).strip("\n")


def collapse_inline(text: str) -> str:
    """One line, single spaces: for questions and titles."""
    return re.sub(r"\s+", " ", _ZERO_WIDTH.sub("", _NBSP.sub(" ", text))).strip()
