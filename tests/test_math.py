"""Math: the repair step on small inputs and on the table of real formula lines, KaTeX rendering in
one batch, HTML that Markdown leaves alone, and the counts per source on the real build."""

from __future__ import annotations

import re

from pathlib import Path

import markdown
import pytest
import yaml

from builder.model import Item, Page, Parsed, SourceDoc
from builder.repair import ANSWER_STEPS, repair_parsed
from builder.markdown_text import find_spans
from builder.repair.math import repair_math, repair_math_report
from builder.repair.plainmath import is_formula_line, to_tex
from builder.tex import math_as_text, tex_to_text
from builder.typeset import apply_math, katex_assets, katex_input, render_formulas, typeset

DATA = Path(__file__).parent / "data"
FORMULAS = yaml.safe_load((DATA / "math_formulas.yml").read_text(encoding="utf-8"))
COUNTS = yaml.safe_load((DATA / "math_counts.yml").read_text(encoding="utf-8"))


def test_the_formula_table_holds_at_least_40_real_lines():
    sources = {p.name: p.read_text(encoding="utf-8") for p in (Path(__file__).parents[1] / "sources").glob("*.txt")}
    assert len(FORMULAS) >= 40
    for row in FORMULAS:
        assert row["text"] in sources[row["source"]].split("\n")[row["line"] - 1], row


@pytest.mark.parametrize("row", FORMULAS, ids=[f"{r['source'][:12]}:{r['line']}" for r in FORMULAS])
def test_each_real_formula_line_repairs_to_the_expected_text(row):
    text = f"```\n{row['text']}\n```" if row.get("fenced") else row["text"]
    assert repair_math(text) == row["expected"]


def test_spans_follow_pandoc_rules_so_currency_stays_text():
    assert [s.tex for s in find_spans('Revenue was $5B," the model says "Revenue was $8B"')] == []
    assert [s.tex for s in find_spans("price is $195.23 with a cap of ~$3.01 trillion")] == []
    assert [(s.tex, s.display) for s in find_spans("a $x^2$ and $$y$$ but not `$z$`")] == [("x^2", False), ("y", True)]


def test_plain_formula_lines_become_display_tex():
    assert to_tex("Attention(Q, K, V) = softmax(QK^T/√d_k)V") == (
        "\\operatorname{Attention}(Q, K, V) = \\operatorname{softmax}(QK^{T}/\\sqrt{d_{k}})V"
    )
    assert to_tex("L = E[min(r(θ)A, clip(r(θ), 1-ε, 1+ε)A)]") == (
        "L = E[\\min(r(\\theta)A, \\operatorname{clip}(r(\\theta), 1-\\epsilon, 1+\\epsilon)A)]"
    )
    assert repair_math("Q14\n\nAttention = softmax(QK^T)V\n\nnext") == "Q14\n\n$$\\operatorname{Attention} = \\operatorname{softmax}(QK^{T})V$$\n\nnext"


def test_formulas_inside_running_text_and_code_keep_their_words():
    sentence = "Where r(θ) = π_θ/π_old."
    assert not is_formula_line(sentence) and repair_math(sentence) == sentence
    code = "```python\nscores = Q @ K.T / math.sqrt(d_k)\n```"
    assert repair_math(code) == code
    mixed = "```\nL(N) = (N_c / N)^alpha_N         (varying model size)\n\nWhere alpha_N ~ 0.076\n```"
    assert repair_math(mixed) == mixed
    assert not is_formula_line("model = get_peft_model(base_model, config)")


def test_bare_block_holding_only_formulas_becomes_display_math():
    text = "```\nPE(pos, 2i) = sin(pos/10000^(2i/d_model))\nPE(pos, 2i+1) = cos(pos/10000^(2i/d_model))\n```"
    out = repair_math(text)
    assert out.count("$$") == 4 and "```" not in out and "10000^{2i/d_{\\text{model}}}" in out


def test_fragment_lines_after_a_formula_are_removed():
    text = (
        "Formula:\n\n$$y = \\frac{x - \\mu}{\\sigma} \\cdot \\gamma + \\beta$$\n\n$$y = \\sigma$$\n\n$$x - \\mu$$\n\n"
        "$$\\cdot \\gamma + \\beta$$\n\nwhere γ and β are learnable parameters."
    )
    out, report = repair_math_report(text)
    assert out == "Formula:\n\n$$y = \\frac{x - \\mu}{\\sigma} \\cdot \\gamma + \\beta$$\n\nwhere γ and β are learnable parameters."
    assert report.counts["fragments removed"] == 3


