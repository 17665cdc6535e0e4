"""Answers converted by the builder: the same HTML MkDocs would make of them, links as the built site's
URLs, formulas as KaTeX's HTML, held in a fence MkDocs passes through unread."""

from __future__ import annotations

import markdown
import pytest

from builder.fences import FENCE_NAME, fenced_html, raw_html
from builder.paths import url_href
from builder.render.answer_html import SITE_EXTENSIONS, AnswerHtml
from builder.typeset import Typeset
from builder.yamlio import load_mkdocs_config
from conftest import ROOT


def _mkdocs_extensions() -> dict[str, dict]:
    config = load_mkdocs_config(ROOT / "mkdocs.yml")
    return {name: settings or {} for entry in config["markdown_extensions"] for name, settings in (entry.items() if isinstance(entry, dict) else [(entry, {})])}


def test_the_builder_converts_answers_with_mkdocs_extensions_and_settings():
    theirs = _mkdocs_extensions()
    fences = theirs["pymdownx.superfences"].pop("custom_fences")
    assert fences == [{"name": FENCE_NAME, "class": FENCE_NAME, "format": "builder.fences.raw_html"}]
    del theirs["toc"]  # answers have no headings: they are demoted
    del theirs["pymdownx.tabbed"]  # the page numbers its tab sets; a source's own would take the same numbers
    assert SITE_EXTENSIONS == theirs


@pytest.mark.parametrize(
    ("page", "href", "url"),
    [
        ("topics/attention.md", "../glossary.md#rag", "../../glossary/#rag"),
        ("topics/attention.md", "../sources/chat.md#q-2", "../../sources/chat/#q-2"),
        ("topics/attention.md", "rag.md", "../rag/"),
        ("topics/attention.md", "../index.md", "../../"),
        ("glossary.md", "topics/rag.md#what-is-rag", "../topics/rag/#what-is-rag"),
        ("index.md", "glossary.md", "glossary/"),
        ("glossary.md", "index.md#x", "../#x"),
        ("pdf/index.md", "../glossary.md", "../glossary/"),
        ("topics/attention.md", "#self-attention", "#self-attention"),
        ("topics/attention.md", "https://arxiv.org/abs/1706.03762", "https://arxiv.org/abs/1706.03762"),
        ("topics/attention.md", "../assets/x.css", "../assets/x.css"),
    ],
)
def test_links_between_pages_become_the_built_sites_urls(page, href, url):
    assert url_href(page, href) == url


def test_an_answer_is_converted_as_mkdocs_would_with_links_and_formulas_as_the_site_has_them():
    math = Typeset(html={("x^2", False): "<i>x</i>\n<sup>2</sup>"})
    text = (
        "See [RAG](../glossary.md#rag) and [the paper](https://example.org/a.md).\n\n"
        "Cost $x^2$ and *$x_1 * y_2$*, failed $\\frac{a}{b}$.\n\n"
        "```python\nprint('$x^2$')\n```\n\n| a | b |\n| - | - |\n| 1 | 2 |\n\nFrom here.\n{: .hb-origin }"
    )
    html = AnswerHtml(math).convert("topics/rag.md", text)
    assert '<a href="../../glossary/#rag">RAG</a>' in html and '<a href="https://example.org/a.md">' in html
    assert 'Cost <span class="hb-math"><i>x</i> <sup>2</sup></span> and <em>x_1 * y_2</em>' in html
    assert "failed (a)/(b)." in html
    assert '<div class="language-python highlight"><pre>' in html and "$x^2$" in html  # code keeps its dollars
    assert "<table>" in html and '<p class="hb-origin">From here.</p>' in html
    # what MkDocs made of the same text, links aside
    plain = markdown.markdown(text.replace("$x^2$ and", "X and"), extensions=list(SITE_EXTENSIONS), extension_configs=SITE_EXTENSIONS)
    assert plain.count("<p") == html.count("<p") and plain.count("<span") <= html.count("<span")


def test_the_fence_holds_any_html_and_its_formatter_returns_it_unchanged():
    html = "<pre><code>```\n````python\n</code></pre>"
    lines = fenced_html(html)
    assert lines == [f"`````{FENCE_NAME}", html, "`````", ""]
    assert fenced_html("<p>a</p>")[0] == f"```{FENCE_NAME}"
    assert raw_html(html, FENCE_NAME, FENCE_NAME, {}, None) == html


def test_mkdocs_markdown_passes_the_fenced_html_through_unread_inside_an_entry():
    md = markdown.Markdown(
        extensions=["md_in_html", "attr_list", "pymdownx.superfences"],
        extension_configs={"pymdownx.superfences": {"custom_fences": [{"name": FENCE_NAME, "class": FENCE_NAME, "format": raw_html}]}},
    )
    inner = '<p class="x">*not emphasis* <span>&#92;(</span></p>\n\n<pre><code>  kept\n\n    indented</code></pre>'
    fence = "\n".join(fenced_html(inner))
    out = md.convert(f'<div class="hb-entry" markdown>\n\n### Q {{ #q }}\n\n{fence}\n</div>')
    assert out == f'<div class="hb-entry">\n<h3 id="q">Q</h3>\n{inner}\n</div>'
