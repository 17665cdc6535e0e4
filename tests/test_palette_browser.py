"""The light/dark palette (builder/theme/partials/) and what a page load restyles, in real Chromium.

The palette is applied while only the header is parsed, and nothing a page's scripts do when they
start changes the root's classes or the body's colour attributes once the page is there: each such
change had Chromium work out the whole page's style again (Lighthouse's blocking time on the
glossary and the largest topic pages).
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

PAGE = "topics/transformer-architecture/"
OTHER_PAGE = "glossary/"
SCHEME = "() => document.body.getAttribute('data-md-color-scheme')"
SHOWN_TOGGLE = "() => [...document.querySelectorAll('[data-hb-palette] label')].filter(l => !l.hidden).map(l => l.title)"

# Every change of the root's class and of the body's attributes, with how many elements the document
# had when it was made (a change counts only if the value differs: Material sets some to what they are).
RECORD_CHANGES = """
window.__changes = [];
new MutationObserver(records => {
  const parsed = document.getElementsByTagName('*').length;
  for (const r of records) {
    const now = r.target.getAttribute(r.attributeName);
    if (now !== r.oldValue) window.__changes.push({target: r.target.tagName, name: r.attributeName, from: r.oldValue, to: now, parsed});
  }
}).observe(document, {attributes: true, attributeOldValue: true, subtree: true, attributeFilter: ['class', 'data-md-color-scheme', 'data-md-color-primary', 'data-md-color-accent', 'data-md-color-media', 'data-md-color-switching']});
"""


@pytest.fixture
def new_page(chromium):
    contexts = []

    def open_page(color_scheme: str = "light"):
        context = chromium.new_context(viewport={"width": 1280, "height": 900}, color_scheme=color_scheme, service_workers="block")
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.mark.parametrize("system, scheme, toggle", [("light", "default", "Switch to dark mode"), ("dark", "slate", "Switch to light mode")])
def test_the_palette_follows_the_system_until_the_reader_chooses(new_page, site_url, system, scheme, toggle):
    page = new_page(system)
    page.goto(site_url + PAGE)
    assert page.evaluate(SCHEME) == scheme
    assert page.evaluate(SHOWN_TOGGLE) == [toggle]
    assert page.evaluate("() => document.querySelector('meta[name=color-scheme]').content") == ("dark" if system == "dark" else "light")


def test_the_toggle_switches_the_palette_and_the_choice_is_kept_on_every_page(new_page, site_url):
    page = new_page("light")
    page.goto(site_url + PAGE)
    page.locator("[data-hb-palette] label:not([hidden])").click()
    assert page.evaluate(SCHEME) == "slate"
    assert page.evaluate(SHOWN_TOGGLE) == ["Switch to light mode"]
    header = page.evaluate("() => getComputedStyle(document.querySelector('.md-header')).backgroundColor")
    assert page.evaluate("() => document.querySelector('meta[name=theme-color]').content").lstrip("#") == "".join(
        f"{int(part):02x}" for part in header[header.index("(") + 1 : -1].split(",")[:3]
    )
    page.goto(site_url + OTHER_PAGE)
    assert page.evaluate(SCHEME) == "slate"
    page.reload()
    assert page.evaluate(SCHEME) == "slate"
    # Back to light: the choice is kept even where the system prefers dark.
    page.locator("[data-hb-palette] label:not([hidden])").click()
    assert page.evaluate(SCHEME) == "default"
    page.emulate_media(color_scheme="dark")
    page.reload()
    assert page.evaluate(SCHEME) == "default"


def test_enter_on_the_palette_switches_it(new_page, site_url):
    page = new_page("light")
    page.goto(site_url + PAGE)
    page.focus("#__palette_0")
    page.keyboard.press("Enter")
    assert page.evaluate(SCHEME) == "slate"
    page.keyboard.press("Enter")
    assert page.evaluate(SCHEME) == "default"


@pytest.mark.parametrize("system", ["light", "dark"])
@pytest.mark.parametrize("path", [PAGE, OTHER_PAGE])
def test_a_page_load_changes_the_root_and_the_palette_only_before_the_body_is_there(new_page, site_url, path, system):
    page = new_page(system)
    page.add_init_script(RECORD_CHANGES)
    page.goto(site_url + path)
    page.wait_for_load_state("networkidle")
    changes = page.evaluate("() => window.__changes")
    elements = page.evaluate("() => document.getElementsByTagName('*').length")
    assert elements > 3000  # a large page, where restyling all of it costs
    late = [c for c in changes if c["target"] in ("HTML", "BODY") and c["parsed"] > 300]
    assert late == [], late
    assert not any(c["name"] == "data-md-color-switching" for c in changes), changes
    assert page.evaluate("() => document.documentElement.className.split(' ').sort()") == ["js", "js-focus-visible"]
