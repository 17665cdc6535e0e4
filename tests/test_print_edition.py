"""The print edition's chapters (``python -m builder book``): copied from the built topic pages into the
book page after MkDocs, with ids kept unique and links made to work on the one page."""

from __future__ import annotations

import posixpath
import re
import shutil
from collections import Counter
from pathlib import Path

import pytest

from builder.book_chapters import CHAPTERS_BEGIN, CHAPTERS_END, chapters_marker, find_chapters
from builder.printing.edition import BOOK_HTML, BookError, element_end, fill_book, start_tags, without_formulas

# --- a small site --------------------------------------------------------------------------------


def topic_html(slug: str, title: str, body: str) -> str:
    """A topic page as MkDocs writes one: site chrome around an article; a download link first, "See also" last."""
    return f"""<!doctype html><html><head><script>var s = "<a id='not-a-tag' href='#x'>";</script></head><body>
<nav class="md-nav"><a href="#{slug}-title" id="__toc">Contents</a></nav>
<article class="md-content__inner md-typeset">
<h1 id="{slug}-title">{title}<a class="headerlink" href="#{slug}-title" title="Permanent link">&para;</a></h1>
<p class="hb-topic-meta" data-search-exclude>2 questions.</p>
<p class="hb-pdf"><a class="hb-pdf-link" data-pdf="{slug}.pdf" href="../../pdf/#{slug}">Download PDF</a></p>
<h2 class="hb-group" data-search-exclude id="level-beginner">Beginner<a class="headerlink" href="#level-beginner" title="Permanent link">&para;</a></h2>
{body}
<h2 data-search-exclude id="see-also">See also<a class="headerlink" href="#see-also">&para;</a></h2>
<ul><li><a href="../other/">Other</a></li></ul>
</article><footer><a href="../../">Home</a></footer></body></html>"""


def tabs(number: int) -> str:
    return (
        f'<div class="tabbed-set tabbed-alternate" data-tabs="{number}:2"><input checked="checked" id="__tabbed_{number}_1" '
        f'name="__tabbed_{number}" type="radio" /><input id="__tabbed_{number}_2" name="__tabbed_{number}" type="radio" />'
        f'<div class="tabbed-labels"><label for="__tabbed_{number}_1">One</label><label for="__tabbed_{number}_2">Two</label></div></div>'
    )


TOPIC_A = f"""<div class="hb-entry" data-levels="beginner">
<h3 id="what-is-x">What is x?<a class="headerlink" href="#what-is-x">&para;</a></h3>
<p><a id="what-is-x-old"></a></p>
<h4 id="example">Example</h4>
{tabs(1)}
<p>See <a href="#example">the example</a>, <a href="../b/#what-is-y">y</a>, <a href="../b/#example">b's example</a>,
<a href="../b/#level-beginner">b's beginners</a>, <a href="../b/">topic b</a>,
<a href="../../glossary/#term" title="a &gt; b &amp; &quot;c&quot;">term</a>, <a href="https://example.com/x">web</a>,
<a href="../../sources/s/#q-1">source</a>, <img alt="fig" src="../../assets/fig.png" />. Code: <code>&lt;a href="#example"&gt;</code></p>
</div>"""

TOPIC_B = f"""<div class="hb-entry" data-levels="beginner">
<h3 id="what-is-y">What is y?<a class="headerlink" href="#what-is-y">&para;</a></h3>
<h4 id="example">Example</h4>
{tabs(1)}
{tabs(2)}
<p>Back to <a href="../a/#what-is-x-old">x</a> and <a href="#example">this example</a>.</p>
</div>"""


def book_html(slugs: list[str]) -> str:
    """The book page as MkDocs builds it from ``render/book.py``'s Markdown: cover, contents, marker."""
    placeholders = "\n".join(f'<h1 class="hb-chapter" id="topic-{s}">{s.upper()}</h1>' for s in slugs)
    return f"""<html><body><article class="md-content__inner md-typeset">
<div class="hb-cover"><p class="hb-cover-title">Book</p></div>
<div class="hb-book-toc"><ol>{''.join(f'<li><a href="#topic-{s}">{s}</a><span class="hb-toc-page" data-target="topic-{s}"></span></li>' for s in slugs)}</ol></div>
{chapters_marker(slugs)}

{placeholders}
<p><em>The chapters are copied here once the site is built.</em></p>
{CHAPTERS_END}
</article></body></html>"""