def test_bare_fragment_lines_and_unicode_pieces_are_removed_too():
    text = "$$\\eta_t = \\eta_{\\min} + \\frac{1}{2} (1 + \\cos(\\pi t / T))$$\n\nη_t\n\n$= \\eta_{\\min}$\n\n$+ \\frac{1}{2}$\n\nEffect: decay."
    assert repair_math(text) == "$$\\eta_t = \\eta_{\\min} + \\frac{1}{2} (1 + \\cos(\\pi t / T))$$\n\nEffect: decay."


def test_duplicates_collapse_and_the_fuller_copy_wins():
    assert repair_math("$$y = x + f(x)$$\n\n$$y = x + f(x)$$\n\nPurpose:") == "$$y = x + f(x)$$\n\nPurpose:"
    first = "$$L = L_t + \\sum_i \\lambda^2 F_i (\\theta_i - \\theta_i^*)^2$$"
    fuller = "$$L = L_t + \\sum_i \\frac{\\lambda}{2} F_i (\\theta_i - \\theta_i^*)^2$$"
    assert repair_math(f"{first}\n{fuller}\n\nwhere") == f"{fuller}\n\nwhere"
    halves = "$$P(w) = \\prod_i P(w_i) \\quad P(w) = \\prod_i P(w_i)$$"
    assert repair_math(halves) == "$$P(w) = \\prod_i P(w_i)$$"


def test_symbols_a_copy_doubled_are_single_and_the_sentence_whole_again():
    text = "Solution: Add low-rank matrices AA\n\nA and BB\n\nB to weight updates:\n\nnext"
    assert repair_math(text) == "Solution: Add low-rank matrices A and B to weight updates:\n\nnext"
    assert repair_math("We met the AA\n\nAnd then") == "We met the AA\n\nAnd then"


def test_bare_commands_in_prose_are_wrapped_but_not_in_code():
    assert repair_math("Normalize with softmax \\rightarrow gives weights.") == "Normalize with softmax $\\rightarrow$ gives weights."
    assert repair_math("`a \\rightarrow b`") == "`a \\rightarrow b`"


def test_unbalanced_tex_is_left_as_readable_text_and_reported():
    out, report = repair_math_report("Loss: $\\frac{a}{b$ here")
    assert "\\" not in out and "$" not in out and report.left_as_text == [(0, "\\frac{a}{b")]
    assert tex_to_text("\\text{Attention}(Q) = \\frac{QK^T}{\\sqrt{d_k}} \\theta") == "Attention(Q) = (QK^T)/(√(d_k)) θ"


def test_quoted_source_text_shows_math_as_text():
    excerpt = "Formula: $$\\text{MultiHead}(Q) = \\text{Concat}(\\text{head}_1, \\dots)$$ then softmax \\rightarrow x"
    assert math_as_text(excerpt) == "Formula: MultiHead(Q) = Concat(head_1, …) then softmax → x"
    assert math_as_text("cut: $$\\text{Con") == "cut: Con"


def _doc(text: str) -> Parsed:
    doc = SourceDoc("m.txt", "m", "M", "", "", "utf-8")
    return Parsed(doc, (Item("m.txt", "1", 3, "Q?", text),))


def test_repair_stage_runs_math_between_whitespace_and_line_breaks_and_counts():
    steps = list(ANSWER_STEPS)
    assert steps.index("whitespace") < steps.index("math") < steps.index("line-breaks")
    parsed = repair_parsed(_doc("Speed \\rightarrow up.\n\nLoss: $\\frac{a}{b$"))
    assert parsed.math_repairs["repaired"] == 1 and parsed.math_repairs["left as text"] == 1
    assert any("m.txt:6: warning: formula could not be repaired" in str(p) for p in parsed.problems)


def test_katex_renders_a_batch_and_reports_what_it_rejects():
    results = render_formulas([("x_1^2", False), ("\\frac{a}{b}", True), ("\\notacommand{x}", False)])
    assert "katex" in results[0]["html"] and "katex-display" in results[1]["html"]
    assert "error" in results[2] and "html" not in results[2]


def test_a_named_operator_alone_in_a_script_is_one_mathml_node():
    # KaTeX writes \min as <mi>min</mi><mo>&#x2061;</mo>; alone in a subscript both went into <msub>,
    # three children where MathML allows two (the W3C validator's error on the scheduler formulas)
    assert katex_input("\\eta_{\\min} + p^{ \\max }") == "\\eta_{\\text{min}} + p^{\\text{max}}"
    assert katex_input("x_{\\operatorname{top}}") == "x_{\\text{top}}"
    for kept in ("\\min_x f(x)", "x_{\\min x}", "\\log_2 n", "\\sinh_{a}"):
        assert katex_input(kept) == kept
    results = render_formulas([("p \\ge p_{\\min} \\cdot p_{\\max}", False), ("p \\ge p_{\\text{min}} \\cdot p_{\\text{max}}", False)])
    mathml = [re.search(r"<semantics>(.*)<annotation", r["html"]).group(1) for r in results]
    assert mathml[0] == mathml[1] and "<msub><mi>p</mi><mtext>min</mtext></msub>" in mathml[0]
    assert "\u2061" not in mathml[0]
    # the annotation is the formula as written
    assert '<annotation encoding="application/x-tex">p \\ge p_{\\min} \\cdot p_{\\max}</annotation>' in results[0]["html"]


