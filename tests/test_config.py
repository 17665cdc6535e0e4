"""mkdocs.yml stays a valid, unambiguous configuration (merges of parallel work can repeat a key)."""

from __future__ import annotations

import yaml

from builder.yamlio import MkDocsConfigLoader
from conftest import ROOT


class _StrictLoader(MkDocsConfigLoader):
    pass


def _no_duplicates(loader: yaml.SafeLoader, node: yaml.MappingNode, deep: bool = False):
    keys = [loader.construct_object(k, deep=deep) for k, _ in node.value]
    repeated = sorted({k for k in keys if keys.count(k) > 1}, key=str)
    if repeated:
        raise AssertionError(f"line {node.start_mark.line + 1}: key(s) repeated: {repeated}")
    return loader.construct_mapping(node, deep=deep)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _no_duplicates)


def test_mkdocs_yml_repeats_no_key():
    yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_StrictLoader)  # noqa: S506


def test_the_strict_loader_catches_a_repeated_key():
    try:
        yaml.load("a: 1\nb: 2\na: 3\n", Loader=_StrictLoader)  # noqa: S506
    except AssertionError as err:
        assert "['a']" in str(err)
    else:
        raise AssertionError("a repeated key was not caught")


# A direct dependency that no module imports is used by name instead: (file, what it says there).
_USED_BY_NAME = {
    "mkdocs": ("Makefile", "mkdocs build"),
    "mkdocs-material": ("mkdocs.yml", "name: material"),
    "pymdown-extensions": ("mkdocs.yml", "pymdownx."),
    "pygments": ("mkdocs.yml", "pymdownx.highlight"),  # the highlighter pymdownx.highlight runs
    "pytest-timeout": ("pyproject.toml", "timeout = "),
    "zensical": ("tests/test_successor.py", 'with_name("zensical")'),
}
_IMPORT_NAME = {"python-frontmatter": "frontmatter", "pyyaml": "yaml"}


def test_every_direct_dependency_is_used():
    import re
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    pins = [*project["dependencies"], *project["optional-dependencies"]["test"]]
    code = "\n".join(p.read_text(encoding="utf-8") for folder in ("builder", "tests", "bench") for p in (ROOT / folder).rglob("*.py"))
    unused = []
    for pin in pins:
        name = re.split(r"[=<>\[]", pin)[0].lower()
        if name in _USED_BY_NAME:
            file, text = _USED_BY_NAME[name]
            used = text in (ROOT / file).read_text(encoding="utf-8")
        else:
            module = _IMPORT_NAME.get(name, name.replace("-", "_"))
            used = re.search(rf"^\s*(?:import|from) {module}\b", code, re.M) is not None
        if not used:
            unused.append(name)
    assert unused == []