@pytest.fixture()
def small_site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    for slug, title, body in (("a", "Topic A", TOPIC_A), ("b", "Topic B", TOPIC_B)):
        (site / "topics" / slug).mkdir(parents=True)
        (site / "topics" / slug / "index.html").write_text(topic_html(slug, title, body), encoding="utf-8")
    (site / "print" / "handbook").mkdir(parents=True)
    (site / BOOK_HTML).write_text(book_html(["a", "b"]), encoding="utf-8")
    return site


def chapters_of(site: Path) -> str:
    text = (site / BOOK_HTML).read_text(encoding="utf-8")
    return text[text.index(CHAPTERS_BEGIN) : text.index(CHAPTERS_END)]


def ids_of(text: str) -> list[str]:
    return re.findall(r'<[a-z][^>]*?\sid="([^"]+)"', text)


def test_the_chapters_place_is_found_where_the_marker_puts_it():
    text = f"<p>cover</p>\n{chapters_marker(['a', 'b-c'])}\n<h1>A</h1>\n{CHAPTERS_END}\n<p>end</p>"
    place = find_chapters(text)
    assert place is not None and place.slugs == ("a", "b-c")
    assert text[place.marker : place.start] == chapters_marker(["a", "b-c"]) and text[place.start : place.end] == "\n<h1>A</h1>\n"
    assert find_chapters(text.replace(CHAPTERS_END, "")) is None and find_chapters("<p>no book</p>") is None


# --- the small site ------------------------------------------------------------------------------


def test_each_topic_becomes_a_chapter_in_the_markers_order_without_download_link_or_see_also(small_site: Path):
    fill_book(small_site)
    book = chapters_of(small_site)
    assert book.index('<h1 class="hb-chapter" id="topic-a">Topic A<a class="headerlink" href="#topic-a"') < book.index(
        '<h1 class="hb-chapter" id="topic-b">Topic B'
    )
    assert "The chapters are copied here" not in book and "<h1" not in book.replace('<h1 class="hb-chapter" id="topic-', "")
    assert "Download PDF" not in book and "See also" not in book and "Other" not in book
    assert "__toc" not in book and "not-a-tag" not in book and "Home" not in book  # the site's chrome stays out
    assert '<p class="hb-topic-meta" data-search-exclude>2 questions.</p>' in book


def test_ids_are_unique_in_the_book_and_their_links_follow_them(small_site: Path):
    fill_book(small_site)
    text = (small_site / BOOK_HTML).read_text(encoding="utf-8")
    ids = ids_of(text)
    assert [i for i, n in Counter(ids).items() if n > 1] == []
    # Level headings get the topic as prefix; an id two topic pages share too; entry ids and old anchors stay.
    for kept in ("a-level-beginner", "b-level-beginner", "a-example", "b-example", "what-is-x", "what-is-x-old", "what-is-y"):
        assert kept in ids, kept
    book = chapters_of(small_site)
    assert '<a class="headerlink" href="#a-level-beginner"' in book
    assert '<a href="#a-example">the example</a>' in book and '<a href="#b-example">this example</a>' in book
    assert '<a href="#what-is-y">y</a>' in book and '<a href="#b-example">b\'s example</a>' in book
    assert '<a href="#b-level-beginner">b\'s beginners</a>' in book and '<a href="#topic-b">topic b</a>' in book
    assert '<a href="#what-is-x-old">x</a>' in book


