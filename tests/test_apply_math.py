"""``apply_math`` on small pages: each formula becomes KaTeX's HTML (or readable text) that Markdown
leaves alone, code blocks and inline code are untouched."""

from __future__ import annotations

import random
import re

from builder.model import Page
from builder.typeset import _MARKDOWN_ACTIVE, Typeset, _markdown_safe, apply_math, formula_html, math_to_html

_ATOMS = ["\n", " ", "x", "<b>", "&", "&#35;", "#", "[", "]", "{", "}", "|", "_", "*", "~", "^", "+", "!", "\\", "`", "$"]


def test_katex_html_is_one_line_and_in_markdown_has_its_active_characters_as_references():
    rnd = random.Random(1)
    for _ in range(2000):
        html = "".join(rnd.choice(_ATOMS) for _ in range(rnd.randint(0, 30)))
        one_line = formula_html(("t", False), Typeset(html={("t", False): html}))
        assert one_line == f'<span class="hb-math">{html.replace(chr(10), " ")}</span>'
        safe = _markdown_safe(one_line)
        assert not set(re.sub(r"&#\d+;", "", safe)) & set(_MARKDOWN_ACTIVE), safe
        back = safe
        for ch, reference in sorted(_MARKDOWN_ACTIVE.items(), key=lambda item: item[0] == "#"):
            back = back.replace(reference, ch)
        assert back == one_line, html


def test_a_formula_katex_rejected_is_escaped_text_in_html():
    assert formula_html(("a < b_1", False), Typeset()) == "a &lt; b_1"


def test_each_formula_is_replaced_and_code_is_not():
    result = Typeset(html={("x^2", False): "<i>x</i>", ("y", True): "<b>y_1</b>"})
    page = "Inline $x^2$, display $$y$$, failed $\\frac{a}{b}$, `$x^2$`, $5 and $10.\n```\n$x^2$\n```\n$x^2$"
    assert math_to_html(page, result) == (
        'Inline <span class="hb-math"><i>x</i></span>, display <span class="hb-math hb-math--display"><b>y&#95;1</b></span>, '
        "failed (a)/(b), `$x^2$`, $5 and $10.\n```\n$x^2$\n```\n"
        '<span class="hb-math"><i>x</i></span>'
    )


def test_apply_math_on_pages_with_and_without_formulas():
    result = Typeset(html={("x", False): "X"})
    pages = apply_math([Page("a.md", "no math"), Page("b.md", "see $x$ and $x$")], result)
    assert [p.markdown for p in pages] == ["no math", 'see <span class="hb-math">X</span> and <span class="hb-math">X</span>']
