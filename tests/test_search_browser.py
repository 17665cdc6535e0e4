"""Search as a reader uses it, in headless Chromium: the right question among the first three result
items a reader sees, for concepts, questions, typos, comparisons and narrowed searches."""

from __future__ import annotations

from pathlib import Path

import pytest

from search_ui import load_queries, matches, open_search, timed_query, type_query

pytestmark = pytest.mark.browser

DATA = Path(__file__).resolve().parent / "data"
QUERY_SETS = (
    "search_queries.tsv",  # concepts (a copy of the shared checks)
    "search_questions.tsv",  # questions as readers type them (a copy of the shared checks)
    "search_queries_extra.tsv",  # acronyms, expansions and other names
    "search_typos.tsv",  # one letter wrong in a word of five letters or more
    "search_comparisons.tsv",  # "X vs Y", "difference between X and Y", sides swapped
    "search_narrowed.tsv",  # level: and topic:, every item shown of that level or topic
)


def misses_of(page, site_url: str, queries, ask=timed_query) -> list[str]:  # noqa: ANN001
    misses = []
    for query in queries:
        results = ask(page, site_url, query.query)
        results = results[1] if isinstance(results, tuple) else results
        if not matches(query, results):
            misses.append(f"{query.query!r}: {[(r.title, r.link, r.tags) for r in results[:3]]}")
    return misses


@pytest.mark.parametrize("query_set", QUERY_SETS)
def test_every_query_finds_its_question_in_the_first_three_results(page, site_url, query_set):
    queries = load_queries(DATA / query_set)
    assert len(queries) >= 10
    open_search(page, site_url)
    misses = misses_of(page, site_url, queries)
    assert misses == [], f"{len(misses)} of {len(queries)} queries missed:\n" + "\n".join(misses)


def test_questions_typed_key_by_key_find_theirs(page, site_url):
    """Every keyup sends a query; what counts is what is shown once the reader stops typing."""
    queries = load_queries(DATA / "search_questions.tsv")
    open_search(page, site_url)
    misses = misses_of(page, site_url, queries, ask=type_query)
    assert misses == [], "\n".join(misses)


def test_a_result_is_a_question_with_its_topic_and_level(page, site_url, built):
    open_search(page, site_url)
    _, results = timed_query(page, site_url, "how does lora reduce the number of trainable parameters")
    assert len(results) >= 3
    topics = {s.topic.title.lower() for s in built.sections} | {"glossary"}
    for result in results:
        assert "#" in result.link, result  # a question (or term) at its anchor, never a page listing it
        assert result.is_page  # shown as a title of its own, not folded under a page
        assert result.tags and result.tags[0] in topics, result
    assert results[0].link.startswith("topics/fine-tuning/#") and results[0].tags[1] in {"beginner", "intermediate", "advanced"}


def test_a_typed_acronym_opens_the_answer_itself(page, site_url, test_output):
    open_search(page, site_url)
    results = type_query(page, site_url, "GQA")
    page.screenshot(path=str(test_output / "search-gqa.png"))
    first = results[0]
    assert "gqa" in first.link and "#" in first.link
    assert page.locator(".md-search-result__list h1 mark").first.inner_text().lower() == "gqa"  # the match, marked
    page.locator(".md-search-result__list a.md-search-result__link").first.click()
    page.wait_for_load_state()
    anchor = first.link.split("#", 1)[1]
    assert page.url.split("#", 1)[1] == anchor
    assert page.locator(f"[id='{anchor}']").is_visible()


def test_stop_words_alone_find_nothing_and_the_word_being_typed_is_completed(page, site_url):
    open_search(page, site_url)
    _, results = timed_query(page, site_url, "how do you")
    assert results == []
    type_query(page, site_url, "speculative deco")
    assert page.locator(".md-search__suggest").inner_text().strip().lower() == "speculative decoding"


def test_search_works_from_the_site_alone(page, site_url):
    """The worker, MiniSearch and the index come from the site: nothing from another host."""
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    open_search(page, site_url)
    _, results = timed_query(page, site_url, "kv cache")
    assert results
    assert any(url.endswith("/assets/search/worker.js") for url in requested)
    assert any("/assets/search/index.json?v=" in url for url in requested)
    assert all(url.startswith(site_url) for url in requested), [u for u in requested if not u.startswith(site_url)]