def test_content_tabs_are_numbered_through_the_book(small_site: Path):
    fill_book(small_site)
    book = chapters_of(small_site)
    assert re.findall(r'data-tabs="(\d+:\d+)"', book) == ["1:2", "2:2", "3:2"]
    assert re.findall(r'name="(__tabbed_\d+)"', book) == ["__tabbed_1"] * 2 + ["__tabbed_2"] * 2 + ["__tabbed_3"] * 2
    assert re.findall(r'<label for="(__tabbed_\d+_\d+)"', book) == ["__tabbed_1_1", "__tabbed_1_2", "__tabbed_2_1", "__tabbed_2_2", "__tabbed_3_1", "__tabbed_3_2"]


def test_other_links_are_rebased_and_text_and_untouched_tags_are_copied_byte_for_byte(small_site: Path):
    fill_book(small_site)
    book = chapters_of(small_site)
    assert '<a href="../../glossary/#term" title="a &gt; b &amp; &quot;c&quot;">term</a>' in book
    assert '<a href="https://example.com/x">web</a>' in book and '<a href="../../sources/s/#q-1">source</a>' in book
    assert '<img alt="fig" src="../../assets/fig.png" />' in book
    assert '<code>&lt;a href="#example"&gt;</code>' in book  # text that looks like a tag is text


def test_filling_twice_gives_the_same_file(small_site: Path):
    first = fill_book(small_site)
    once = (small_site / BOOK_HTML).read_bytes()
    second = fill_book(small_site)
    assert first.changed and not second.changed and first.chapters == 2
    assert (small_site / BOOK_HTML).read_bytes() == once


