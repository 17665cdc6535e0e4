"""Answers converted by the builder (CommonMark, ``builder.render.commonmark``): links as the built
site's URLs, formulas as KaTeX's HTML, held in a fence MkDocs passes through unread."""

from __future__ import annotations

import markdown
import pytest

from builder.fences import FENCE_NAME, fenced_html, raw_html
from builder.paths import url_href
from builder.render.answer_html import AnswerHtml, html_between_headings, site_links
from builder.typeset import Typeset


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
        ("topics/attention.md", "../assets/x.css", "../../assets/x.css"),  # a file: relative to the page's folder
        ("coverage.md", "coverage.json", "../coverage.json"),
        ("topics/attention.md", "/abs/x.md", "/abs/x.md"),
    ],
)
def test_links_between_pages_become_the_built_sites_urls(page, href, url):
    assert url_href(page, href) == url


def test_an_answer_is_converted_as_mkdocs_would_with_links_and_formulas_as_the_site_has_them():
    math = Typeset(html={("x^2", False): "<i>x</i>\n<sup>2</sup>"})
    text = (
        "See [RAG](../glossary.md#rag) and [the paper](https://example.org/a.md).\n\n"
        "Cost $x^2$ and *$x_1 * y_2$*, failed $\\frac{a}{b}$.\n\n"
        "```python\nprint('$x^2$')\n```\n\n| a | b |\n| - | - |\n| 1 | 2 |\n\n"
        '<span class="hb-correction">Ours, [kept](../sources/chat.md#q-2) as HTML.</span>'
    )
    html = AnswerHtml(math).convert("topics/rag.md", text)
    assert '<a href="../../glossary/#rag">RAG</a>' in html and '<a href="https://example.org/a.md">' in html
    assert 'Cost <span class="hb-math"><i>x</i> <sup>2</sup></span> and <em>x_1 * y_2</em>' in html
    assert "failed (a)/(b)." in html
    assert '<div class="language-python highlight"><pre>' in html and "$x^2$" in html  # code keeps its dollars
    assert "<table>" in html
    assert '<span class="hb-correction">Ours, <a href="../../sources/chat/#q-2">kept</a> as HTML.</span>' in html


def test_only_links_to_pages_under_docs_are_rewritten():
    converted = '<p><a href="../glossary.md#rag">a</a> <a href="https://x.org/?a=1&amp;b=%22">b</a> <a href="#q">c</a> <code>&lt;a href=&quot;x.md&quot;&gt;</code></p>'
    assert site_links(converted, "topics/rag.md") == (
        '<p><a href="../../glossary/#rag">a</a> <a href="https://x.org/?a=1&amp;b=%22">b</a> <a href="#q">c</a> <code>&lt;a href=&quot;x.md&quot;&gt;</code></p>'
    )


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


def test_a_page_between_its_headings_becomes_html_in_fences_and_its_headings_stay_markdown():
    page = (
        "# Coverage\n\nSee [the glossary](glossary.md#rag) and [the data](coverage.json).\n\n"
        "## Per source { #per-source }\n\n| A | B |\n| --- | ---: |\n| x | 1 |\n\n"
        "```text\n# not a heading\n```\n\n"
        "### Empty\n\n## Last\n\n<details class=\"note\">\n<summary>why: 2</summary>\n\n| Line |\n| ---: |\n| 3 |\n\n</details>\n"
    )
    out = html_between_headings(page, "coverage.md")
    headings = [line for line in out.split("\n") if line.startswith("#")]
    assert headings == ["# Coverage", "## Per source { #per-source }", "### Empty", "## Last"]
    assert '<a href="../glossary/#rag">the glossary</a> and <a href="../coverage.json">the data</a>' in out
    assert '<th style="text-align: right">B</th>' in out and "# not a heading" in out
    assert out.count(f"```{FENCE_NAME}\n") == 3  # the empty stretch under "Empty" gets no fence
    assert '<details class="note">\n<summary>why: 2</summary>\n<table>' in out and "</table>\n</details>" in out
    assert "| x | 1 |" not in out and "| 3 |" not in out  # no Markdown table left for MkDocs
