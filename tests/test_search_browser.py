"""Search as a reader uses it, in headless Chromium: the right question among the first three results."""

from __future__ import annotations

from pathlib import Path

import pytest

from search_ui import load_queries, matches, open_search, timed_query, type_query

pytestmark = pytest.mark.browser

DATA = Path(__file__).resolve().parent / "data"
QUERY_SETS = ("search_queries.tsv", "search_queries_extra.tsv")


@pytest.mark.parametrize("query_set", QUERY_SETS)
def test_every_query_finds_its_question_in_the_first_three_results(page, site_url, query_set):
    queries = load_queries(DATA / query_set)
    assert len(queries) >= 30
    open_search(page, site_url)
    misses = []
    for query in queries:
        _, results = timed_query(page, site_url, query.query)
        if not matches(query, results):
            misses.append(f"{query.query!r}: {[(r.title, r.link) for r in results[:3]]}")
    assert misses == [], f"{len(misses)} of {len(queries)} queries missed:\n" + "\n".join(misses)


def test_a_typed_acronym_opens_the_answer_itself(page, site_url, built, test_output):
    open_search(page, site_url)
    results = type_query(page, site_url, "GQA")
    page.screenshot(path=str(test_output / "search-gqa.png"))
    section = next(r for r in results[:3] if not r.is_page)
    assert "#" in section.link and "gqa" in section.link
    topic_title = next(s.topic.title for s in built.sections if f"topics/{s.topic.slug}/" in section.link)
    assert results[0].is_page and results[0].title == topic_title  # the topic heads its questions
    page.locator(".md-search-result__list a.md-search-result__link", has_text=section.title).first.click()
    page.wait_for_load_state()
    anchor = section.link.split("#", 1)[1]
    assert page.url.split("#", 1)[1] == anchor
    assert page.locator(f"[id='{anchor}']").is_visible()


def test_search_terms_are_for_the_index_only(page, site_url):
    """The other names are in the page for the index, but not on screen, in print or for screen readers."""
    page.goto(f"{site_url}topics/positional-encoding/")
    block = page.locator(".hb-search-terms").filter(has_text="rotary embeddings").first
    assert block.count() == 1
    for media in ("screen", "print"):
        page.emulate_media(media=media)
        assert not block.is_visible()
        # The hidden attribute (not only CSS) keeps it out of the accessibility tree.
        assert block.evaluate("el => el.hidden && getComputedStyle(el).display === 'none'")
