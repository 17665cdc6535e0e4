"""The Markdown text primitives (``builder/markdown_text.py``) on small inline inputs."""

from __future__ import annotations

import random

import pytest

from builder.markdown_text import FENCE_OPEN, INLINE_CODE, around_formulas, code_lines, fence_lines, find_spans, next_nonblank, on_prose, split_code
from builder.parse.lines import split_lines


def test_text_without_a_fence_is_one_prose_chunk():
    assert list(split_code("")) == [(False, "")]
    assert list(split_code("a\nb")) == [(False, "a\nb")]
    assert list(split_code("a ``inline`` b\n~~ x")) == [(False, "a ``inline`` b\n~~ x")]


def test_a_fenced_block_is_one_code_chunk_with_its_fences():
    text = "intro\n```python\nx = 1\n```\nafter"
    assert list(split_code(text)) == [(False, "intro"), (True, "```python\nx = 1\n```"), (False, "after")]
    assert list(split_code("```\nx\n```")) == [(True, "```\nx\n```")]
    assert list(split_code("```\nx\n```\n")) == [(True, "```\nx\n```"), (False, "")]


def test_a_block_closes_only_at_a_bare_fence_of_its_character_at_least_as_long():
    text = "````\na\n```\nb\n~~~~\nc\n```` x\nd\n`````\ne"
    assert list(split_code(text)) == [(True, "````\na\n```\nb\n~~~~\nc\n```` x\nd\n`````"), (False, "e")]
    assert list(split_code("  ~~~\n  code\n  ~~~ \ntext")) == [(True, "  ~~~\n  code\n  ~~~ "), (False, "text")]


def test_an_unclosed_block_runs_to_the_end():
    assert list(split_code("a\n```\ncode\nmore")) == [(False, "a"), (True, "```\ncode\nmore")]


def test_only_a_fence_at_the_start_of_a_line_counts():
    assert list(fence_lines("a ```\n  ```js\nx\n~~~")) == [(6, 13, "```"), (16, 19, "~~~")]
    assert list(split_code("say ```x``` here")) == [(False, "say ```x``` here")]


@pytest.mark.parametrize("seed", [1, 2])
def test_chunks_join_back_into_the_text_and_mark_its_code_lines(seed):
    rnd = random.Random(seed)
    atoms = ["\n", "\n", " ", "```", "````", "~~~", "``", "x", "word", "\t"]
    for _ in range(2000):
        text = "".join(rnd.choice(atoms) for _ in range(rnd.randint(0, 16)))
        chunks = list(split_code(text))
        assert "\n".join(chunk for _, chunk in chunks) == text
        assert all(chunk.lstrip(" \t").startswith(("```", "~~~")) for is_code, chunk in chunks if is_code), text
        assert code_lines(text) == [line.code for line in split_lines(text)]
        assert len(code_lines(text)) == text.count("\n") + 1


def test_on_prose_leaves_code_alone():
    assert on_prose(str.upper, "a\nb") == "A\nB"
    assert on_prose(str.upper, "a\n```\nb\n```\nc") == "A\n```\nb\n```\nC"
    assert code_lines("a\n```\nb\n```\nc") == [False, True, True, True, False]


def test_fence_open_gives_indent_fence_and_language():
    assert FENCE_OPEN.match("  ```python ").groups() == ("  ", "```", "python")
    assert FENCE_OPEN.match("~~~~").groups() == ("", "~~~~", "")
    assert FENCE_OPEN.match("``` two words") is None


def test_inline_code_pairs_equal_runs_of_backticks():
    assert [m.group(2) for m in INLINE_CODE.finditer("a `x` and ``y ` z`` b")] == ["x", "y ` z"]


def test_next_nonblank_skips_blank_lines():
    assert next_nonblank(["a", " ", "", "b"], 1) == 3
    assert next_nonblank(["a", " "], 1) == 2


def _spans(text: str) -> list[tuple[int, int, str, bool]]:
    return [(s.start, s.end, s.tex, s.display) for s in find_spans(text)]


def test_math_spans_follow_pandocs_dollar_rules():
    assert _spans("a $x^2$ and $$y$$") == [(2, 7, "x^2", False), (12, 17, "y", True)]
    assert _spans("costs $5 and $10 a month") == []  # a digit after the closing dollar: currency
    assert _spans("$ x$ and $x $") == []  # a space inside either dollar
    assert _spans("$a$5 $b$") == [(5, 8, "b", False)]  # "$a$5" is not a span, nor is "$5 $" (a space before)
    assert _spans(r"price \$5 and $x$") == [(14, 17, "x", False)]
    assert _spans(r"$a \$ b$") == [(0, 8, r"a \$ b", False)]
    assert _spans("`$x$` and $y$") == [(10, 13, "y", False)]
    assert _spans("$$$$ and $$z$$") == [(2, 11, " and ", True)]  # an empty "$$$$" is no span


def test_math_spans_never_cross_a_line_break_and_count_from_the_text_start():
    assert _spans("$a\nb$") == []
    assert _spans("x\n$a$ $$b$$") == [(2, 5, "a", False), (6, 11, "b", True)]


def test_around_formulas_rewrites_the_prose_and_each_formula_in_order():
    text = "Cost $5 and [x] with $a_1$ then $$b$$."
    assert around_formulas(text, prose=str.upper) == "COST $5 AND [X] WITH $a_1$ THEN $$b$$."
    seen = []
    assert around_formulas(text, lambda span: seen.append(span.tex) or f"<{span.display:d}>") == "Cost $5 and [x] with <0> then <1>."
    assert seen == ["a_1", "b"]
