"""The study tools in real headless Chromium: level filter, its persistence, practice mode, the random
question button, and the page without JavaScript (everything shown)."""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

import pytest

from builder.editorial import shown_levels

pytestmark = pytest.mark.browser

TOPIC = "decoding"  # grouped by level (topics with sub-sections: tests/test_topics_browser.py)
OTHER_TOPIC = "attention"


def _section(built, slug: str):
    return next(s for s in built.sections if s.topic.slug == slug)


def _levels(built, entry) -> set[str]:
    """The levels the reader sees: the sources' or, where none gives one, the handbook's estimate."""
    levels, _ = shown_levels(entry, built.editorial.get(entry.id))
    return {level.label.lower() for level in levels} or {"any"}


def _visible_entry_ids(page) -> list[str]:
    return page.eval_on_selector_all(".hb-entry:not([hidden]) h3[id]", "hs => hs.map(h => h.id)")


def _entry_of_url(built, url: str):
    parts = urlsplit(url)
    entry_id = unquote(parts.fragment)
    topic = parts.path.strip("/").split("/")[-1]
    entry = next(e for e in built.entries if e.id == entry_id)
    return topic, entry


def _click_and_wait_for_new_url(page, selector: str) -> str:
    before = page.url
    page.click(selector)
    page.wait_for_function("before => location.href !== before", arg=before)
    page.wait_for_load_state()
    return page.url


def test_level_filter_shows_only_the_chosen_levels_and_hides_empty_groups(page, site_url, built, test_output):
    section = _section(built, TOPIC)
    page.goto(f"{site_url}topics/{TOPIC}/")
    assert len(_visible_entry_ids(page)) == len(section.entries)

    page.click(".hb-level-chip[data-level='advanced']")
    expected = [e.id for e in section.entries if "advanced" in _levels(built, e)]
    assert expected and _visible_entry_ids(page) == expected
    # A level group shows exactly when one of its entries does (an entry of several levels shows in its
    # easiest level's group).
    groups = page.eval_on_selector_all(
        'h2[id^="level-"]',
        """hs => hs.map(h => { let any = false;
             for (let n = h.nextElementSibling; n && n.tagName !== 'H2'; n = n.nextElementSibling)
               if (n.matches('.hb-entry') && !n.hidden) any = true;
             return [h.id, !h.hidden, any]; })""",
    )
    assert all(shown == any_visible for _, shown, any_visible in groups) and ("level-advanced", True, True) in [tuple(g) for g in groups]
    assert any(not shown for _, shown, _ in groups)  # some group is hidden
    toc = page.locator(".md-sidebar--secondary .md-nav--secondary")
    hidden_entry = next(e for e in section.entries if "advanced" not in _levels(built, e))
    assert toc.locator(f"a[href='#{hidden_entry.id}']").is_hidden()
    assert toc.locator(f"a[href='#{expected[0]}']").is_visible()
    assert page.locator(".hb-tools__status").inner_text() == f"Showing {len(expected)} of {len(section.entries)} questions."
    page.screenshot(path=str(test_output / "study-filter-advanced.png"))

    page.click(".hb-level-chip[data-level='beginner']")  # a second level adds to the first
    both = [e.id for e in section.entries if _levels(built, e) & {"advanced", "beginner"}]
    assert _visible_entry_ids(page) == both
    page.click(".hb-level-chip[data-level='']")
    assert len(_visible_entry_ids(page)) == len(section.entries)


def test_level_choice_is_kept_across_pages_and_reloads(page, site_url, built):
    page.goto(f"{site_url}topics/{TOPIC}/")
    page.click(".hb-level-chip[data-level='beginner']")
    page.locator(f".md-sidebar--primary a[href$='{OTHER_TOPIC}/']").first.click()
    page.wait_for_load_state()
    assert urlsplit(page.url).path.endswith(f"/topics/{OTHER_TOPIC}/")
    other = _section(built, OTHER_TOPIC)
    assert _visible_entry_ids(page) == [e.id for e in other.entries if "beginner" in _levels(built, e)]
    assert page.get_attribute(".hb-level-chip[data-level='beginner']", "aria-pressed") == "true"
    page.reload()
    assert _visible_entry_ids(page) == [e.id for e in other.entries if "beginner" in _levels(built, e)]


def test_a_link_to_a_question_shows_it_even_when_its_level_is_filtered_out(page, site_url, built):
    section = _section(built, TOPIC)
    page.goto(f"{site_url}topics/{TOPIC}/")
    page.click(".hb-level-chip[data-level='beginner']")
    entry = next(e for e in section.entries if "beginner" not in _levels(built, e) and e.anchors)
    page.goto(f"{site_url}topics/{TOPIC}/#{entry.anchors[0]}")  # an old per-wording anchor
    assert entry.id in _visible_entry_ids(page)
    _wait_until_in_view(page, f"h3[id='{entry.id}']")


def test_a_link_to_an_anchor_on_the_wrong_page_goes_to_the_page_that_has_it(page, site_url, built):
    entry = next(e for e in _section(built, TOPIC).entries if e.anchors)
    page.goto(f"{site_url}topics/{OTHER_TOPIC}/#{entry.anchors[0]}")  # as if the entry had moved
    page.wait_for_url(f"**/topics/{TOPIC}/#{entry.anchors[0]}")
    page.wait_for_load_state()
    _wait_until_in_view(page, f"h3[id='{entry.id}']")  # the question, not just its answer


