"""Glossary, term links, related questions and link health on the real build (the session's one site)."""

from __future__ import annotations

import json
import re
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

from builder.glossary import load_glossary
from builder.related import MAX_RELATED

_ID = re.compile(r"""<[a-zA-Z][^>]*?\s(?:id|name)="([^"]+)\"""")
_REF = re.compile(r"""<(?:a|link|script|img|source)\b[^>]*?\s(?:href|src)="([^"]*)\"""")
_TERM_LINK = re.compile(r'<a href="([^"]*glossary/#[^"]*)">([^<]*)</a>')


def _pages(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): p.read_text(encoding="utf-8") for p in sorted(site.rglob("*.html"))}


def _target(site: Path, page: str, href: str) -> tuple[str, str] | None:
    """The file (relative to the site) and fragment an internal ``href`` on ``page`` points to."""
    url = urlsplit(urljoin("http://site/" + page, unescape(href)))
    if url.netloc != "site":
        return None
    path = unquote(url.path).lstrip("/")
    if path == "" or path.endswith("/") or (site / path).is_dir():
        path = path.rstrip("/") + ("/" if path.rstrip("/") else "") + "index.html"
    return path, unquote(url.fragment)


def broken_links(site: Path) -> list[str]:
    """Every internal href or src whose file or #anchor does not exist, as ``page: href``."""
    pages = _pages(site)
    ids = {page: {unescape(i) for i in _ID.findall(html)} for page, html in pages.items()}
    broken = []
    for page, html in pages.items():
        for href in _REF.findall(html):
            if re.match(r"^[a-z][a-z0-9+.-]*:", href, re.I) or href.startswith("//"):
                continue  # external, mailto:, data: …
            target = _target(site, page, href)
            if target is None:
                continue
            path, fragment = target
            if not (site / path).is_file():
                broken.append(f"{page}: {href} (no file {path})")
            elif fragment and path.endswith(".html") and fragment not in ids.get(path, set()):
                broken.append(f"{page}: {href} (no #{fragment} in {path})")
    return broken


@pytest.fixture(scope="module")
def topic_pages(site: Path, built) -> dict[str, str]:
    # (the old addresses of merged topics, also under topics/, only say where the topic went)
    return {p: html for p, html in _pages(site).items() if p in {f"topics/{s.topic.slug}/index.html" for s in built.sections}}


@pytest.fixture(scope="module")
def glossary_html(site: Path) -> str:
    return (site / "glossary" / "index.html").read_text(encoding="utf-8")


