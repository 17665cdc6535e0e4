"""Topic pages with sub-sections in headless Chromium: the level filter hides a sub-section left empty and
its table-of-contents line, printing shows every group, and without JavaScript everything is shown."""

from __future__ import annotations

import pytest

from builder.editorial import shown_levels

pytestmark = pytest.mark.browser

LEVELS = ("beginner", "intermediate", "advanced")


def _levels(built, entry) -> set[str]:
    levels, _ = shown_levels(entry, built.editorial.get(entry.id))
    return {level.label.lower() for level in levels}


def _a_level_that_empties_a_sub_section(built):
    """A topic with sub-sections, and a level at which one of them has no entry while another has."""
    for section in built.sections:
        for level in LEVELS:
            empty = [p for p in section.parts if not any(level in _levels(built, e) for e in p.entries)]
            if empty and len(empty) < len(section.parts):
                return section, level, empty
    raise AssertionError("no topic has a sub-section without an entry of some level")


def _visible_groups(page) -> list[str]:
    return page.eval_on_selector_all("h2.hb-group", "hs => hs.filter(h => h.offsetParent !== null).map(h => h.id)")


def test_the_level_filter_hides_an_empty_sub_section_and_its_contents_line(page, site_url, built, test_output):
    section, level, empty = _a_level_that_empties_a_sub_section(built)
    page.goto(f"{site_url}topics/{section.topic.slug}/")
    slugs = [p.subtopic.slug for p in section.parts]
    assert _visible_groups(page) == slugs
    toc = page.locator(".md-sidebar--secondary .md-nav--secondary")
    assert all(toc.locator(f"a[href='#{slug}']").is_visible() for slug in slugs)

    page.click(f".hb-level-chip[data-level='{level}']")
    kept = [p.subtopic.slug for p in section.parts if p not in empty]
    assert _visible_groups(page) == kept
    for part in empty:
        assert toc.locator(f"a[href='#{part.subtopic.slug}']").is_hidden()
    for slug in kept:
        assert toc.locator(f"a[href='#{slug}']").is_visible()
    shown = page.eval_on_selector_all(".hb-entry:not([hidden]) h3[id]", "hs => hs.map(h => h.id)")
    assert shown == [e.id for e in section.entries if level in _levels(built, e)]
    page.screenshot(path=str(test_output / f"topics-filter-{section.topic.slug}-{level}.png"))

    page.emulate_media(media="print")  # paper shows every group, whatever the filter hid
    assert _visible_groups(page) == slugs
    page.emulate_media(media="screen")
    page.click(".hb-level-chip[data-level='']")
    assert _visible_groups(page) == slugs


def test_a_topic_page_with_sub_sections_shows_them_all_without_javascript(chromium, site_url, built, test_output):
    section = next(s for s in built.sections if len(s.parts) >= 4)
    context = chromium.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        page.goto(f"{site_url}topics/{section.topic.slug}/")
        assert _visible_groups(page) == [p.subtopic.slug for p in section.parts]
        assert page.eval_on_selector_all(".hb-entry", "es => es.filter(e => e.offsetParent !== null).length") == len(section.entries)
        page.screenshot(path=str(test_output / f"topics-no-javascript-{section.topic.slug}.png"))
    finally:
        context.close()


def test_the_old_address_of_a_question_of_a_merged_topic_leads_to_the_question(page, site_url, built):
    entry = next(e for s in built.sections if s.topic.slug == "transformer-architecture" for e in s.entries if e.id == "what-is-alibi-and-how-does-it-work")
    page.goto(f"{site_url}topics/positional-encoding/#{entry.id}")
    page.wait_for_url(f"**/topics/transformer-architecture/#{entry.id}")
    page.wait_for_load_state()
    assert page.locator(f"h3[id='{entry.id}']").is_visible()
