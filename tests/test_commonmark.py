"""The builder's Markdown converter: CommonMark's lists and tables, and code blocks highlighted exactly
as the site's own fences are (a change to mkdocs.yml's highlight settings fails here)."""

from __future__ import annotations

import re

import markdown
import pytest

from builder.render.commonmark import markdown_html
from builder.yamlio import load_mkdocs_config
from conftest import ROOT

_HIGHLIGHTED = re.compile(r'<div class="[^"]*highlight"><pre><span></span><code>.*?</code></pre></div>', re.S)


def _site_markdown() -> markdown.Markdown:
    """Python-Markdown with mkdocs.yml's extensions and settings, as MkDocs converts a page."""
    config = load_mkdocs_config(ROOT / "mkdocs.yml")
    settings = {name: dict(value or {}) for entry in config["markdown_extensions"] for name, value in (entry.items() if isinstance(entry, dict) else [(entry, {})])}
    settings["pymdownx.superfences"].pop("custom_fences", None)  # the builder's own fence holds no code
    return markdown.Markdown(extensions=list(settings), extension_configs=settings)


@pytest.mark.parametrize(
    "text",
    [
        "```python\nx = 1 < 2  # \"quoted\" & 'kept'\n```",
        "```\nplain & <b>bold</b>\n```",
        "```nosuchlanguage\nfoo()\n```",
        "```js\nlet a = `${b}`;\n```",
        "Text\n\n    indented code\n    more",
        "- item\n\n    ```bash\n    echo $HOME\n    ```",
    ],
)
def test_code_blocks_are_highlighted_as_the_sites_pages_highlight_them(text):
    ours = _HIGHLIGHTED.findall(markdown_html(text))
    assert ours and ours == _HIGHLIGHTED.findall(_site_markdown().convert(text))


def test_lists_are_read_as_their_writers_meant_them():
    html = markdown_html("**Steps:**\n1. Split.\n2. Merge.\n- **Benefit:** fast\n  - nested by two spaces")
    assert html == (
        "<p><strong>Steps:</strong></p>\n<ol>\n<li>Split.</li>\n<li>Merge.</li>\n</ol>\n"
        "<ul>\n<li><strong>Benefit:</strong> fast\n<ul>\n<li>nested by two spaces</li>\n</ul>\n</li>\n</ul>"
    )


def test_tables_align_by_style_not_the_obsolete_align_attribute():
    html = markdown_html("| a | b |\n|:-:|--:|\n| 1 | 2 |")
    assert '<th style="text-align: center">a</th>' in html and '<td style="text-align: right">2</td>' in html
    assert "align=" not in html


def test_raw_html_is_kept_and_text_is_escaped():
    html = markdown_html('<span class="hb-ours">ours</span> and 1 < 2 & "q"')
    assert html == '<p><span class="hb-ours">ours</span> and 1 &lt; 2 &amp; &quot;q&quot;</p>'


def test_python_markdown_only_syntax_stays_text():
    # Python-Markdown extensions' syntax, which no source uses: a reader sees it as it was written
    html = markdown_html("!!! note\n    body\n\nterm\n: definition\n\n++ctrl+c++ {: .x }")
    assert "admonition" not in html and "<dl>" not in html and "<kbd>" not in html and "{: .x }" in html
