"""Successor check: the site builds with Zensical (Material's successor) as it does with MkDocs.

Zensical reads mkdocs.yml but runs no third-party MkDocs plugins and no hooks; it keeps Python-
Markdown and the pymdownx extensions. The configuration is checked for that, and then the session's
docs/ is built with the pinned ``zensical`` (see the README, "Zensical", for why that version) and
compared with the MkDocs build, page by page.
"""

from __future__ import annotations

import importlib
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from builder.search import INDEX_PATH, WORKER_PATH
from builder.yamlio import load_mkdocs_config
from conftest import ROOT, build_env, site_config

# Plugins Zensical provides itself; anything else would silently not run there.
ZENSICAL_BUILTIN_PLUGINS = {"search", "offline", "tags", "blog", "info", "privacy", "social"}


def config() -> dict:
    return load_mkdocs_config(ROOT / "mkdocs.yml")


def names(entries: list) -> list[str]:
    return [next(iter(e)) if isinstance(e, dict) else e for e in entries]


def test_only_plugins_zensical_provides_itself():
    plugins = set(names(config().get("plugins", [])))
    assert plugins and plugins <= ZENSICAL_BUILTIN_PLUGINS, plugins - ZENSICAL_BUILTIN_PLUGINS


def test_no_hooks_and_the_material_theme():
    data = config()
    assert "hooks" not in data
    assert data["theme"]["name"] == "material"


def test_markdown_extensions_are_python_markdown_or_pymdownx():
    for name in names(config()["markdown_extensions"]):
        module = name if "." in name else f"markdown.extensions.{name}"
        assert module.startswith(("markdown.extensions.", "pymdownx.")), name
        importlib.import_module(module)


def test_every_page_is_written_by_the_builder_before_mkdocs(built, build_dir):
    docs = build_dir / "docs"
    pages = names_in_nav(config()["nav"])
    assert "glossary.md" in pages and all(f"topics/{s.topic.slug}.md" in pages for s in built.sections)
    for page in pages:
        assert (docs / page).is_file(), page


def names_in_nav(nav: list) -> list[str]:
    out: list[str] = []
    for entry in nav:
        value = next(iter(entry.values())) if isinstance(entry, dict) else entry
        out.extend(names_in_nav(value) if isinstance(value, list) else [value])
    return out


ZENSICAL = Path(sys.executable).with_name("zensical")


@pytest.fixture(scope="module")
def zensical_site(built, build_dir: Path) -> Path:
    """The session's docs/ built by Zensical (strict: a warning fails it), then the print edition's
    chapters copied in as ``make site`` does after MkDocs."""
    site = build_dir / "zensical-site"
    config = site_config(build_dir / "docs", site, name="zensical")
    result = subprocess.run([str(ZENSICAL), "build", "--strict", "-f", str(config)], capture_output=True, text=True, env=build_env(), cwd=build_dir)
    assert result.returncode == 0, result.stdout + result.stderr
    book = subprocess.run([sys.executable, "-m", "builder", "book", "--site", str(site), "--quiet"], capture_output=True, text=True, cwd=ROOT)
    assert book.returncode == 0, book.stdout + book.stderr
    return site


def headings(html: str, level: int) -> list[str]:
    return re.findall(rf'<h{level} id="([^"]+)"', html)


def test_zensical_is_the_pinned_release():
    version = subprocess.run([str(ZENSICAL), "--version"], capture_output=True, text=True, check=True).stdout
    pinned = next(line for line in (ROOT / "requirements.txt").read_text().splitlines() if line.startswith("zensical=="))
    assert pinned.split("==")[1] in version


def test_zensical_builds_every_topic_page_with_the_same_questions_and_math(built, site: Path, zensical_site: Path):
    assert built.sections
    for section in built.sections:
        path = f"topics/{section.topic.slug}/index.html"
        ours, theirs = (site / path).read_text(encoding="utf-8"), (zensical_site / path).read_text(encoding="utf-8")
        questions = headings(ours, 3)
        assert questions and headings(theirs, 3) == questions, path
        assert theirs.count('class="katex"') == ours.count('class="katex"'), path
        assert section.topic.title in theirs, path


def test_zensical_builds_the_glossary_with_every_term(site: Path, zensical_site: Path):
    ours = (site / "glossary/index.html").read_text(encoding="utf-8")
    theirs = (zensical_site / "glossary/index.html").read_text(encoding="utf-8")
    terms = headings(ours, 3)
    assert len(terms) > 300 and headings(theirs, 3) == terms
    assert 'id="kv-cache"' in theirs


def test_zensical_ships_the_builders_search_and_keeps_its_own_worker(site: Path, zensical_site: Path):
    """Zensical has a search engine of its own, in a worker of its own that speaks another protocol
    than Material's. Both engines' own indexes are empty (every page is ``search: exclude: true``);
    the builder's index and worker are files of docs/, so both builds ship them byte for byte.
    builder/theme/main.html points only Material's page at the builder's worker: Zensical's page
    keeps its own, so it is never posted what it does not understand (and finds nothing, until
    worker.js also speaks Zensical's protocol)."""
    assert json.loads((zensical_site / "search.json").read_text(encoding="utf-8"))["items"] == []
    assert json.loads((site / "search/search_index.json").read_text(encoding="utf-8"))["docs"] == []
    for path in (INDEX_PATH, WORKER_PATH):
        assert (zensical_site / path).read_bytes() == (site / path).read_bytes(), path
    ours = (site / "topics/attention/index.html").read_text(encoding="utf-8")
    theirs = (zensical_site / "topics/attention/index.html").read_text(encoding="utf-8")
    assert 'config.search = "../../assets/search/worker.js";' in ours
    assert "assets/search/worker.js" not in theirs
    assert re.search(r'"search": ?"\.\./\.\./assets/javascripts/workers/search\.[0-9a-f]+\.min\.js"', theirs)


def test_the_print_edition_is_made_from_zensical_pages_too(built, zensical_site: Path):
    book = (zensical_site / "print/handbook/index.html").read_text(encoding="utf-8")
    for section in built.sections:
        assert f'id="topic-{section.topic.slug}"' in book
    assert "The chapters are copied here" not in book
