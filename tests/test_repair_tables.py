"""The table-pipe repair: a pipe inside a cell (``<|im_start|>``) keeps its table row whole."""

from __future__ import annotations

import markdown

from builder.repair import ANSWER_STEPS
from builder.repair.tables import escape_pipes_in_cells


def test_pipes_inside_cells_are_escaped_so_the_row_keeps_its_cells():
    text = "| Token | Use |\n|---|---|\n| <|im_start|> | ChatML role start |"
    fixed = escape_pipes_in_cells(text)
    assert fixed.endswith(r"| <\|im_start\|> | ChatML role start |")
    html = markdown.markdown(fixed, extensions=["tables"])
    assert "<td>&lt;|im_start|&gt;</td>" in html and "<td>ChatML role start</td>" in html


def test_rows_that_fit_their_header_and_prose_are_left_alone():
    text = "prose <|endoftext|> here\n\n| a | b |\n|---|---|\n| 1 | 2 |"
    assert escape_pipes_in_cells(text) == text


def test_the_step_runs_in_the_repair_stage_and_never_in_code():
    step = ANSWER_STEPS["table-pipes"]
    code = "```\n| a |\n|---|\n| <|a|> | b |\n```"
    assert step(code) == code
    assert step("| a | b |\n|---|---|\n| <|a|> | b |").endswith(r"| <\|a\|> | b |")
