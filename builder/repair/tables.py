"""Pipes inside special tokens in Markdown table rows: ``| <|im_start|> | … |`` would split the token
into three cells and push the row's real cells off the table, so those pipes are escaped (``\\|``)."""

from __future__ import annotations

import logging
import re

log = logging.getLogger(__name__)

_ROW = re.compile(r"^\s*\|.*\|\s*$")
_SPECIAL_TOKEN = re.compile(r"<\|([^|<>\s]+)\|>")
_INLINE_CODE = re.compile(r"(`+).+?\1")


def escape_token_pipes(text: str) -> str:
    """``<|x|>`` → ``<\\|x\\|>`` on table rows, outside inline code (where pipes do not split cells)."""

    def row(line: str) -> str:
        if not _ROW.match(line) or "<|" not in line:
            return line
        out: list[str] = []
        position = 0
        for m in _INLINE_CODE.finditer(line):
            out.append(_SPECIAL_TOKEN.sub(r"<\\|\1\\|>", line[position : m.start()]))
            out.append(m.group(0))
            position = m.end()
        out.append(_SPECIAL_TOKEN.sub(r"<\\|\1\\|>", line[position:]))
        return "".join(out)

    return "\n".join(row(line) for line in text.split("\n"))
