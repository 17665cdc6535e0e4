"""Each repair step on its own, inline input → expected output."""

from __future__ import annotations

import random
import re

import pytest

from builder.markdown_text import on_prose
from builder.model import Item, Parsed, SourceDoc
from builder.repair import ANSWER_STEPS, QUESTION_STEPS, repair_parsed
from builder.repair.chat import clean_question, strip_speaker_lines
from builder.repair.code import attach_code_language, merge_split_fences
from builder.repair.markdown import dedupe_consecutive_tables, drop_empty_bullets, keep_line_breaks, nest_list_items
from builder.repair.mojibake import fix_mojibake
from builder.repair.whitespace import collapse_inline, normalise_whitespace


@pytest.mark.parametrize(
    ("broken", "fixed"),
    [
        ("# üß† LLM Architecture", "# 🧠 LLM Architecture"),
        ("## üèóÔ∏è Section 1", "## 🏗️ Section 1"),
        ("## ‚ö° Section 3", "## ⚡ Section 3"),
        ("## üìâ Section 2", "## 📉 Section 2"),
        ("a ‚Äî b", "a — b"),
        ("x ‚Üí y", "x → y"),
    ],
)
def test_mojibake_from_mac_roman_is_undone(broken, fixed):
    assert fix_mojibake(broken) == fixed


@pytest.mark.parametrize("clean", ["Müller “quoted” café", "√d_k → θ ≈ ∑ ×", "naïve résumé —", "日本語", "plain ascii"])
def test_correct_text_is_left_alone(clean):
    assert fix_mojibake(clean) == clean


def test_split_code_fences_merge_into_one_block():
    text = "Code:\n\n```\nfor i in x:\n```\n\n```\n    y(i)\n```\n\nAfter."
    assert merge_split_fences(text) == "Code:\n\n```\nfor i in x:\n    y(i)\n```\n\nAfter."


def test_separate_multi_line_blocks_stay_separate():
    text = "```python\na = 1\nb = 2\n```\n\n```bash\nls\nls -l\n```"
    assert merge_split_fences(text) == text


def test_blocks_with_prose_between_stay_separate():
    text = "```\na\n```\n\nthen\n\n```\nb\n```"
    assert merge_split_fences(text) == text


def test_language_label_line_becomes_the_fence_language():
    assert attach_code_language("Python\n\n```\nimport torch\n```") == "```python\nimport torch\n```"
    assert attach_code_language("Bash\n```\nls\n```") == "```bash\nls\n```"
    assert attach_code_language("Python is great\n```\nx\n```") == "Python is great\n```\nx\n```"


def test_empty_bullets_are_dropped():
    assert drop_empty_bullets("- a\n-\n- b\n -") == "- a\n- b"


def test_a_table_pasted_twice_appears_once():
    table = "| a | b |\n|---|---|\n| 1 | 2 |"
    assert dedupe_consecutive_tables(f"{table}\n\n{table}\n\nafter") == f"{table}\n\nafter"
    other = "| a | b |\n|---|---|\n| 3 | 4 |"
    assert dedupe_consecutive_tables(f"{table}\n\n{other}") == f"{table}\n\n{other}"


def test_runs_of_short_plain_lines_keep_their_breaks():
    text = "Topic Key\nTokens ~0.75\nBF16 2 bytes\n\nA paragraph."
    assert keep_line_breaks(text) == "Topic Key  \nTokens ~0.75  \nBF16 2 bytes\n\nA paragraph."
    assert keep_line_breaks("- a\n- b\n- c") == "- a\n- b\n- c"


def test_whitespace_is_normalised_but_hard_breaks_survive():
    assert normalise_whitespace("a  \nb \t\n\n\n\nc\u00a0d ") == "a  \nb\n\nc d"
    assert normalise_whitespace("a \nb") == "a\nb"
    assert normalise_whitespace("a\n\n\n\nb\n") == "a\n\nb"
    assert normalise_whitespace("a\t  \nb") == "a\nb"  # a hard break is spaces only
    assert collapse_inline("  What   is\nGQA? ") == "What is GQA?"


# What normalise_whitespace changes: a special space, white space ending a line, a run of blank lines,
# or a line break at either end. A text with none of them is left as it is.
_UNTIDY = re.compile("[\u00a0\u2007\u202f\u200b\u200c\u2060\ufeff]|[^\\S\n]$|\n\n\n|\\A\n|\n\\Z", re.MULTILINE)


def test_a_tidy_text_is_left_as_it_is():
    rnd = random.Random(10)
    atoms = ["\n", "\n", " ", "  ", "\t", "x", "word", "\u00a0", "\u200b", "\x0b", "\r", "\u2028", "\u2003", "\x1c"]
    for _ in range(6000):
        text = "".join(rnd.choice(atoms) for _ in range(rnd.randint(0, 18)))
        if not _UNTIDY.search(text):
            assert normalise_whitespace(text) == text, repr(text)


def test_chat_speaker_lines_and_question_labels():
    assert strip_speaker_lines("text\nChatGPT said:\nmore") == "text\n\nmore"
    assert clean_question("Q: What is A?") == "What is A?"
    assert clean_question("**What is A?**") == "What is A?"


def test_code_is_never_touched_by_prose_steps():
    text = "-\n```\n-\n```"
    assert on_prose(drop_empty_bullets, text) == "\n```\n-\n```"


def test_steps_are_named_and_ordered():
    assert list(ANSWER_STEPS)[0] == "mojibake" and "split-fences" in ANSWER_STEPS
    assert list(QUESTION_STEPS)[0] == "mojibake"


def test_repair_repairs_question_answer_and_section():
    item = Item("s.txt", "1", 1, "  What is   ‚Äî ? ", "```\na\n```\n\n```\nb\n```", section="üß† Section")
    (fixed,) = repair_parsed(Parsed(SourceDoc("s.txt", "s", "S", "", "", "utf-8"), (item,))).items
    assert (fixed.question, fixed.answer, fixed.section) == ("What is — ?", "```text\na\nb\n```", "🧠 Section")


def test_shallow_sub_items_under_a_label_item_are_nested():
    text = "- **Steps:**\n 1. Project.\n 2. Score.\n- **Why:** useful.\n - sibling, not nested"
    assert nest_list_items(text) == "- **Steps:**\n    1. Project.\n    2. Score.\n- **Why:** useful.\n - sibling, not nested"
    assert nest_list_items("Text:\n - a") == "Text:\n - a"


def test_a_list_straight_under_a_line_of_text_becomes_a_list():
    from builder.repair.markdown import separate_lists

    # the real lines, llm-fundamentals-interview-guide.txt (tokenization): a label, then its list
    text = "**Why it matters:**\n- Determines the vocabulary size\n- Affects how well the model handles rare words"
    assert separate_lists(text) == "**Why it matters:**\n\n- Determines the vocabulary size\n- Affects how well the model handles rare words"
    listed = "- a\n  more of a\n- b\n\nAfter.\n\n1. one"
    assert separate_lists(listed) == listed  # a list already set apart, its continuation, the next list
    assert separate_lists("| a |\n- b") == "| a |\n- b" and separate_lists("### H\n- b") == "### H\n- b"
