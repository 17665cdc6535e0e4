"""Table cells that contain a pipe: ``| <|im_start|> | Chat role start |``.

A Markdown table splits every row at its pipes, and Python-Markdown and GitHub's tables alike drop
the cells beyond the header's count, so a pipe that is part of a cell's text (a ChatML token,
``a|b``) silently loses the rest of the row. Such pipes are escaped (``\\|``), which the table
extension shows as ``|``.
"""

from __future__ import annotations

import logging
import re

log = logging.getLogger(__name__)

_ROW = re.compile(r"^\s*\|.*\|\s*$")
_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
# A pipe between two non-blank characters is text, not a column border: "<|im_start|>", "a|b".
_INNER_PIPE = re.compile(r"(?<=[^\s|\\])\|(?=[^\s|])")
_CELL_BORDER = re.compile(r"(?<!\\)\|")


def _cells(row: str) -> int:
    return len(_CELL_BORDER.findall(row.strip())) - 1


def escape_pipes_in_cells(text: str) -> str:
    """Escape the pipes inside cells of rows that have more cells than their table's header."""
    if "|" not in text:
        return text  # no table row
    lines = text.split("\n")
    for i in range(1, len(lines)):
        if not _SEPARATOR.match(lines[i]) or not _ROW.match(lines[i - 1]):
            continue
        columns = _cells(lines[i - 1])
        j = i + 1
        while j < len(lines) and _ROW.match(lines[j]):
            if _cells(lines[j]) > columns:
                escaped = _INNER_PIPE.sub(r"\\|", lines[j])
                if _cells(escaped) == columns:
                    lines[j] = escaped
                else:
                    log.debug("table row with more cells than its header left as is: %r", lines[j])
            j += 1
    return "\n".join(lines)
