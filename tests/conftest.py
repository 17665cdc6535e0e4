"""Shared fixtures: paths, a tiny-document helper, and one real build of the handbook per test session."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from html import unescape
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "sources"
EXPECTED_COUNTS = {
    "llm-architecture-quantization-performance.txt": 200,
    "expanded-qa-chat-export.txt": 370,
    "qa-review-bank-webpage.txt": 68,
    "200-llm-interview-questions.txt": 200,
    "llm-fundamentals-interview-guide.txt": 36,
}


def site_config(docs: Path, site: Path, name: str = "mkdocs") -> Path:
    """The project's mkdocs.yml, written beside ``docs`` to build it into ``site`` (paths relative to
    it: Zensical takes the config's folder as the project root and wants both inside; the theme
    override is found from there too)."""
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    here = docs.parent
    config = re.sub(r"^docs_dir:.*$", f"docs_dir: {os.path.relpath(docs, here)}", config, flags=re.M)
    config = re.sub(r"^site_dir:.*$", f"site_dir: {os.path.relpath(site, here)}", config, flags=re.M)
    # The theme override (builder/theme) is found relative to the config, like the folders.
    config = re.sub(r"^(\s+custom_dir:)\s*(\S+)", lambda m: f"{m.group(1)} {os.path.relpath(ROOT / m.group(2), here)}", config, flags=re.M)
    path = here / f"{name}-{docs.name}.yml"
    path.write_text(config, encoding="utf-8")
    return path


def build_env() -> dict[str, str]:
    """The environment `make site` builds in (a fixed SOURCE_DATE_EPOCH, MkDocs's 2.0 notice off), with
    the project importable from any folder: mkdocs.yml names a formatter in ``builder.fences``."""
    path = os.pathsep.join(filter(None, (str(ROOT), os.environ.get("PYTHONPATH"))))
    return {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "1767225600", "PYTHONPATH": path}


def mkdocs_build(docs: Path, site: Path) -> subprocess.CompletedProcess[str]:
    """``mkdocs build --strict`` of ``docs`` into ``site`` with the project's own mkdocs.yml."""
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(site_config(docs, site))],
        capture_output=True, text=True, env=build_env(), cwd=ROOT,
    )


def page_text(html: str) -> str:
    """Visible text of an HTML page, white space folded (good enough for word-for-word checks)."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S | re.I)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


@pytest.fixture(scope="session")
def build_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("handbook")


@pytest.fixture(scope="session")
def built(build_dir: Path):
    """The real sources built once into a temporary docs/ (the project's docs/ is left alone)."""
    from builder.pipeline import build

    return build(SOURCES, build_dir / "docs")


def site_build(docs: Path, site: Path) -> subprocess.CompletedProcess[str]:
    """What ``make site`` does after the builder: ``mkdocs build --strict``, then the print edition's
    chapters (``python -m builder book``)."""
    result = mkdocs_build(docs, site)
    if result.returncode != 0:
        return result
    return subprocess.run([sys.executable, "-m", "builder", "book", "--site", str(site), "--quiet"], capture_output=True, text=True, cwd=ROOT)


@pytest.fixture(scope="session")
def site(built, build_dir: Path) -> Path:
    """The real site as ``make site`` builds it from the session's docs/."""
    result = site_build(build_dir / "docs", build_dir / "site")
    assert result.returncode == 0, result.stdout + result.stderr
    return build_dir / "site"


@pytest.fixture(scope="session")
def site_url(site: Path):
    """The built site served on loopback."""
    from browser import serve

    with serve(site) as url:
        yield url


@pytest.fixture(scope="session")
def chromium():
    """One headless Debian Chromium for the session (Playwright drives it)."""
    from playwright.sync_api import sync_playwright

    from browser import CHROMIUM_ARGS, chromium_path

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture()
def page(chromium):
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, service_workers="block")
    pg = context.new_page()
    yield pg
    context.close()


@pytest.fixture(scope="session")
def test_output() -> Path:
    """Screenshots and rendered pages for a person to look at (kept after the run)."""
    out = ROOT / "test-output"
    out.mkdir(exist_ok=True)
    return out


# Fixtures that build a whole MkDocs site; a test asking for one is marked ``site`` (``make check`` leaves those out).
_SITE_FIXTURES = {"site", "site_url", "hostile_site", "zensical_site"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if _SITE_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.site)
