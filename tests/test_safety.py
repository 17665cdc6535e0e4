"""Unit tests on small inputs: inert prose (render/safety.py), the hazard scan and the size limits."""

from __future__ import annotations

from html.parser import HTMLParser

import markdown
import pytest

from builder.hazards import scan_hazards
from builder.limits import MAX_TEXT_CHARS, cut, limit_sizes
from builder.model import Item, Parsed, SourceDoc
from builder.render.commonmark import markdown_html
from builder.render.markdown import escape_html_in_prose
from builder.render.safety import make_inert, safe_front_matter, safe_target

EXTENSIONS = ["attr_list", "md_in_html", "tables", "def_list", "pymdownx.superfences"]
# Inert text meets both: MkDocs's Python-Markdown (headings, source and reference pages) and the
# builder's CommonMark (answers, key points, questions).
CONVERTERS = {
    "python-markdown": lambda text: markdown.markdown(text, extensions=EXTENSIONS),
    "commonmark": markdown_html,
}


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, list[tuple[str, str]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, [(k, (v or "").strip().lower()) for k, v in attrs]))


def tags(html: str) -> list[tuple[str, list[tuple[str, str]]]]:
    parser = _Tags()
    parser.feed(html)
    return parser.found


def to_html(source: str) -> str:
    return markdown.markdown(escape_html_in_prose(source), extensions=EXTENSIONS)


@pytest.mark.parametrize(
    "source",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        '<iframe src="https://evil.example/"></iframe>',
        "< script>alert(1)</script>",
        "<!-- hidden --><svg onload=alert(1)>",
        "[x](javascript:alert(1))",
        "[x]( <javascript:alert(1)> )",
        "[x](JaVa&#115;cript:alert(1))",
        "[x](java\tscript:alert(1))",
        "![x](data:image/svg+xml;base64,PHN2Zz4=)",
        "[x][e]\n\n[e]: javascript:alert(1)",
        "<javascript:alert(1)>",
        'A paragraph\n{: onclick="alert(1)" }',
        '*em*{ onmouseover="alert(1)" }',
        '<div markdown="1" onclick="alert(1)">x</div>',
    ],
)
@pytest.mark.parametrize("convert", CONVERTERS.values(), ids=CONVERTERS)
def test_nothing_a_source_writes_becomes_active_html(source, convert):
    html = convert(escape_html_in_prose(source))
    elements = tags(html)
    assert {tag for tag, _ in elements} <= {"p", "em", "a", "hr", "br"}, html
    for _, attrs in elements:
        assert not [name for name, _ in attrs if name.startswith("on") or name in {"src", "style"}], html
        assert all(value.startswith("https://") for name, value in attrs if name == "href"), html


def test_text_stays_readable_and_web_links_stay_links():
    html = to_html("Use <https://example.org/a> or [docs](https://example.org/b) and `<tag>` in code.")
    assert '<a href="https://example.org/a">' in html and '<a href="https://example.org/b">docs</a>' in html
    assert "<code>&lt;tag&gt;</code>" in html
    assert to_html("[x](javascript:alert(1))") == "<p>[x](javascript:alert(1))</p>"


def test_template_syntax_shows_as_text():
    html = to_html("Fill {{ name }} with {% for x in y %}{{ x }}{% endfor %} here {{ end }}")
    assert html == "<p>Fill &#123;{ name }&#125; with &#123;% for x in y %&#125;&#123;{ x }&#125;&#123;% endfor %&#125; here &#123;{ end }&#125;</p>"


def test_code_is_left_alone():
    code = "```html\n<script>alert(1)</script>\n```"
    assert make_inert("`[x](javascript:y)`") == "`[x](javascript:y)`"
    assert escape_html_in_prose(code) == code


@pytest.mark.parametrize(
    ("target", "safe"),
    [("https://a.b", True), ("HTTP://a.b", True), ("mailto:a@b.c", True), ("javascript:x", False), ("data:x", False),
     ("#anchor", False), ("page.md", False), ("java&#x73;cript:x", False), ("&#104;ttps://a.b", True)],
)
def test_safe_target(target, safe):
    assert safe_target(target) is safe


def doc(text: str) -> SourceDoc:
    return SourceDoc(name="d.txt", slug="d", title="D", description="", text=text, encoding="utf-8")


def test_hazards_are_warned_with_their_line_and_code_is_skipped():
    text = "Q1 [Easy] Safe?\n\nok <script>x</script>\n```\n<script>in code</script>\n```\n{{ a }}\n--8<-- \"/etc/passwd\"\ncost $5 and `$x`\n"
    problems = [(p.line, p.message.split()[0:3]) for p in scan_hazards(doc(text))]
    assert [line for line, _ in problems] == [3, 7, 8, 9]
    assert all(p.severity == "warning" for p in scan_hazards(doc(text)))


def test_balanced_math_is_not_a_hazard():
    assert scan_hazards(doc("$\\frac{a}{b}$ and $$x^{2}$$\n")) == []
    assert [p.line for p in scan_hazards(doc("fine\n$\\frac{a}{b$\n"))] == [2]


