"""Math and code as a reader sees them, in real headless Chromium: KaTeX's HTML on every page, no
error and no raw TeX anywhere, fonts from the site itself, and the attention formula on screen and in
print (screenshots in test-output/ for a person to look at)."""

from __future__ import annotations

import re
import subprocess

import pytest

pytestmark = pytest.mark.browser

# Text of the page's content without what is meant to hold TeX or dollars: KaTeX's own markup (its
# MathML keeps the source as an annotation), code, scripts and styles. Hidden tabs are included.
_CONTENT_TEXT = """() => {
  const root = document.querySelector('article') || document.body;
  const copy = root.cloneNode(true);
  copy.querySelectorAll('.katex, pre, code, script, style').forEach((el) => el.remove());
  return copy.textContent;
}"""
_RAW_TEX = re.compile(r"\\(?:frac|text\{|rightarrow|sqrt|cdot|sum|theta)")
_UNPAIRED_DOLLAR = re.compile(r"\$(?!\d)")  # "$5B" and "$195.23" are money, not math

_SHOW_FORMULA = """(word) => {
  for (const el of document.querySelectorAll('.hb-math--display')) {
    const tex = el.querySelector('annotation');
    if (!tex || !tex.textContent.includes(word)) continue;
    const block = el.closest('.tabbed-block');
    if (block) {  // open the answer tab the formula is in
      const i = Array.from(block.parentElement.children).indexOf(block);
      block.closest('.tabbed-set').querySelectorAll(':scope > .tabbed-labels > label')[i].click();
    }
    el.id = 'hb-formula-under-test';
    return true;
  }
  return false;
}"""


def _site_pages(site) -> list[str]:
    return sorted(
        str(p.parent.relative_to(site)).replace(".", "") + "/" if p.parent != site else ""
        for p in site.rglob("index.html")
        if "assets" not in p.parts and "search" not in p.parts
    )


def test_no_page_shows_a_katex_error_raw_tex_or_an_unpaired_dollar(chromium, site, site_url):
    # JavaScript off: the math must be there without it (and the pages load faster)
    context = chromium.new_context(service_workers="block", java_script_enabled=False)
    pg = context.new_page()
    pages = _site_pages(site)
    rendered = 0
    problems: list[str] = []
    for path in pages:
        pg.goto(site_url + path.lstrip("/"), wait_until="domcontentloaded")
        if pg.locator(".katex-error").count():
            problems.append(f"{path}: KaTeX error element")
        if pg.locator(".katex em, .katex strong, .katex a").count():
            problems.append(f"{path}: Markdown reached into KaTeX's HTML")
        rendered += pg.locator(".katex").count()
        text = pg.evaluate(_CONTENT_TEXT)
        problems += [f"{path}: raw TeX {m.group(0)!r} in {text[max(0, m.start() - 40) : m.end() + 20]!r}" for m in _RAW_TEX.finditer(text)]
        problems += [f"{path}: unpaired $ in {text[max(0, m.start() - 40) : m.end() + 20]!r}" for m in _UNPAIRED_DOLLAR.finditer(text)]
    context.close()
    assert len(pages) > 20 and rendered > 50
    assert problems == []


def test_math_is_html_at_build_time_with_no_katex_script(site):
    attention = (site / "topics" / "attention" / "index.html").read_text(encoding="utf-8")
    assert 'class="katex-display"' in attention and "katex.min.css" in attention
    assert not re.search(r"<script[^>]+katex", attention, re.I)


def test_the_attention_formula_renders_on_screen_and_in_print(page, site_url, test_output):
    fonts: list[str] = []
    page.on("request", lambda r: fonts.append(r.url) if ".woff" in r.url else None)
    page.goto(site_url + "topics/attention/")
    page.wait_for_load_state("networkidle")
    assert page.evaluate(_SHOW_FORMULA, "sqrt")
    formula = page.locator("#hb-formula-under-test")
    formula.scroll_into_view_if_needed()
    page.evaluate("document.fonts.ready")
    assert page.evaluate("document.fonts.check('16px KaTeX_Main') && document.fonts.check('16px KaTeX_Math')")
    box = formula.locator(".katex-html").bounding_box()
    assert box and box["width"] > 150 and box["height"] > 22  # typeset, a root drawn over d_k
    assert formula.locator(".katex-html .sqrt").count() == 1
    assert "softmax" in formula.locator(".katex-html").inner_text()
    formula.locator("xpath=ancestor::div[contains(@class,'hb-entry')][1]").screenshot(path=str(test_output / "math-attention.png"))
    assert fonts and all(u.startswith(site_url + "assets/katex/fonts/") for u in fonts)

    page.emulate_media(media="print")
    assert formula.locator(".katex-html").is_visible() and not formula.locator(".katex-mathml").bounding_box()["width"] > 2
    formula.screenshot(path=str(test_output / "math-attention-print.png"))


def test_a_topic_prints_its_math_as_math(page, site_url, test_output):
    page.goto(site_url + "topics/attention/")
    page.wait_for_load_state("networkidle")
    page.emulate_media(media="print")
    pdf = test_output / "topic-attention.pdf"
    pdf.write_bytes(page.pdf(format="A4"))
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert re.search(r"softmax ?\(Q ?[⋅∗]? ?K", text)  # the typeset formula (K's transpose drawn), not the TeX
    assert not _RAW_TEX.search(text)
