"""Successor check: the site's configuration uses nothing Zensical (Material's successor) cannot run.

Zensical reads mkdocs.yml but runs no third-party MkDocs plugins and no hooks; it keeps Python-
Markdown and the pymdownx extensions. Building with Zensical itself is not possible here: see the
README ("Zensical") for why.
"""

from __future__ import annotations

import importlib

import yaml

from conftest import ROOT

# Plugins Zensical provides itself; anything else would silently not run there.
ZENSICAL_BUILTIN_PLUGINS = {"search", "offline", "tags", "blog", "info", "privacy", "social"}


class _Loader(yaml.SafeLoader):
    """mkdocs.yml may carry MkDocs's !ENV / !relative tags; their values do not matter here."""


_Loader.add_multi_constructor("!", lambda loader, suffix, node: None)


def config() -> dict:
    return yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_Loader)


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
