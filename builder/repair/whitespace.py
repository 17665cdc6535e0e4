"""White space: trailing spaces (but Markdown hard breaks), tabs, runs of blank lines, stray ends."""

from __future__ import annotations

import re

_HARD_BREAK = re.compile(r"\S {2,}$")
_BLANK_RUN = re.compile(r"\n{3,}")
_NBSP = re.compile("[\u00a0\u2007\u202f]")
_ZERO_WIDTH = re.compile("[\u200b\u200c\u2060\ufeff]")
_SPECIAL_SPACE = re.compile("[\u00a0\u2007\u202f\u200b\u200c\u2060\ufeff]")
_OTHER_SPACE = re.compile(r"[^\S \n]")  # white space but a space or a line break: tabs and the rare ones
_SPACE_AT_LINE_END = re.compile(r"[^\S\n](?:\n|\Z)")
# The ASCII characters _OTHER_SPACE matches; a search for each (str.find) beats the negated class.
OTHER_ASCII_SPACE = "\t\x0b\x0c\r\x1c\x1d\x1e\x1f"


def untidy(text: str) -> bool:
    """Whether normalise_whitespace has anything to change: a special space, white space ending a
    line, a run of blank lines, or a line break at either end. Most texts have none and skip the line
    loop. Plain tests first: a text whose only white space is spaces and line breaks ends a line with
    white space only where it holds " \\n" or ends with a space."""
    if text.startswith("\n") or text.endswith(("\n", " ")) or "\n\n\n" in text or " \n" in text:
        return True
    if text.isascii():  # no special space; the other white space is a few control characters
        other = any(c in text for c in OTHER_ASCII_SPACE)
    elif _SPECIAL_SPACE.search(text):
        return True
    else:
        other = _OTHER_SPACE.search(text) is not None
    return other and _SPACE_AT_LINE_END.search(text) is not None


def normalise_whitespace(text: str) -> str:
    if not untidy(text):
        return text
    lines = _ZERO_WIDTH.sub("", _NBSP.sub(" ", text)).split("\n")
    out = []
    for i, line in enumerate(lines):
        # Two trailing spaces before a following line are a Markdown hard break: keep exactly two.
        keep_break = _HARD_BREAK.search(line) and i + 1 < len(lines) and lines[i + 1].strip()
        out.append(line.rstrip() + ("  " if keep_break else ""))
    return _BLANK_RUN.sub("\n\n", "\n".join(out)).strip("\n")


def collapse_inline(text: str) -> str:
    """One line, single spaces: for questions and titles."""
    if not text.isascii():  # the special spaces are all outside ASCII
        text = _ZERO_WIDTH.sub("", _NBSP.sub(" ", text))
    # str.split() cuts at the white space \s stands for (both use str.isspace), dropping it at the
    # ends: re.sub(r"\s+", " ", text).strip(), without the regex
    return " ".join(text.split())