def _wait_until_in_view(page, selector: str) -> None:
    page.wait_for_function(
        """sel => { const r = document.querySelector(sel).getBoundingClientRect();
                    const header = document.querySelector('.md-header').getBoundingClientRect().bottom;
                    return r.top >= header && r.bottom <= window.innerHeight && r.height > 0; }""",
        arg=selector, timeout=15000,  # a loaded 2-core CI machine can take seconds to scroll
    )


def test_practice_mode_hides_every_answer_until_revealed_and_is_kept(page, site_url, built, test_output):
    section = _section(built, TOPIC)
    page.goto(f"{site_url}topics/{TOPIC}/")
    answers = page.locator(".hb-entry .hb-answer")
    assert answers.count() == len(section.entries) and answers.first.is_visible()
    assert page.locator(".hb-reveal").count() == 0

    page.click(".hb-tools__practice")
    assert page.is_checked(".hb-practice-switch")
    assert page.eval_on_selector_all(".hb-answer", "as => as.filter(a => a.offsetParent !== null).length") == 0
    assert page.eval_on_selector_all(".hb-keypoints", "ks => ks.filter(k => k.offsetParent !== null).length") == 0
    reveals = page.locator(".hb-entry .hb-reveal")
    assert reveals.count() == len(section.entries)
    page.screenshot(path=str(test_output / "study-practice.png"))

    reveals.nth(1).click()
    assert answers.nth(1).is_visible() and answers.nth(0).is_hidden() and answers.nth(2).is_hidden()
    assert reveals.nth(1).inner_text() == "Hide answer" and reveals.nth(1).get_attribute("aria-expanded") == "true"
    page.locator(".hb-entry").nth(1).scroll_into_view_if_needed()
    page.screenshot(path=str(test_output / "study-practice-revealed.png"))
    page.emulate_media(media="print")  # a printout always has the answers
    assert answers.nth(0).is_visible() and page.locator(".hb-tools").is_hidden()
    page.emulate_media(media="screen")

    page.goto(f"{site_url}topics/{OTHER_TOPIC}/")
    assert page.is_checked(".hb-practice-switch") and page.locator(".hb-answer").first.is_hidden()
    page.click(".hb-tools__practice")
    assert page.locator(".hb-answer").first.is_visible() and page.locator(".hb-reveal").first.is_hidden()


def test_random_question_opens_an_entry_of_this_topic(page, site_url, built, test_output):
    section = _section(built, TOPIC)
    page.goto(f"{site_url}topics/{TOPIC}/")
    page.select_option(".hb-random-scope", "topic")
    seen = []
    for _ in range(2):
        topic, entry = _entry_of_url(built, _click_and_wait_for_new_url(page, ".hb-random"))
        assert topic == TOPIC and entry in section.entries
        assert page.locator(f"h3[id='{entry.id}']").is_visible()
        seen.append(entry.id)
    assert all(a != b for a, b in zip(seen, seen[1:]))  # never the question already open
    page.screenshot(path=str(test_output / "study-random.png"))


def test_random_question_from_the_home_page_respects_the_chosen_level(page, site_url, built):
    page.goto(site_url)
    assert page.locator(".hb-tools .hb-random").is_visible()
    page.click(".hb-level-chip[data-level='intermediate']")
    for _ in range(2):
        topic, entry = _entry_of_url(built, _click_and_wait_for_new_url(page, ".hb-random"))
        assert "intermediate" in _levels(built, entry) and entry in _section(built, topic).entries
        assert page.locator(f"h3[id='{entry.id}']").is_visible()


def test_without_javascript_every_question_and_answer_is_shown(chromium, site_url, built, test_output):
    context = chromium.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        section = _section(built, TOPIC)
        page.goto(f"{site_url}topics/{TOPIC}/")
        assert page.locator(".hb-tools").count() == 0 and page.locator(".hb-reveal").count() == 0
        assert page.eval_on_selector_all(".hb-entry", "es => es.filter(e => e.offsetParent !== null).length") == len(section.entries)
        assert page.eval_on_selector_all(".hb-answer", "as => as.filter(a => a.offsetParent !== null).length") == len(section.entries)
        for label in ("Beginner", "Intermediate", "Advanced"):
            assert page.locator(f"h2#level-{label.lower()}").is_visible()
        page.screenshot(path=str(test_output / "study-no-javascript.png"))
    finally:
        context.close()


@pytest.mark.parametrize("width", [360, 412, 440, 600, 800, 1280, 1600])
def test_the_toolbar_fills_exactly_the_space_reserved_for_it(chromium, site_url, built, width):
    """No layout shift: before study.js runs, the topic page's empty slot is as tall as the toolbar
    it then receives; without JavaScript it takes no space at all."""
    heights = {}
    for mode in ("reserved", "filled", "no-js"):
        context = chromium.new_context(java_script_enabled=mode != "no-js", viewport={"width": width, "height": 900})
        page = context.new_page()
        if mode == "reserved":
            page.route("**/assets/study.js", lambda route: route.abort())
        try:
            page.goto(f"{site_url}topics/{TOPIC}/")
            if mode == "filled":
                page.wait_for_selector("[data-hb-tools] .hb-tools")
            heights[mode] = page.eval_on_selector("[data-hb-tools]", "s => s.getBoundingClientRect().height")
        finally:
            context.close()
    assert heights["filled"] > 50
    assert abs(heights["reserved"] - heights["filled"]) < 2, heights
    assert heights["no-js"] == 0, heights
