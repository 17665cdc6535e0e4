"""Read YAML the fast way when libyaml is there (the data files are read on every build)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C loader when libyaml is there


def load_yaml(text: str) -> Any:
    return yaml.load(text, Loader=SAFE_LOADER)  # noqa: S506 - a safe loader, C or Python


def load_yaml_file(path: Path) -> Any:
    return load_yaml(path.read_text(encoding="utf-8"))


class MkDocsConfigLoader(yaml.SafeLoader):
    """mkdocs.yml as plain data: a ``!!python/name:`` tag (a function MkDocs imports, such as the
    ``hb-html`` fence's formatter) is read as the name, MkDocs's own tags (``!ENV``, ``!relative``)
    as None. For reading the configuration (the bench's page list, the tests), not for building."""


MkDocsConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/name:", lambda loader, suffix, node: suffix)
MkDocsConfigLoader.add_multi_constructor("!", lambda loader, suffix, node: None)


def load_mkdocs_config(path: Path) -> dict[str, Any]:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=MkDocsConfigLoader)  # noqa: S506 - a safe loader