def test_typeset_falls_back_to_text_and_an_error_when_node_cannot_run(tmp_path):
    result, problems = typeset([_doc("Speed: $x^2$")], node=str(tmp_path / "no-node"))
    assert any(p.severity == "error" and "math not rendered" in p.message for p in problems)
    page = apply_math([Page("p.md", "Speed: $x^2$")], result)[0]
    assert page.markdown == "Speed: x^2"


def test_rendered_math_survives_markdown_emphasis_and_tables():
    result, problems = typeset([_doc("$a_1 * b_2 * c_{3}$ and $|x|$")])
    assert not problems
    md = apply_math([Page("p.md", "| h |\n| - |\n| $|x|$ |\n\n$a_1 * b_2 * c_{3}$ and $|x|$")], result)[0].markdown
    html = markdown.markdown(md, extensions=["tables", "attr_list", "md_in_html"])
    assert "<em>" not in html and "<strong>" not in html and "$" not in html
    assert html.count('class="katex"') == 3 and "<td>" in html


def test_formulas_in_the_handbooks_own_words_are_put_in_after_markdown():
    from builder.render.answer_html import AnswerHtml

    text = "- Cost $a_1 * b_2$ for `x_1 * y` and *this*.\n- Scores $QK^\\top/\\sqrt{d_k}$."
    result, problems = typeset([_doc(text)])
    assert not problems
    answer_html = AnswerHtml(result)
    html = answer_html.key_points("e", text)
    # Markdown is done before the formulas go in: emphasis inside them would break them
    assert html.count('class="katex"') == 2 and "<em>this</em>" in html and "<code>x_1 * y</code>" in html
    assert "$" not in html and "a_1 * b_2" in html  # the TeX, whole, in KaTeX's annotation
    assert answer_html.converted.key_points["e"].fill(lambda span: "F") == (
        "<ul>\n<li>Cost F for <code>x_1 * y</code> and <em>this</em>.</li>\n<li>Scores F.</li>\n</ul>"
    )


def test_katex_css_and_fonts_are_copied_into_the_site(built):
    assets = katex_assets()
    assert "assets/katex/katex.min.css" in assets and any(p.endswith(".woff2") for p in assets)
    css = assets["assets/katex/katex.min.css"].decode()
    assert "url(fonts/KaTeX_Main-Regular.woff2)" in css and "http" not in css.split("*/")[-1]


def test_math_counts_per_source_match_the_golden_counts(built):
    math = built.coverage.as_json()["math"]
    assert {row["file"]: {k: v for k, v in row.items() if k != "file"} for row in math["sources"]} == COUNTS["sources"]
    assert math["failed"] == [] and math["totals"]["left_as_text"] == 0
    coverage_page = next(p for p in built.pages if p.path == "coverage.md").markdown
    right = '<td style="text-align: right">'
    assert f"<td><strong>total</strong></td>\n{right}{math['totals']['rendered']}</td>\n{right}{math['totals']['repaired']}</td>" in coverage_page


def test_unicode_to_tex_writes_each_symbol_as_its_command_and_a_space():
    from builder.tex import GREEK, SYMBOLS, unicode_to_tex

    assert unicode_to_tex("θ_i ≤ x²") == "\\theta _i \\leq  x^{2}"
    for ch, tex in {**SYMBOLS, **GREEK}.items():
        assert unicode_to_tex(f"a{ch}b") == (f"a{tex} b" if tex.startswith("\\") else f"a{tex}b"), ch


def test_a_symbolic_index_beside_inline_digits_becomes_a_subscript():
    # the real line, llm-fundamentals-interview-guide.txt line 1863
    tex = to_tex("P(x1, x2, ..., xn) = P(x1) * P(x2|x1) * P(x3|x1,x2) * ... * P(xn|x1,...,xn-1)")
    assert "P(x_{1}, x_{2}, \\ldots, x_{n})" in tex and "P(x_{n}|x_{1},\\ldots,x_{n-1})" in tex
    assert "xn" not in tex
    assert to_tex("y = xn + b") == "y = xn + b"  # no x1 beside it: a name, not an index
