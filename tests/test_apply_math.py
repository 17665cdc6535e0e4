"""``apply_math``'s fast paths agree with the plain definitions they stand for.

``math_to_html`` looks only at the lines that hold a ``$`` and makes each formula's page HTML once;
``_markdown_safe`` escapes with one ``str.replace`` per character. Here both are compared, on many
generated pages and HTML strings, with the straightforward versions: every line of every prose chunk
through the span scanner, and one ``str.translate`` over the whole HTML.
"""

from __future__ import annotations

import random

from builder.markdown_text import find_spans, split_code
from builder.model import Page
from builder.typeset import _MARKDOWN_ACTIVE, Typeset, _as_text, _markdown_safe, _page_tex, apply_math, math_to_html

_ATOMS = ["\n", "\n", " ", "$", "$$", "$x$", "$$y$$", "$a_1 * b$", "$5", "\\$", "`", "``", "```", "~~~", "x", "word",
          "#", "&", "&#35;", "[", "]", "{", "}", "|", "_", "*", "~", "^", "+", "!", "\\", "&lt;", "$z", "2$", "é"]


def _texts(seed: int, count: int = 2000) -> list[str]:
    rnd = random.Random(seed)
    return ["".join(rnd.choice(_ATOMS) for _ in range(rnd.randint(0, 30))) for _ in range(count)]


def _reference_safe(html: str) -> str:
    return " ".join(html.split("\n")).translate(str.maketrans(_MARKDOWN_ACTIVE))


def _reference_math(markdown: str, result: Typeset) -> str:
    """Every line of every prose chunk through the span scanner, each formula made afresh."""

    def line_html(line: str) -> str:
        out, pos = [], 0
        for span in find_spans(line):
            key = (_page_tex(span.tex), span.display)
            rendered = result.html.get(key)
            if rendered is None:
                out.append(line[pos : span.start] + _as_text(key[0]))
            else:
                css = "hb-math hb-math--display" if span.display else "hb-math"
                out.append(line[pos : span.start] + f'<span class="{css}">{_reference_safe(rendered)}</span>')
            pos = span.end
        return "".join(out) + line[pos:]

    return "\n".join(
        chunk if is_code else "\n".join(line_html(l) for l in chunk.split("\n")) for is_code, chunk in split_code(markdown)
    )


def _result(texts: list[str], rnd: random.Random) -> Typeset:
    """KaTeX-like HTML (full of Markdown's active characters and line breaks) for about half the formulas."""
    keys = {(_page_tex(s.tex), s.display) for t in texts for line in t.split("\n") for s in find_spans(line)}
    html = {k: "".join(rnd.choice(_ATOMS) for _ in range(12)) for k in sorted(keys) if rnd.random() < 0.5}
    return Typeset(html=html)


def test_markdown_safe_matches_translate() -> None:
    for text in _texts(1):
        assert _markdown_safe(text) == _reference_safe(text)


def test_math_to_html_matches_line_by_line() -> None:
    rnd = random.Random(2)
    texts = _texts(3)
    result = _result(texts, rnd)
    shown: dict = {}
    for text in texts:
        assert math_to_html(text, result, shown) == _reference_math(text, result)
        assert math_to_html(text, result) == _reference_math(text, result)


def test_apply_math_pages() -> None:
    rnd = random.Random(4)
    texts = ["\n".join(_texts(seed, 40)) for seed in range(5, 25)]
    result = _result(texts, rnd)
    pages = apply_math([Page(f"p{i}.md", t) for i, t in enumerate(texts)], result)
    assert [p.markdown for p in pages] == [_reference_math(t, result) for t in texts]