def test_a_missing_topic_page_is_reported_as_file_and_message_without_a_traceback(small_site: Path, capsys):
    from builder.cli import main

    shutil.rmtree(small_site / "topics" / "b")
    before = (small_site / BOOK_HTML).read_bytes()
    assert main(["book", "--site", str(small_site)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"{small_site / 'topics' / 'b' / 'index.html'}: no such topic page") and "Traceback" not in err
    assert (small_site / BOOK_HTML).read_bytes() == before


def test_a_book_page_without_the_marker_or_no_book_at_all_is_an_error(small_site: Path, tmp_path: Path):
    (small_site / BOOK_HTML).write_text("<html><body><article><h1 id='x'>X</h1></article></body></html>", encoding="utf-8")
    with pytest.raises(BookError, match="no chapters marker"):
        fill_book(small_site)
    with pytest.raises(BookError, match="no print edition here"):
        fill_book(tmp_path / "nowhere")


def test_ids_that_would_clash_with_the_books_own_are_an_error(small_site: Path):
    text = (small_site / BOOK_HTML).read_text(encoding="utf-8").replace('<div class="hb-cover">', '<div class="hb-cover" id="what-is-y">')
    (small_site / BOOK_HTML).write_text(text, encoding="utf-8")
    with pytest.raises(BookError, match="what-is-y"):
        fill_book(small_site)


# --- the tag reader -----------------------------------------------------------------------------


def test_start_tags_are_read_with_their_offsets_and_attributes_and_none_inside_comments_or_scripts():
    text = (
        '<!doctype html><p class="a" title="x > y" data-x=\'1 "2"\' hidden>t &lt;b&gt; <!-- <a href="#c"> -->'
        '<BR/><img src=../x.png alt="&amp;&para;" /><script id="s">if (a<b) { s = "<p id=\'no\'>"; }</script>'
        "<style>p > a { }</style><b>bold</b><span title=\"no id, link nor class\">s</span><a\nhref=\"#d\"\n>d</a></p>"
    )
    found = start_tags(text)
    assert [t.name for t in found] == ["p", "img", "script", "a"]  # only tags with an id, link, tab name or class
    assert [text[t.start : t.end] for t in found] == [
        '<p class="a" title="x > y" data-x=\'1 "2"\' hidden>', '<img src=../x.png alt="&amp;&para;" />', '<script id="s">', '<a\nhref="#d"\n>'
    ]
    assert found[0].attrs == (("class", "a"), ("title", "x > y"), ("data-x", '1 "2"'), ("hidden", None))
    assert found[1].self_closing and not found[0].self_closing and found[1].get("alt") == "&\u00b6" and found[1].get("src") == "../x.png"
    assert [t.name for t in start_tags(text, text.index("<a\n"))] == ["a"]  # from an offset on, offsets kept
    assert start_tags(text, text.index("<a\n"))[0].start == found[-1].start
    assert start_tags(text, 0, text.index("<img")) == found[:1]  # up to an offset


def test_an_elements_end_is_found_past_the_elements_of_its_name_inside_it():
    text = '<div class="a"><div><p>x</p></div><div id="b"/></div></div><div>after</div>'
    assert element_end(text, "div", 0) == text.index("</div><div>after") + len("</div>")
    assert element_end(text, "p", text.index("<p>")) == text.index("</p>") + len("</p>")
    assert element_end("<div><div></div>", "div", 0) is None


# --- the real site -------------------------------------------------------------------------------


def test_the_built_book_holds_every_entry_once_in_topic_order(built, site: Path):
    text = (site / BOOK_HTML).read_text(encoding="utf-8")
    entry_positions = [text.index(f'<h3 id="{e.id}"') for s in built.sections for e in s.entries]
    assert entry_positions == sorted(entry_positions) and len(entry_positions) == len(built.entries)
    assert all(text.count(f'<h3 id="{e.id}"') == 1 for e in built.entries)
    chapters = re.findall(r'<h1 class="hb-chapter" id="topic-([\w-]+)"', text)
    assert chapters == [s.topic.slug for s in built.sections]
    assert re.findall(r'class="hb-toc-page" data-target="topic-([\w-]+)"', text) == chapters
    assert "data-pdf=" not in text and 'id="see-also"' not in text


def test_the_built_books_ids_are_unique_and_its_links_lead_somewhere(site: Path):
    text = (site / BOOK_HTML).read_text(encoding="utf-8")
    found = start_tags(text)
    ids = [i for t in found if (i := t.get("id"))]
    assert [i for i, n in Counter(ids).items() if n > 1] == []
    start, end = text.index(CHAPTERS_BEGIN), text.index(CHAPTERS_END)
    links = [(t.get("href") or t.get("src")) for t in found if start < t.start < end and (t.get("href") or t.get("src"))]
    assert len(links) > 1000
    dangling = []
    for link in links:
        if link.startswith(("http://", "https://", "mailto:")):
            continue
        path, _, fragment = link.partition("#")
        if not path:
            dangling += [] if fragment in ids else [link]
            continue
        target = site / posixpath.normpath(posixpath.join(posixpath.dirname(BOOK_HTML), path))
        dangling += [] if (target / "index.html" if path.endswith("/") else target).is_file() else [link]
    assert dangling == []
    assert not re.search(r'href="(\.\./)+topics/', text[start:end])  # topic links lead inside the book


def test_filling_the_built_book_again_changes_nothing(site: Path, tmp_path: Path):
    copy = tmp_path / "site"
    for page in [site / BOOK_HTML, *sorted(site.glob("topics/*/index.html"))]:
        target = copy / page.relative_to(site)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(page, target)
    assert not fill_book(copy).changed
    assert (copy / BOOK_HTML).read_bytes() == (site / BOOK_HTML).read_bytes()


def test_formulas_are_blanked_out_before_the_tags_are_read_and_every_offset_is_kept():
    formula = '<span class="hb-math"><span class="katex"><span id="x"><a href="#y">k</a></span><span>\n</span></span></span>'
    text = f'<p id="a">A {formula} and <span class="hb-math hb-math--display"><span>d</span></span> <a href="#b">b</a></p>'
    blank = without_formulas(text)
    assert len(blank) == len(text) and blank.count("\n") == text.count("\n")
    assert [t.get("id") or t.get("href") for t in start_tags(blank) if t.name != "span"] == ["a", "#b"]
    # what is left are the page's own tags, where they are in the page
    assert {(t.name, t.start, t.end, t.attrs) for t in start_tags(blank)} <= {(t.name, t.start, t.end, t.attrs) for t in start_tags(text)}
    assert [t.get("class") or t.get("id") or t.get("href") for t in start_tags(blank)] == ["a", "hb-math", "hb-math hb-math--display", "#b"]
    assert text[blank.index('<a href="#b">') :].startswith('<a href="#b">b</a>')
