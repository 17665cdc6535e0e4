"""Markdown shape repairs: empty bullets, tables pasted twice, line structure of copied plain text."""

from __future__ import annotations

import re

_EMPTY_BULLET = re.compile(r"^\s*[-*+]\s*$")
_TABLE_ROW = re.compile(r"^\s*\|.*\|\s*$")
_MARKDOWN_LINE = re.compile(r"^\s*([-*+>#|]|\d+[.)]\s|`{3}|~{3}|\$\$|<)")
_SHORT = 90


def drop_empty_bullets(text: str) -> str:
    """A lone ``-`` line is a list separator left by a chat's Markdown export, not content."""
    return "\n".join(line for line in text.split("\n") if not _EMPTY_BULLET.match(line))


def _blocks(lines: list[str]) -> list[tuple[bool, list[str]]]:
    """Group consecutive table rows; everything else stays line by line."""
    out: list[tuple[bool, list[str]]] = []
    for line in lines:
        is_row = bool(_TABLE_ROW.match(line))
        if is_row and out and out[-1][0]:
            out[-1][1].append(line)
        else:
            out.append((is_row, [line]))
    return out


def dedupe_consecutive_tables(text: str) -> str:
    """A table that a copy pasted twice in a row (blank lines between at most) appears once."""
    if "|" not in text:
        return text  # no table row
    blocks = _blocks(text.split("\n"))
    kept: list[tuple[bool, list[str]]] = []
    for is_table, lines in blocks:
        if is_table:
            previous = [b for b in kept if b[0] or "".join(b[1]).strip()]
            if previous and previous[-1][0] and _norm(previous[-1][1]) == _norm(lines):
                while kept and not kept[-1][0]:
                    kept.pop()  # the blank lines between the two copies
                continue
        kept.append((is_table, lines))
    return "\n".join(line for _, lines in kept for line in lines)


_TABLE_DELIMITER = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")


def separate_tables(text: str) -> str:
    """A table written straight under a line of text (``**Sizes:**`` then ``| Model | … |``) gets the
    blank lines Markdown needs to see it as a table, not as a paragraph of pipes."""
    if "|" not in text:
        return text  # no table row
    lines = text.split("\n")
    out: list[str] = []
    in_table = False
    for i, line in enumerate(lines):
        is_row = bool(_TABLE_ROW.match(line))
        starts_table = is_row and not in_table and i + 1 < len(lines) and bool(_TABLE_DELIMITER.match(lines[i + 1]))
        if starts_table and out and out[-1].strip():
            out.append("")
        elif in_table and not is_row and line.strip():
            out.append("")  # and a line of text straight after a table is not one more row
        in_table = starts_table or (in_table and is_row)
        out.append(line)
    return "\n".join(out)


def separate_lists(text: str) -> str:
    """A list written straight under a line of text (``**Why it matters:**`` then ``- Determines …``)
    gets the blank line Python-Markdown needs to see a list, not one run-on paragraph (CommonMark,
    which converts the answers, sees the list either way; MkDocs converts the reference sections)."""
    lines = text.split("\n")
    out: list[str] = []
    in_list = False
    for line in lines:
        is_item = bool(_ITEM.match(line))
        if is_item and not in_list and out and out[-1].strip() and not out[-1].lstrip().startswith(("#", "|", "<")):
            out.append("")
        if is_item:
            in_list = True
        elif in_list and line.strip() and not line.startswith((" ", "\t")) and not out[-1].strip():
            in_list = False  # a paragraph after a blank line ends the list
        out.append(line)
    return "\n".join(out)


def _norm(rows: list[str]) -> list[str]:
    return [re.sub(r"\s+", " ", r.strip()) for r in rows]


def keep_line_breaks(text: str) -> str:
    """Three or more consecutive short plain lines (a cheat sheet copied from a web page) keep their
    line breaks instead of running together into one paragraph."""
    lines = text.split("\n")
    out = list(lines)
    i = 0
    while i < len(lines):
        j = i
        while j < len(lines) and lines[j].strip() and len(lines[j]) <= _SHORT and not _MARKDOWN_LINE.match(lines[j]):
            j += 1
        if j - i >= 3:
            for k in range(i, j - 1):
                out[k] = lines[k].rstrip() + "  "
        i = max(j, i + 1)
    return "\n".join(out)


_ITEM = re.compile(r"^( {0,3})([-*+]|\d+[.)])\s+(.*)$")
_ENDS_WITH_COLON = re.compile(r":(\*\*|__)?\s*$")


def nest_list_items(text: str) -> str:
    """Sub-items that a chat export indented by one to three spaces under a label item ("- **Steps:**")
    are nested under it (Markdown needs four), so their numbering and hierarchy survive."""
    out: list[str] = []
    nesting = False
    label_above = False
    for line in text.split("\n"):
        m = _ITEM.match(line)
        if m is None:
            if line.strip() and not line.startswith("    "):
                nesting = label_above = False
            out.append(line)
            continue
        depth = len(m.group(1))
        if depth == 0:
            nesting = False
            label_above = bool(_ENDS_WITH_COLON.search(line))
        elif nesting or label_above:
            nesting = True
            line = "    " + line.lstrip()
        out.append(line)
    return "\n".join(out)