def test_link_checker_finds_broken_files_and_anchors(tmp_path: Path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text('<h2 id="x">x</h2><a href="#x">ok</a><a href="#nope">bad</a>')
    (tmp_path / "index.html").write_text('<a href="a/#x">ok</a><a href="b/">bad</a><a href="https://e.org/#q">ext</a>')
    assert sorted(broken_links(tmp_path)) == ["a/index.html: #nope (no #nope in a/index.html)", "index.html: b/ (no file b/index.html)"]


def test_no_broken_internal_link_or_anchor_anywhere(site: Path):
    assert broken_links(site) == []


def test_glossary_has_a_section_per_term_and_every_section_is_linked_from_a_topic_page(glossary_html, topic_pages):
    sections = re.findall(r'<h3 id="([a-z0-9-]+)"', glossary_html)
    slugs = {t.slug for t in load_glossary()}
    assert len(sections) >= 150 and set(sections) <= slugs and len(set(sections)) == len(sections)
    linked = {
        urlsplit(href).fragment
        for html in topic_pages.values()
        for href, _ in _TERM_LINK.findall(html)
        if urlsplit(href).path.endswith("glossary/")
    }
    assert set(sections) - linked == set(), "glossary sections no answer links to"
    # A–Z: sections come in alphabetical order of their headings.
    names = [unescape(n).casefold() for n in re.findall(r'<h3 id="[^"]+">([^<]*)</h3>', glossary_html)]
    assert len(names) == len(sections) and names == sorted(names)


def test_the_glossary_page_writes_nothing_twice(glossary_html):
    # Its table of contents lists the letters, not the ~400 terms again (each with a permalink).
    toc = glossary_html.split('data-md-component="toc"', 1)[1].split("</nav>", 1)[0]
    assert 20 <= toc.count("<a ") <= 30 and "headerlink" not in re.search(r"<h3.*</h3>", glossary_html).group(0)
    article = glossary_html.split("<article", 1)[1].split("</article>", 1)[0]
    for section in article.split("<h3 ")[1:]:
        section = section.split("<h2", 1)[0].split("<hr", 1)[0]
        # A topic is named once per term, before its questions; never a definition in a title.
        topics = re.findall(r"<li><em>([^<]+):</em>", section)
        assert len(topics) == len(set(topics)), section[:80]
        assert "<small>" not in section and " title=" not in section


def test_a_long_list_of_questions_is_collapsed_a_short_one_shown(glossary_html):
    from builder.render.glossary import SHOWN_QUESTIONS

    article = glossary_html.split("<article", 1)[1].split("</article>", 1)[0]
    collapsed = shown = 0
    for section in article.split("<h3 ")[1:]:
        section = section.split("<h2", 1)[0].split("<hr", 1)[0]
        count = re.search(r"Discussed in (\d+) questions?", section)
        if not count:
            continue
        links = len(re.findall(r'<a href="\.\./topics/', section))
        assert links == int(count.group(1)), section[:80]  # every question, once
        if int(count.group(1)) > SHOWN_QUESTIONS:
            assert re.search(r'<details class="hb-more">\s*<summary>Discussed in \d+ questions(, in \d+ topics)?</summary>', section), section[:200]
            collapsed += 1
        else:
            assert "<details" not in section
            shown += 1
    assert collapsed > 50 and shown > 100


def test_glossary_sections_list_the_questions_that_discuss_them(glossary_html):
    gqa = glossary_html.split('<h3 id="grouped-query-attention"', 1)[1].split("<h3 ", 1)[0]
    assert "Discussed in" in gqa and "../topics/attention/#what-is-grouped-query-attention-gqa" in gqa
    assert 'href="#multi-query-attention"' in gqa  # a related term


class _TermContext(HTMLParser):
    """Records, for every term link, which enclosing elements it sits in."""

    WATCH = {"a", "code", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "script", "kbd"}

    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []
        self.bad: list[str] = []
        self.count = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a" and "glossary/#" in (dict(attrs).get("href") or ""):
            self.count += 1
            inside = [t for t in self.open if t in self.WATCH]
            if inside:
                self.bad.append(f"{dict(attrs).get('href')} inside {inside}")
        if tag in self.WATCH:
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.open:
            while self.open and self.open.pop() != tag:
                pass


def test_term_links_are_never_in_code_headings_or_other_links_nor_mid_word(topic_pages):
    total = 0
    for page, html in topic_pages.items():
        parser = _TermContext()
        parser.feed(html)
        assert parser.bad == [], page
        total += parser.count
        main = html.split('<article', 1)[1]
        assert not re.search(r'\w<a href="[^"]*glossary/#', main), page
        assert not re.search(r'<a href="[^"]*glossary/#[^>]*>[^<]*</a>\w', main), page
    assert total > 1000


def test_each_term_is_linked_once_per_answer_and_its_definition_is_written_once(topic_pages, site):
    definitions = {t.slug: " ".join(t.definition.split()) for t in load_glossary()}
    html = topic_pages["topics/attention/index.html"]
    gqa = html.split('id="what-is-grouped-query-attention-gqa"', 1)[1].split('class="hb-entry"', 1)[0]
    for answer in re.split(r'<div class="tabbed-block">', gqa)[1:]:
        answer = answer.split('class="hb-origin"', 1)[0]
        slugs = [urlsplit(h).fragment for h, _ in _TERM_LINK.findall(answer)]
        assert slugs and len(slugs) == len(set(slugs))
    # no definition in the links (a title): once, in the file the tooltips read
    for page, other in topic_pages.items():
        assert not re.search(r'<a href="[^"]*glossary/#[^"]*" title=', other), page
        assert definitions["kv-cache"] not in other, page
    written = json.loads((site / "assets" / "terms.json").read_text(encoding="utf-8"))
    assert written["kv-cache"] == definitions["kv-cache"]
    linked = {urlsplit(href).fragment for html in topic_pages.values() for href, _ in _TERM_LINK.findall(html)}
    assert linked <= set(written)


def test_most_questions_have_up_to_5_related_questions_never_itself(topic_pages, built):
    counts = []
    for page, html in topic_pages.items():
        for chunk in html.split('<div class="hb-entry"')[1:]:
            own = re.search(r'<h3 id="([^"]+)"', chunk).group(1)
            parts = chunk.split('<div class="hb-related">', 1)
            hrefs = re.findall(r'<a href="([^"]+)"', parts[1].split("</div>", 1)[0]) if len(parts) == 2 else []
            assert len(hrefs) <= MAX_RELATED and (len(parts) == 1 or hrefs), (page, own)  # no empty block
            assert len(set(hrefs)) == len(hrefs) and f"#{own}" not in hrefs, (page, own)
            counts.append(len(hrefs))
    assert len(counts) == len(built.entries)
    # A question sharing no specific concept with another has no list; most do.
    with_links = sum(1 for c in counts if c)
    print(f"related links: {sum(counts)}; {with_links} of {len(counts)} questions have some")
    assert with_links >= 0.8 * len(counts)


def test_every_topic_page_ends_with_see_also_links_to_other_topics(topic_pages):
    for page, html in topic_pages.items():
        assert 'id="see-also"' in html, page
        tail = html.split('id="see-also"', 1)[1].split("</article>", 1)[0]
        hrefs = re.findall(r'<a href="(\.\./[a-z0-9-]+/)"', tail)
        assert 1 <= len(hrefs) <= 3 and f"../{page.split('/')[1]}/" not in hrefs, page


DEFINITIONS = {t.slug: " ".join(t.definition.split()) for t in load_glossary()}


def definition_of(link) -> str:
    return DEFINITIONS[urlsplit(link.get_attribute("href")).fragment]


def requests_for(page, name: str) -> int:
    return page.evaluate("(name) => performance.getEntriesByType('resource').filter(e => e.name.endsWith(name)).length", name)


def test_term_definition_shows_on_hover_and_on_first_tap(chromium, site_url, test_output):
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, service_workers="block")
    page = context.new_page()
    page.goto(site_url + "topics/attention/")
    assert page.locator("#hb-term-tooltip").count() == 0  # made on first use, not on load
    assert not requests_for(page, "terms.json")  # the definitions load on first use, not with the page
    term = page.locator('a[href*="glossary/#"] >> visible=true').first
    term.hover()
    tooltip = page.locator("#hb-term-tooltip")
    tooltip.wait_for(state="visible", timeout=5000)
    assert tooltip.inner_text().strip() == definition_of(term) and term.get_attribute("title") is None
    assert term.get_attribute("aria-describedby") == "hb-term-tooltip"  # the tooltip describes the link
    page.screenshot(path=str(test_output / "term-tooltip.png"))
    page.mouse.move(0, 0)
    tooltip.wait_for(state="hidden", timeout=5000)
    assert term.get_attribute("aria-describedby") is None

    other = page.locator('a[href*="glossary/#"] >> visible=true').nth(1)
    other.focus()  # the keyboard: focus shows it, Escape dismisses it and keeps focus
    tooltip.wait_for(state="visible", timeout=5000)
    assert tooltip.inner_text().strip() == definition_of(other)
    assert requests_for(page, "terms.json") == 1  # fetched once for every term
    page.keyboard.press("Escape")
    tooltip.wait_for(state="hidden", timeout=5000)
    assert page.evaluate("document.activeElement.getAttribute('href')") == other.get_attribute("href")
    context.close()

    touch = chromium.new_context(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True, service_workers="block")
    page = touch.new_page()
    page.goto(site_url + "topics/attention/")
    term = page.locator('a[href*="glossary/#"] >> visible=true').first
    term.scroll_into_view_if_needed()
    term.tap()
    tooltip = page.locator("#hb-term-tooltip")
    tooltip.wait_for(state="visible", timeout=5000)
    assert tooltip.inner_text().strip() == definition_of(term)
    assert "/topics/attention/" in page.url  # the first tap shows the definition and stays
    box, width = tooltip.bounding_box(), page.viewport_size["width"]
    assert box["x"] >= 0 and box["x"] + box["width"] <= width  # inside the narrow screen
    page.screenshot(path=str(test_output / "term-tooltip-touch.png"))
    term.tap()
    # Waited until the glossary has loaded: closing the context while a navigation is still in flight
    # once hung Playwright until the test's time limit.
    page.wait_for_url(re.compile(r"/glossary/#"), wait_until="domcontentloaded", timeout=30000)
    touch.close()


def test_a_term_without_a_definition_leaves_no_other_terms_tooltip_up(chromium, site, site_url):
    """terms.json without the second term's definition (a glossary edited after the page was built):
    moving onto that term hides the first term's tooltip rather than leaving it up, describing neither."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, service_workers="block")
    page = context.new_page()
    page.goto(site_url + "topics/attention/")
    terms = page.locator('a[href*="glossary/#"] >> visible=true')
    first, second = terms.first, terms.nth(1)
    missing = urlsplit(second.get_attribute("href")).fragment
    assert urlsplit(first.get_attribute("href")).fragment != missing
    definitions = json.loads((site / "assets" / "terms.json").read_text(encoding="utf-8"))
    definitions.pop(missing)
    page.route("**/assets/terms.json", lambda route: route.fulfill(status=200, content_type="application/json", body=json.dumps(definitions)))
    tooltip = page.locator("#hb-term-tooltip")
    first.hover()
    tooltip.wait_for(state="visible", timeout=5000)
    second.hover()
    tooltip.wait_for(state="hidden", timeout=5000)
    assert first.get_attribute("aria-describedby") is None and second.get_attribute("aria-describedby") is None
    context.close()
