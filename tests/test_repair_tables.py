"""The table-pipe repair: special tokens such as <|im_start|> keep their table row whole."""

from __future__ import annotations

import markdown

from builder.repair import ANSWER_STEPS
from builder.repair.tables import escape_token_pipes


def test_pipes_inside_special_tokens_on_table_rows_are_escaped():
    text = "| Token | Use |\n|---|---|\n| <|im_start|> | ChatML role start |"
    fixed = escape_token_pipes(text)
    assert fixed.endswith(r"| <\|im_start\|> | ChatML role start |")
    html = markdown.markdown(fixed, extensions=["tables"])
    assert "<td>&lt;|im_start|&gt;</td>" in html and "<td>ChatML role start</td>" in html


def test_prose_and_inline_code_are_left_alone():
    text = "prose <|endoftext|> here\n| `<|x|>` | a |"
    assert escape_token_pipes(text) == text


def test_the_step_runs_in_the_repair_stage():
    assert "token-pipes" in ANSWER_STEPS
    assert ANSWER_STEPS["token-pipes"]("| <|a|> | b |\n```\n| <|a|> |\n```") == "| <\\|a\\|> | b |\n```\n| <|a|> |\n```"
