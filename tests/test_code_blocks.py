"""Code and tables: bare fences get a language, diagrams stay exact, ``#`` in code is never a heading,
tables written under a line of text still render as tables; on small inputs and on the real site."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import markdown
import pytest

from builder.repair import ANSWER_STEPS, run_steps
from builder.repair.code import guess_language, label_bare_fences, separate_fences
from builder.repair.markdown import separate_tables

SOURCES = Path(__file__).resolve().parents[1] / "sources"


@pytest.mark.parametrize(
    ("code", "language"),
    [
        ("torch.save({\n    'model': model.state_dict(),\n}, 'checkpoint.pt')", "python"),
        ("import torch\nx = torch.ones(3)", "python"),
        ("pip install vllm\npython -m vllm.entrypoints.api_server", "bash"),
        ('{"role": "user", "content": "hi"}', "json"),
        ("Input Tokens\n    |\n    v\n[Input Embedding]", "text"),
        ('Thought: I need the price.\nAction: search_web("AAPL")', "text"),
        ("# Llama 3 format\n<|begin_of_text|>system", "text"),
    ],
)
def test_guess_language(code, language):
    assert guess_language(code) == language


def test_only_bare_fences_are_labelled():
    text = "```\nimport os\n```\n\n```yaml\na: 1\n```\n\n```\nA -> B\n```"
    assert label_bare_fences(text) == "```python\nimport os\n```\n\n```yaml\na: 1\n```\n\n```text\nA -> B\n```"


def test_a_table_under_a_line_of_text_gets_its_blank_lines():
    table = "| a | b |\n|---|---|\n| 1 | 2 |"
    assert separate_tables(f"**Sizes:**\n{table}\nafter") == f"**Sizes:**\n\n{table}\n\nafter"
    assert separate_tables("x\n| a | b |\nno delimiter row") == "x\n| a | b |\nno delimiter row"


def test_a_fence_next_to_a_line_of_text_gets_its_blank_lines():
    # Without them Python-Markdown put the block inside the paragraph (<p>…<div class="highlight">…</p>,
    # a stray </p> for the validator) and a list straight after the block stayed plain text.
    assert separate_fences("**Code:**\n```python\nx = 1\n```\n- a\n- b") == "**Code:**\n\n```python\nx = 1\n```\n\n- a\n- b"
    assert separate_fences("- **PyTorch:**\n    ```python\n    x\n    ```") == "- **PyTorch:**\n\n    ```python\n    x\n    ```"
    spaced = "text\n\n```\nx\n```\n\nmore"
    assert separate_fences(spaced) == spaced and separate_fences("no code") == "no code"
    assert separate_fences("```\na\n```\n```\nb\n```") == "```\na\n```\n\n```\nb\n```"


def test_a_code_block_under_a_line_of_text_is_not_inside_a_paragraph():
    html = markdown.markdown(run_steps("**Implementation:**\n```python\nx = 1\n```\n- fast\n- simple", ANSWER_STEPS), extensions=["pymdownx.superfences"])
    assert "<p><strong>Implementation:</strong></p>" in html and "<li>fast</li>" in html
    assert not re.search(r"<p>(?:(?!</p>).)*<pre", html, re.S)


def test_split_fences_merge_then_get_one_language():
    text = "```\nimport torch\n```\n\n```\nmodel = torch.nn.Linear(2, 2)\n```"
    assert run_steps(text, ANSWER_STEPS) == "```python\nimport torch\nmodel = torch.nn.Linear(2, 2)\n```"


def _pre_texts(html: str, language: str = "") -> list[str]:
    """The text of every code block of a page (of one language, when given)."""
    block = re.compile(r'<div class="language-(\w+) highlight"><pre\b[^>]*>(.*?)</pre>', re.S)
    return [unescape(re.sub(r"<[^>]+>", "", m.group(2))) for m in block.finditer(html) if m.group(1) == language or not language]


def _site_html(site: Path) -> dict[str, str]:
    return {str(p.relative_to(site)): p.read_text(encoding="utf-8") for p in site.rglob("index.html")}


def test_ascii_diagrams_reach_the_page_exactly(site):
    source = (SOURCES / "llm-fundamentals-interview-guide.txt").read_text(encoding="utf-8")
    diagram = re.search(r"```\n(Input Tokens\n.*?)\n```", source, re.S).group(1)
    blocks = [t for html in _site_html(site).values() for t in _pre_texts(html, "text")]
    assert any(diagram in t for t in blocks)  # exact, and labelled text so nothing colours it


def test_comments_in_code_are_never_headings(site):
    pages = _site_html(site)
    headings = [unescape(re.sub(r"<[^>]+>", "", h)) for html in pages.values() for h in re.findall(r"<h[1-6][^>]*>(.*?)</h[1-6]>", html, re.S)]
    assert not [h for h in headings if "Llama 3 format" in h or "In-context learning example" in h]
    assert any(t.startswith("# Llama 3 format") for html in pages.values() for t in _pre_texts(html, "text"))


def test_every_code_block_has_a_language_and_python_is_highlighted(built, site):
    fences = re.compile(r"^\s*```(\S*)\s*$", re.M)
    languages = [m.group(1) for page in built.pages for m in fences.finditer(page.markdown)]
    openings = languages[::2]  # fences come in pairs: the opening one names the language
    assert openings and all(openings), "a bare fence reached the pages"
    html = "".join(_site_html(site).values())
    assert 'class="language-python highlight"' in html and '<span class="kn">import</span>' in html


def test_source_tables_render_as_tables(site):
    pages = _site_html(site)
    text = " ".join(unescape(re.sub(r"<[^>]+>", " ", re.sub(r"<pre\b.*?</pre>", "", html, flags=re.S))) for html in pages.values())
    assert not re.search(r"\|\s*-{3,}\s*\|", text), "a table shown as a paragraph of pipes"
    assert sum(html.count("<table>") for html in pages.values()) >= 17
