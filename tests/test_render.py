"""Unit tests on small inputs for the page helpers of builder/render (markdown.py, site.py, topic.py)."""

from __future__ import annotations

from builder.model import Entry, Item, Level, SourceDoc, Parsed
from builder.render.markdown import inline, levels_attr
from builder.render.site import build_index, relative
from builder.render.topic import _answer_body, _by_first_level


def _entry(question: str, *levels: Level | None) -> Entry:
    items = tuple(
        Item(source="a.txt", number=str(i + 1), line=i + 1, question=question, answer=f"Answer {i}.", level=level)
        for i, level in enumerate(levels or (None,))
    )
    return Entry(id=question.lower().replace(" ", "-"), question=question, items=items)


def test_levels_attr_names_the_levels_or_any():
    assert levels_attr((Level.BEGINNER, Level.ADVANCED)) == "beginner advanced"
    assert levels_attr(()) == "any"
    entry = _entry("Q", Level.ADVANCED, Level.BEGINNER)
    assert levels_attr(entry.levels) == "beginner advanced"


def test_inline_gives_the_same_text_every_time():
    text = "Is <b>[x](javascript:y)</b> {a}?"
    assert inline(text) == inline(text) == "Is &lt;b>\\[x\\]\\(javascript:y)&lt;/b> &#123;a&#125;?"
    # a formula keeps its TeX as written, so KaTeX's rendering of it is found
    assert inline("Why $\\sqrt{d_k}$ in [x]{y}?") == "Why $\\sqrt{d_k}$ in \\[x\\]&#123;y&#125;?"


def test_entries_are_grouped_by_their_easiest_level_in_order():
    a, b, c, d = _entry("A", Level.ADVANCED), _entry("B"), _entry("C", Level.ADVANCED, Level.BEGINNER), _entry("D", Level.ADVANCED)
    groups = _by_first_level(build_index([], []), (a, b, c, d))
    assert groups == {Level.BEGINNER: [c], Level.INTERMEDIATE: [], Level.ADVANCED: [a, d], None: [b]}


def test_relative_links_between_pages():
    assert relative("topics/a.md", "topics/a.md", "x") == "#x"
    assert relative("topics/a.md", "topics/b.md", "x") == "b.md#x"
    assert relative("print/handbook.md", "sources/s.md") == "../sources/s.md"
    assert relative("index.md", "glossary.md", "t") == "glossary.md#t"


def test_an_answer_body_is_inert_markdown_and_an_empty_answer_says_so():
    from builder.model import Item
    from builder.tabs import Answer

    doc = SourceDoc(name="a.txt", slug="a", title="A", description="", text="", encoding="utf-8")
    index = build_index([Parsed(source=doc, items=())], [])
    item = Item("a.txt", "1", 1, "Q?", "First <b>line</b>.\n\n- a point\n\n```python\nx = 1\n```")
    body = _answer_body(index, "topics/t.md", Entry("q", "Q?", (item,)), Answer((item,)))
    assert body.startswith("First &lt;b>line&lt;/b>.") and body.endswith("```python\nx = 1\n```")
    empty = Item("a.txt", "2", 2, "Q?", "")
    assert _answer_body(index, "topics/t.md", Entry("q", "Q?", (empty,)), Answer((empty,))) == "*The source gives no answer to this question.*"

def test_an_entry_line_is_the_same_when_asked_again():
    from builder.model import Section, Topic
    from builder.render.site import entry_line

    doc = SourceDoc(name="a.txt", slug="a", title="A", description="", text="", encoding="utf-8")
    entry = _entry("What is [x] {y}?")
    topic = Topic(slug="t", title="T <b>", order=1, summary="s")
    index = build_index([Parsed(source=doc, items=())], [Section(topic=topic, entries=(entry,))])
    # HTML, linked as the built site links (directory URLs), the question's Markdown converted (the
    # heading's escapes undone: this HTML is in a fence MkDocs does not read)
    expected = f'<li><a href="../../topics/t/#{entry.id}">What is [x] {{y}}?</a> <small>T &lt;b&gt;</small></li>'
    assert entry_line(index, "sources/a.md", entry.id) == expected
    assert entry_line(index, "sources/a.md", entry.id) == expected  # its text from the cache
    assert entry_line(index, "glossary.md", entry.id) == expected.replace("../../topics", "../topics")