def test_cut_keeps_short_text_and_closes_a_fence_it_cuts_through():
    assert cut("short") == ("short", "")
    text = "intro\n```\n" + "x = 1\n" * 1000
    kept, rest = cut(text, 500)
    assert kept.endswith("\n```") and len(kept) < 520 and rest and text.startswith(kept[:-4].rstrip())


def test_limit_sizes_cuts_an_oversized_answer_and_reports_where():
    log = "".join(f"line {i}\n" for i in range(20_000))
    source = doc("Q1 [Easy] Big?\n\n" + log)
    item = Item(source="d.txt", number="1", line=1, question="Big?", answer=log.strip())
    parsed = limit_sizes(Parsed(source=source, items=(item,)))
    answer = parsed.items[0].answer
    assert len(answer) < MAX_TEXT_CHARS + 300 and "too long for a page" in answer
    assert [(p.file, p.severity) for p in parsed.problems] == [("d.txt", "warning")]
    cut_at = parsed.excluded[0].line
    assert source.text.split("\n")[cut_at - 1] == parsed.excluded[0].text.split("\n")[0]
    small = Parsed(source=doc("Q1 [Easy] A?\n\nB.\n"), items=(Item(source="d.txt", number="1", line=1, question="A?", answer="B."),))
    assert limit_sizes(small) is small


def test_front_matter_titles_cannot_become_markup():
    safe = safe_front_matter({"title": 'Notes </title><script>x</script> "q"', "hide": ["toc"], "description": "a < b"})
    assert safe == {"title": "Notes &lt;/title&gt;&lt;script&gt;x&lt;/script&gt; &quot;q&quot;", "hide": ["toc"], "description": "a &lt; b"}


def test_math_spans_are_left_for_the_typesetter_but_text_around_them_is_made_inert():
    from builder.render.safety import make_inert

    text = r"Scale by $\sqrt{d_{k}}$ then <script>x</script> and {{ y }}"
    out = make_inert(text)
    assert r"$\sqrt{d_{k}}$" in out
    assert "<script>" not in out and "{{" not in out


def test_a_formula_katex_rejects_is_shown_as_escaped_text():
    from builder.typeset import Typeset, math_to_html

    out = math_to_html(r"Bad $\frac{<img src=x onerror=alert(1)>$ here", Typeset(html={}))
    assert "<img" not in out and "&lt;img" in out


def test_control_characters_in_a_source_never_become_angle_brackets():
    # An earlier version parked autolinks between \x00 and \x01 and turned those back into < and >,
    # so a source holding "\x00script\x01" produced a real <script>.
    out = make_inert("nul \x00script\x01 alert(1) \x00/script\x01 and <https://a.b/c> and <SCRIPT>")
    assert "<script" not in out.lower() and "</script" not in out.lower()
    assert "<https://a.b/c>" in out and "&lt;SCRIPT>" in out


@pytest.mark.parametrize(
    "prose",
    [
        "plain words only",
        "",
        "a < b and c > d, x<y",
        "<b>bold</b> and <https://example.org/x> and < !-- c -->",
        "[a](javascript:x) [b](https://ok) ![c](data:x)\n[d]: javascript:y\n   [e]: https://ok",
        "set {: onclick=x } and {{ t }} {% if %} 50% } {x}",
        "cost $5 and $x<y$ then <i>it</i>\nsecond [l](javascript:z) $$a<b$$ {{ q }}",
        "code `<script>` and ``a ` b`` then <s> $x$ `$y$`",
        "nul \x00script\x01 and <https://a.b/c>\x01",
        "line ends ](\nhttps://example.org next",
        "<\nscript> and $a$ <\nb>",
    ],
)
@pytest.mark.parametrize("convert", CONVERTERS.values(), ids=CONVERTERS)
def test_make_inert_keeps_math_and_code_and_leaves_nothing_active(prose, convert):
    from builder.markdown_text import INLINE_CODE, find_spans
    from builder.typeset import Typeset, math_to_html

    out = make_inert(prose)
    assert [s.tex for s in find_spans(out)] == [s.tex for s in find_spans(prose)]
    assert INLINE_CODE.findall(out) == INLINE_CODE.findall(prose)
    html = convert(math_to_html(out, Typeset()))  # math as text, as KaTeX failing gives
    assert {tag for tag, _ in tags(html)} <= {"p", "a", "code"}, html
    assert all(value.startswith("https://") for _, attrs in tags(html) for name, value in attrs if name == "href"), html


def test_escape_html_in_prose_without_fences_is_make_inert():
    text = "a <b>\n~~ not a fence ~~ and `` ` `` <i>"
    assert escape_html_in_prose(text) == make_inert(text)
    fenced = "<b>\n```html\n<b>\n```\n<i>"
    assert escape_html_in_prose(fenced) == "&lt;b>\n```html\n<b>\n```\n&lt;i>"
