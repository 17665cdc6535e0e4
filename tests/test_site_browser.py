"""What a reader sees, in real headless Chromium: pages load, topics link to answers, nothing external."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_home_lists_every_topic_and_its_links_open_topic_pages(page, site_url, built, test_output):
    page.goto(site_url)
    cards = page.locator(".grid.cards strong > a")  # each card's title (its other links: its Anki deck, its reviews)
    assert cards.count() == len(built.sections)
    page.screenshot(path=str(test_output / "home.png"))
    cards.first.click()
    page.wait_for_load_state()
    assert "/topics/" in page.url and page.locator(".hb-entry").count() > 0


def test_a_question_anchor_lands_on_its_answer(page, site_url, built, test_output):
    section = next(s for s in built.sections if s.topic.slug == "attention")
    entry = section.entries[0]
    page.goto(f"{site_url}topics/{section.topic.slug}/#{entry.id}")
    heading = page.locator(f"[id='{entry.id}']")
    assert heading.is_visible() and entry.question.split()[0] in heading.inner_text()
    page.screenshot(path=str(test_output / "topic-attention.png"))


def test_pages_load_nothing_from_other_hosts(chromium, site_url):
    context = chromium.new_context()
    pg = context.new_page()
    requests: list[str] = []
    pg.on("request", lambda r: requests.append(r.url))
    for path in ("", "topics/attention/", "coverage/"):
        pg.goto(site_url + path)
        pg.wait_for_load_state("networkidle")
    context.close()
    outside = [u for u in requests if not u.startswith(site_url) and not u.startswith("data:")]
    assert outside == []


def test_choosing_a_source_tab_changes_only_that_questions_answer(page, site_url):
    """Answer tabs are named by source (several questions have a "Fundamentals Guide" tab): picking one
    for a question must not switch the other questions' answers to it, here or on the next page."""
    page.goto(site_url + "topics/alignment/")
    labels = page.locator(".tabbed-labels > label")
    checked = "el => document.getElementById(el.htmlFor).checked"
    before = [labels.nth(i).evaluate(checked) for i in range(labels.count())]
    assert before.count(False) >= 2
    first = before.index(False)
    name = labels.nth(first).inner_text().split(" · ")[0]
    labels.nth(first).click()
    after = [labels.nth(i).evaluate(checked) for i in range(labels.count())]
    assert after[first] and sum(after) == sum(before)  # one tab of that set in, one out
    sets = page.locator(".tabbed-set")
    opened = [sets.nth(k).locator(":scope > .tabbed-labels > label").evaluate_all(
        "ls => ls.findIndex(l => document.getElementById(l.htmlFor).checked)") for k in range(sets.count())]
    assert sum(1 for i in opened if i != 0) == 1  # only the set clicked shows another than its first tab
    # Nor on the next page: the choice is not carried over, every set opens on its first (fullest) tab.
    page.goto(site_url + "topics/attention/")
    sets = page.locator(".tabbed-set")
    assert sets.count() >= 1 and all(
        sets.nth(k).locator(":scope > .tabbed-labels > label").evaluate_all(
            "ls => ls.findIndex(l => document.getElementById(l.htmlFor).checked)") == 0
        for k in range(sets.count())
    ), name


def test_materials_script_starts_after_parsing_and_the_study_scripts_before(page, site_url):
    """Material's script is deferred (it no longer runs inside the parser's task), and still does its
    work: here the code blocks' copy buttons. progress.js and study.js stay plain, so the study tools
    are on the page before its first paint."""
    page.goto(site_url + "topics/quantization/")
    scripts = page.eval_on_selector_all("script[src]", "ss => ss.map(s => [s.getAttribute('src').split('/').pop(), s.defer])")
    assert [deferred for name, deferred in scripts if name.startswith("bundle.")] == [True]
    assert dict(scripts)["progress.js"] is False and dict(scripts)["study.js"] is False
    page.wait_for_selector(".highlight pre .md-code__button", state="attached")
    assert page.locator(".md-code__button").count() == page.locator(".highlight pre").count() > 0
    assert page.locator("[data-hb-tools] .hb-tools").count() == 1


@pytest.mark.parametrize("width", [412, 800, 1280])
def test_the_entry_an_address_points_at_is_marked_where_the_reader_sees_it(chromium, site_url, built, width):
    """The rule beside the entry a link or a search result opens stands inside the window (Material's
    content margin is narrowest below 1220px), and its question stays in line with the others."""
    section = next(s for s in built.sections if s.topic.slug == "rag")
    target, other = section.entries[1].id, section.entries[2].id
    context = chromium.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    try:
        page.goto(f"{site_url}topics/rag/#{target}")
        rule = page.eval_on_selector(".hb-entry:has(:target)", "e => [e.getBoundingClientRect().left, getComputedStyle(e).borderLeftWidth]")
        assert rule[0] >= 0 and rule[1] != "0px", rule
        lefts = [page.eval_on_selector(f"[id='{i}']", "e => e.getBoundingClientRect().left") for i in (target, other)]
        assert lefts[0] == lefts[1], lefts
    finally:
        context.close()