def test_headings_in_an_answer_become_bold_lines_but_not_in_code():
    from builder.render.markdown import demote_headings

    text = "# Big **idea**\ntext #not\n```\n# comment\n```\n  ## Indented\n### Last ###"
    assert demote_headings(text) == "**Big **idea**\ntext #not\n```\n# comment\n```\n  ## Indented\n**Last**"


def test_one_tab_per_source_fullest_answer_first_identical_answers_once():
    from builder.tabs import answer_tabs, numbers_label

    def it(source: str, number: str, answer: str, line: int = 1) -> Item:
        return Item(source=source, number=number, line=line, question="What is X?", answer=answer)

    short, full, same = it("chat.txt", "88", "X is fast."), it("chat.txt", "136", "X is fast and exact, in one kernel."), it("chat.txt", "154", "X is fast.")
    guide = it("guide.txt", "5", "X is an exact attention algorithm that is fast, exact and uses little memory.")
    arch = it("arch.txt", "", "X is fast.", line=40)
    tabs = answer_tabs(Entry(id="x", question="What is X?", items=(arch, short, full, same, guide)))
    assert [t.source for t in tabs] == ["guide.txt", "chat.txt", "arch.txt"]  # fullest first, then source order
    chat = tabs[1]
    assert [a.items for a in chat.answers] == [(full,), (short, same)]  # fullest first; the same words once
    assert numbers_label(chat.items) == "Q136, Q88, Q154" and numbers_label(tabs[2].items) == ""
    assert sorted(id(i) for t in tabs for i in t.items) == sorted(id(i) for i in (arch, short, full, same, guide))

def test_entries_are_grouped_by_their_easiest_level_given_or_estimated():
    from builder.editorial import Editorial
    from builder.render.site import build_index

    entries = (_entry("A", Level.ADVANCED), _entry("B"), _entry("C", Level.ADVANCED, Level.BEGINNER), _entry("D", Level.INTERMEDIATE, None), _entry("E"))
    derived = [tuple(sorted({i.level for i in e.items if i.level is not None})) for e in entries]
    assert [e.levels for e in entries] == derived
    index = build_index([], [], editorial={"b": Editorial(level=Level.ADVANCED), "c": Editorial(level=Level.INTERMEDIATE)})
    groups = {level: [e.id for e in group] for level, group in _by_first_level(index, entries).items()}
    # b has no level from a source: its estimate places it; c's sources give levels, so its estimate is not used
    assert groups == {Level.BEGINNER: ["c"], Level.INTERMEDIATE: ["d"], Level.ADVANCED: ["a", "b"], None: ["e"]}


def test_an_entry_answered_by_two_sources_has_the_tabs_pymdownx_tabbed_would_write():
    import re

    import markdown

    from builder.model import Section, Topic
    from builder.render.topic import render_entry
    from builder.tabs import answer_tabs

    docs = [SourceDoc(name=f"{n}.txt", slug=n, title=f"Source {n.upper()}", description="", text="", encoding="utf-8") for n in "ab"]
    items = (Item("a.txt", "1", 1, "Q?", "From A.", Level.BEGINNER), Item("b.txt", "7", 3, "Q?", "From B & co.", Level.BEGINNER))
    entry = Entry("q", "Q?", items)
    index = build_index([Parsed(source=d, items=()) for d in docs], [Section(Topic("t", "T", 1, "s"), (entry,))])
    page = render_entry(index, "topics/t.md", entry, 3)
    # the whole entry but its heading is one fence of HTML, with the tab set numbered as asked
    assert page.count("```hb-html") == 1 and "### Q? { #q }" in page
    ours = page[page.index('<div class="tabbed-set') : page.rindex("</div>\n</div>\n```")]
    labels = [f"{index.sources[tab.source].label} · Q{tab.items[0].number}" for tab in answer_tabs(entry)]
    assert 'data-tabs="3:2"' in ours and 'id="__tabbed_3_2" name="__tabbed_3"' in ours
    # the same markup as the extension's, around the blocks' contents (the extension numbers from 1)
    theirs = markdown.markdown(
        f'=== "{labels[0]}"\n\n    A\n\n=== "{labels[1]}"\n\n    B', extensions=["pymdownx.tabbed"], extension_configs={"pymdownx.tabbed": {"alternate_style": True}}
    )
    blocks = re.compile(r'(<div class="tabbed-block">\n).*?(\n</div>)(?=\n<div class="tabbed-block">|\n</div>\n</div>$)', re.S)
    assert blocks.sub(r"\1…\2", ours + "</div>").replace("__tabbed_3", "__tabbed_1").replace('"3:2"', '"1:2"') == blocks.sub(r"\1…\2", theirs)


