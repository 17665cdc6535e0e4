"""Every page of the built site is valid HTML, as the W3C's Nu Html Checker (vnu) reads it.

vnu comes from npm (``vnu-jar``, pinned in package.json) and runs on Java (``make test`` installs
Debian's ``default-jre-headless`` when ``java`` is missing). It checks every ``.html`` file of the
session's site, the print edition included.

**Material's own markup** is told apart by two things together, so nothing of ours hides behind it:

* where the error is: outside the page's ``<article class="md-content__inner …">``, in the theme's
  frame (header, navigation, footer), never in the content the builder wrote; and
* what it is: one of ``MATERIAL_ERRORS``, each an error message and the exact element of Material's
  templates it is about.

Any other error, anywhere on a page, is ours and fails the test. Material's errors (mkdocs-material
9.8, one set per page):

* ``autocomplete="off"`` on the checkboxes that open the navigation drawer and the search
  (``<input class="md-toggle" data-md-toggle="drawer|search" type="checkbox" … autocomplete="off">``):
  HTML allows ``autocomplete`` on text-like inputs only;
* ``tabindex=""`` on the labels of navigation sections (``<label class="md-nav__link" for="__nav_2"
  id="__nav_2_label" tabindex="">``): an empty tabindex is not an integer.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import ROOT

VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"

MATERIAL_ERRORS: tuple[tuple[str, re.Pattern[str], re.Pattern[str]], ...] = (
    (
        "autocomplete on Material's drawer and search toggles",
        re.compile(r"^Attribute “autocomplete” is only allowed when the input type is "),
        re.compile(r'<input class="md-toggle" data-md-toggle="(?:drawer|search)" type="checkbox" id="__(?:drawer|search)" autocomplete="off">'),
    ),
    (
        "empty tabindex on Material's navigation section labels",
        re.compile(r"^Bad value “” for attribute “tabindex” on element “label”"),
        re.compile(r'<label class="md-nav__link[^"]*" for="__nav_[\d_]+" id="__nav_[\d_]+_label" tabindex="">'),
    ),
)
"""(why, message, the template's element): the errors vnu finds in Material's own markup."""


@dataclass(frozen=True)
class Error:
    page: str  # path of the page under the site
    line: int
    column: int
    message: str
    extract: str

    def __str__(self) -> str:
        return f"{self.page}:{self.line}:{self.column}: {self.message} [{' '.join(self.extract.split())}]"


def java() -> str | None:
    return shutil.which("java")


def run_vnu(pages: list[Path], root: Path) -> list[Error]:
    """vnu's errors (warnings left out) on ``pages``, each with its page's path under ``root``."""
    assert java(), "java is missing: `make test` installs Debian's default-jre-headless"
    assert VNU.exists(), f"{VNU} is missing: run `make node_modules/.installed`"
    result = subprocess.run(
        ["java", "-Xss4m", "-jar", str(VNU), "--errors-only", "--format", "json", "--stdout", "--exit-zero-always", *map(str, pages)],
        capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    messages = json.loads(result.stdout)["messages"]
    fatal = [m for m in messages if m["type"] != "error"]  # non-document-error: a page vnu could not read
    assert not fatal, fatal
    return [
        Error(
            Path(m["url"].removeprefix("file:")).relative_to(root).as_posix(),
            m.get("lastLine", 0), m.get("lastColumn", 0), m["message"], m.get("extract", ""),
        )
        for m in messages
    ]


def _offset(text: str, line: int, column: int) -> int:
    """Character offset in ``text`` of a 1-based line and column."""
    start = 0
    for _ in range(line - 1):
        start = text.index("\n", start) + 1
    return start + max(column - 1, 0)


def material_reason(error: Error, html: str) -> str | None:
    """Why ``error`` is in Material's own markup, or None when it is ours."""
    article = re.search(r'<article class="md-content__inner[^"]*">', html)
    end = html.rfind("</article>")
    if article and end > 0 and article.start() <= _offset(html, error.line, error.column) <= end:
        return None  # in the content: ours, whatever the message
    for why, message, element in MATERIAL_ERRORS:
        if message.search(error.message) and element.search(error.extract):
            return why
    return None


def split_errors(errors: list[Error], root: Path) -> tuple[list[Error], dict[str, int]]:
    """Our errors, and how many of each kind of Material's there are."""
    ours: list[Error] = []
    material: dict[str, int] = {}
    pages: dict[str, str] = {}
    for error in errors:
        html = pages.setdefault(error.page, (root / error.page).read_text(encoding="utf-8"))
        why = material_reason(error, html)
        if why is None:
            ours.append(error)
        else:
            material[why] = material.get(why, 0) + 1
    return ours, material


@pytest.fixture(scope="session")
def vnu_errors(site: Path) -> list[Error]:
    return run_vnu(sorted(site.rglob("*.html")), site)


def test_no_errors_in_our_markup_on_any_page(vnu_errors, site):
    ours, material = split_errors(vnu_errors, site)
    pages = len(list(site.rglob("*.html")))
    assert pages > 30
    assert ours == [], f"{len(ours)} errors in our markup:\n" + "\n".join(map(str, ours[:40]))
    # Material's own errors are there on every page with its navigation, so the split was exercised.
    assert set(material) == {why for why, _, _ in MATERIAL_ERRORS}, material


# --- the split itself, on small pages ---------------------------------------------------------------

_FRAME = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>t</title></head><body>
<input class="md-toggle" data-md-toggle="drawer" type="checkbox" id="__drawer" autocomplete="off">
<nav><input class="md-nav__toggle md-toggle" type="checkbox" id="__nav_2">
<label class="md-nav__link" for="__nav_2" id="__nav_2_label" tabindex="">Topics</label></nav>
<main><article class="md-content__inner md-typeset">
{content}
</article></main></body></html>
"""


CASES = {
    "fine": ("<p>Fine.</p>", []),
    # a code block Markdown put inside a paragraph: the browser closes the p before the div
    "code-in-paragraph": ("<p>Code:\n<div class=\"highlight\"><pre><code>x</code></pre></div>\nafter</p>", ["No “p” element in scope but a “p” end tag seen."]),
    # Material's message is ours inside the content
    "autocomplete-in-content": ('<input type="checkbox" autocomplete="off">', ["Attribute “autocomplete” is only allowed when the input type is"]),
    "label-for-nothing": ('<label for="nowhere">x</label>', ["The value of the “for” attribute of the “label” element must be the ID of a non-hidden form control."]),
}


@pytest.fixture(scope="module")
def small_pages(tmp_path_factory) -> tuple[Path, list[Error]]:
    """Each case as a page in Material's frame, and one unlisted error in the frame itself; one vnu run."""
    root = tmp_path_factory.mktemp("vnu")
    pages = []
    for name, (content, _) in CASES.items():
        pages.append(root / name / "index.html")
        pages[-1].parent.mkdir()
        pages[-1].write_text(_FRAME.format(content=content), encoding="utf-8")
    pages.append(root / "frame" / "index.html")
    pages[-1].parent.mkdir()
    frame = _FRAME.format(content="<p>Fine.</p>").replace("<nav>", '<nav><label for="__toc">Contents</label>')
    pages[-1].write_text(frame, encoding="utf-8")
    return root, run_vnu(pages, root)


@pytest.mark.parametrize("name", sorted(CASES))
def test_errors_in_the_content_are_ours_and_the_frame_is_material(small_pages, name):
    root, errors = small_pages
    found, material = split_errors([e for e in errors if e.page == f"{name}/index.html"], root)
    expected = CASES[name][1]
    assert [e.message[: len(m)] for e, m in zip(found, expected)] == expected and len(found) == len(expected), found
    assert set(material) == {why for why, _, _ in MATERIAL_ERRORS}


def test_an_unlisted_error_in_the_frame_is_ours(small_pages):
    root, errors = small_pages
    found, _ = split_errors([e for e in errors if e.page == "frame/index.html"], root)
    assert [e.message for e in found] == ["The value of the “for” attribute of the “label” element must be the ID of a non-hidden form control."]
