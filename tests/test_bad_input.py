"""Bad input: each bad file dropped into a copy of the real sources and built.

For every case: a ``file:line: message`` where something is wrong, never a traceback, every other
question still built, fine text shown as text. Then all of them together (with the mixed-convention
document) through the real MkDocs build: no script, event handler, iframe or unsafe link from a
source reaches the HTML, and no file outside the project is read into a page.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from builder.cli import main
from conftest import ROOT, SOURCES, page_text, site_config
from hostile import CASES, Case

MIXED = ROOT / "tests" / "data" / "mixed-conventions.txt"
REAL_QUESTIONS = 874


def copy_with(tmp_path: Path, *cases: Case) -> Path:
    sources = tmp_path / "sources"
    shutil.copytree(SOURCES, sources)
    for case in cases:
        (sources / case.name).write_bytes(case.data)
    return sources


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_each_bad_file_is_reported_by_file_and_line_and_the_rest_is_built(case, tmp_path, capsys):
    sources = copy_with(tmp_path, case)
    status = main(["build", "--sources", str(sources), "--docs", str(tmp_path / "docs"), "--config", ""])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    # A new source's questions have no key points yet: each is named (that is how they are noticed),
    # which is not a problem of the file itself.
    lines = [line for line in err.splitlines() if "no key points for entry" not in line]
    new_questions = [line for line in err.splitlines() if "no key points for entry" in line]
    assert all(line.startswith(f"{sources}/{case.name}:") for line in new_questions), new_questions
    assert len(new_questions) <= len(case.questions)
    mine = [line for line in lines if line.startswith(f"{sources}/{case.name}:")]
    others = [line for line in lines if line not in mine]
    assert others == [], others  # the real sources stay clean
    for line_no, words in case.messages:
        assert any(line.startswith(f"{sources}/{case.name}:{line_no}: ") and words in line for line in mine), (line_no, words, mine)
    assert len(mine) >= len(case.messages)
    if not case.messages:
        assert mine == []
    assert status == (1 if any("error:" in line for line in mine) else 0)
    assert f"{REAL_QUESTIONS + len(case.questions)} questions from" in out


# --- all bad files at once, through MkDocs -------------------------------------------------------


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real sources plus every bad file and the mixed document, built with the project's config."""
    tmp = tmp_path_factory.mktemp("hostile")
    sources = copy_with(tmp, *CASES)
    shutil.copy(MIXED, sources / MIXED.name)
    config = site_config(tmp / "docs", tmp / "site")
    builder = subprocess.run(
        [sys.executable, "-m", "builder", "build", "--sources", str(sources), "--docs", str(tmp / "docs"), "--config", str(config), "--quiet"],
        capture_output=True, text=True, cwd=ROOT,
    )
    assert builder.returncode == 1 and "Traceback" not in builder.stderr, builder.stderr
    mkdocs = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config)],
        capture_output=True, text=True, cwd=ROOT, env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "1767225600"},
    )
    assert mkdocs.returncode == 0, mkdocs.stderr[-3000:]
    return tmp / "site"


def html_pages(site: Path) -> dict[str, str]:
    return {str(p.relative_to(site)): p.read_text(encoding="utf-8") for p in sorted(site.rglob("*.html"))}


def test_fine_text_from_every_bad_file_is_shown_as_text(hostile_site):
    text = " ".join(page_text(html) for path, html in html_pages(hostile_site).items() if path.startswith("topics/"))
    for case in CASES:
        for question in case.questions:
            assert question in text, (case.name, question)
        for shown in case.shown:
            assert " ".join(shown.split()) in text, (case.name, shown)


def test_a_five_megabyte_answer_is_cut_with_a_note_not_rendered_whole(hostile_site):
    largest = max((p.stat().st_size, p) for p in (hostile_site / "topics").rglob("index.html"))
    assert largest[0] < 1_000_000, largest
    text = " ".join(page_text(html) for html in html_pages(hostile_site).values())
    assert "too long for a page: see the source file" in text
    assert "step 0079999" not in text  # the end of the pasted log stays in the source file


class _ActiveContent(HTMLParser):
    """Everything in a page that can run or load: scripts, frames, handlers, script URLs."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"iframe", "frame", "object", "embed", "applet", "base"}:
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            value = (value or "").strip().lower()
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=…>")
            if name in {"href", "src", "action", "formaction", "srcdoc", "data"} and re.match(r"(java|vb)script:|data:", re.sub(r"\s", "", value)):
                self.found.append(f"<{tag} {name}={value[:30]}>")
        if tag == "script":
            self._in_script = True
            self.scripts.append(dict(attrs).get("src") or "")

    def handle_endtag(self, tag: str) -> None:
        self._in_script = self._in_script and tag != "script"

    def handle_data(self, data: str) -> None:
        if self._in_script and self.scripts and not self.scripts[-1]:
            # the theme's inline scripts differ per page only by the relative path to the site root
            self.scripts[-1] = "inline:" + re.sub(r"\s+", " ", re.sub(r'"[./]*"', '""', data))[:40]


def active_content(html: str) -> _ActiveContent:
    parser = _ActiveContent()
    parser.feed(html)
    return parser


def theme_scripts(html: str) -> set[str]:
    # Scripts differ per page only by the relative path to the theme's assets.
    return {re.sub(r"^(\.\./|\./|/)+", "", s) for s in active_content(html).scripts}


def test_no_script_handler_frame_or_unsafe_link_from_a_source_reaches_the_html(hostile_site, site):
    allowed_scripts = theme_scripts((site / "index.html").read_text(encoding="utf-8"))
    assert allowed_scripts  # the theme's own scripts are found, so the parser sees scripts at all
    pages = html_pages(hostile_site)
    assert "topics/other/index.html" in pages or len(pages) > 30
    for path, html in pages.items():
        found = active_content(html)
        assert found.found == [], (path, found.found)
        assert theme_scripts(html) <= allowed_scripts, (path, theme_scripts(html) - allowed_scripts)
    raw_html = next(html for path, html in pages.items() if "Zebrafinch &lt;script&gt;" in html and path.startswith("topics/"))
    assert "&lt;script&gt;document.title='pwned'&lt;/script&gt;" in raw_html
    assert '<a href="https://example.org/paper">' in raw_html  # a web link stays a link


def test_no_file_outside_the_project_is_read_into_a_page(hostile_site):
    passwd = Path("/etc/passwd").read_text(encoding="utf-8", errors="replace").splitlines()
    config_line = "site_name: The LLM Interview Handbook"
    for path in hostile_site.rglob("*"):
        if path.suffix in {".html", ".json", ".xml"}:
            data = path.read_text(encoding="utf-8")
            assert not any(line and line in data for line in passwd[:3]), path
            assert config_line not in data, path
    text = " ".join(page_text(html) for html in html_pages(hostile_site).values())
    assert '--8<-- "/etc/passwd"' in text  # shown as the text the source wrote


def test_snippet_includes_are_not_enabled():
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert "snippets" not in config and "macros" not in config


def test_the_mixed_convention_document_comes_out_whole(hostile_site):
    text = page_text((hostile_site / "sources" / "mixed-conventions" / "index.html").read_text(encoding="utf-8"))
    assert "Questions: 11" in text
    for convention in ("bold-q", "chat-qa", "heading-q", "numbered-answer", "tagged-level"):
        assert convention in text