def test_the_coverage_report_is_rendered_last_with_problems_found_after_the_other_pages():
    from builder.coverage import compute_coverage
    from builder.model import Problem, Section, Topic
    from builder.paths import COVERAGE_PATH
    from builder.render import render_site

    doc = SourceDoc(name="a.txt", slug="a", title="Source A", description="", text="", encoding="utf-8")
    entry = Entry("q", "Q?", (Item("a.txt", "1", 1, "Q?", "From A.", Level.BEGINNER),))
    parsed, sections = [Parsed(source=doc, items=entry.items)], [Section(Topic("t", "T", 1, "s"), (entry,))]
    site = render_site(parsed, sections)
    assert COVERAGE_PATH not in {p.path for p in site.pages} and "topics/t.md" in {p.path for p in site.pages}
    # a problem met while the pages were rendered (the search index is written meanwhile) is listed
    late = Problem("builder/search/web/build_index.js", 1, "no search: Node exited with 1")
    pages = site.with_coverage(compute_coverage(parsed, [entry], sections, [late]))
    assert pages[: len(site.pages)] == list(site.pages)
    report = pages[-1]
    assert report.path == COVERAGE_PATH and "no search: Node exited with 1" in report.markdown


def test_a_source_page_lists_its_questions_as_html_under_the_sources_own_headings():
    from builder.model import Section, Topic
    from builder.render.source import render_source

    doc = SourceDoc(name="a.txt", slug="a", title="Source A", description="", text="", encoding="utf-8")
    first = Item("a.txt", "1", 3, 'Is <b>"x"</b> *big*?', "A.", Level.BEGINNER, section="Basics")
    second = Item("a.txt", "", 9, "Why [scale]?", "B.", None, section="Basics")
    third = Item("a.txt", "7", 12, "And this?", "C.", None, section="Advanced")
    entries = (Entry("x-big", "X big?", (first,)), Entry("why-scale", "Why scale?", (second, third)))
    parsed = Parsed(source=doc, items=(first, second, third))
    page = render_source(build_index([parsed], [Section(Topic("t", "T", 1, "s"), entries)]), parsed).markdown
    questions = page[page.index("## Questions") :]
    assert questions.index("### Basics") < questions.index("```hb-html\n<ul>\n<li>") < questions.index("### Advanced")
    assert (
        '<li><a id="q-1"></a>1. <a href="../../topics/t/#x-big">Is &lt;b&gt;&quot;x&quot;&lt;/b&gt; <em>big</em>?</a> <small>Beginner</small></li>\n'
        '<li><a id="line-9"></a><a href="../../topics/t/#why-scale">Why [scale]?</a></li>\n</ul>'
    ) in questions
    assert '<li><a id="q-7"></a>7. <a href="../../topics/t/#why-scale">And this?</a></li>' in questions
    assert "](" not in questions  # no Markdown link is left for MkDocs to convert


def test_the_coverage_page_lists_excluded_fragments_by_reason_in_html_under_each_sources_heading():
    from builder.coverage import compute_coverage
    from builder.model import Excluded, Section, Topic
    from builder.render import render_site

    doc = SourceDoc(name="a.txt", slug="a", title="Source A", description="", text="", encoding="utf-8")
    entry = Entry("q", "Q?", (Item("a.txt", "1", 1, "Q?", "From A.", Level.BEGINNER),))
    dropped = (Excluded("a.txt", 7, "note [sic] <b>", "A | B *x*", "see line 9"), Excluded("a.txt", 8, "note [sic] <b>", "C"))
    parsed, sections = [Parsed(source=doc, items=entry.items, excluded=dropped)], [Section(Topic("t", "T", 1, "s"), (entry,))]
    report = render_site(parsed, sections).with_coverage(compute_coverage(parsed, [entry], sections, []))[-1].markdown
    excluded = report[report.index("## Excluded fragments") :]
    assert excluded.startswith("## Excluded fragments\n\n### Source A { #a }\n\n```hb-html\n")
    # the reason once, as HTML (Markdown's escapes would show in an HTML block); then its fragments' table
    assert '<details class="note">\n<summary>note [sic] &lt;b&gt;: 2</summary>\n<table>' in excluded
    assert '<td style="text-align: right">7</td>\n<td>A | B *x* <em>(see line 9)</em></td>' in excluded
    assert "\\[" not in excluded and "| 7 |" not in excluded
