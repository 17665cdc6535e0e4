"""The read stage: every file of ``sources/`` decoded to text, with its title from ``sources.yml``.

Decoding never guesses silently: UTF-8 (with or without BOM) and UTF-16 with a BOM are read as
such; anything else that is text is read as Windows-1252 with a warning naming the first bad line;
binary files are skipped with an error. Line endings become ``\\n`` so line numbers match an editor's.
"""

from __future__ import annotations

import codecs
import logging
from pathlib import Path

import yaml

from builder.yamlio import load_yaml_file

from builder.model import Problem, SourceDoc
from builder.slugs import slugify

log = logging.getLogger(__name__)

METADATA = "sources.yml"
_BINARY_SIGNATURES = (b"\x89PNG", b"%PDF", b"GIF8", b"\xff\xd8\xff", b"PK\x03\x04", b"\x7fELF")


def _decode(raw: bytes, name: str) -> tuple[str | None, str, list[Problem]]:
    """``(text, encoding, problems)``; text is None when the file is not text at all."""
    if raw.startswith(codecs.BOM_UTF8):
        raw, bom = raw[len(codecs.BOM_UTF8) :], "utf-8-sig"
    elif raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return raw.decode("utf-16"), "utf-16", []
        except UnicodeDecodeError as err:
            return None, "", [Problem(name, 1, f"UTF-16 byte order mark but undecodable text ({err.reason}); file skipped")]
    else:
        bom = "utf-8"
    if raw.startswith(_BINARY_SIGNATURES) or b"\x00" in raw[:8192]:
        return None, "", [Problem(name, 1, "binary file, not a text document; skipped")]
    try:
        return raw.decode("utf-8"), bom, []
    except UnicodeDecodeError as err:
        line = raw.count(b"\n", 0, err.start) + 1
        text = raw.decode("cp1252", errors="replace")
        return text, "cp1252", [Problem(name, line, "not valid UTF-8; decoded as Windows-1252 (Latin-1)", "warning")]


def _normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _load_metadata(directory: Path) -> tuple[dict[str, dict[str, str]], list[Problem]]:
    path = directory / METADATA
    if not path.exists():
        return {}, []
    try:
        data = load_yaml_file(path) or {}
        entries = data.get("sources", {}) if isinstance(data, dict) else {}
        if not isinstance(entries, dict):
            raise ValueError("'sources' must map file names to {title, description}")
        return {str(k): dict(v or {}) for k, v in entries.items()}, []
    except (yaml.YAMLError, ValueError, AttributeError, TypeError) as err:
        line = getattr(getattr(err, "problem_mark", None), "line", 0) + 1
        return {}, [Problem(METADATA, line, f"unreadable metadata ({err}); titles fall back to file names")]


def _fallback_title(name: str, text: str) -> str:
    for line in text.split("\n")[:20]:
        stripped = line.strip().lstrip("#").strip()
        if line.startswith("#") and stripped:
            return stripped
    return Path(name).stem.replace("-", " ").replace("_", " ").strip().capitalize() or name


def read_sources(directory: Path) -> tuple[list[SourceDoc], list[Problem]]:
    """All documents in ``directory`` in a stable order: as listed in sources.yml, then by name."""
    metadata, problems = _load_metadata(directory)
    files = sorted(p for p in directory.iterdir() if p.is_file() and p.name != METADATA and not p.name.startswith("."))
    listed = {name: i for i, name in enumerate(metadata)}
    files.sort(key=lambda p: (listed.get(p.name, len(listed)), p.name))
    docs: list[SourceDoc] = []
    slugs: set[str] = set()
    for path in files:
        text, encoding, decode_problems = _decode(path.read_bytes(), path.name)
        problems.extend(decode_problems)
        if text is None:
            continue
        text = _normalise_newlines(text)
        meta = metadata.get(path.name, {})
        slug = slugify(Path(path.name).stem)
        while slug in slugs:
            slug += "-x"
        slugs.add(slug)
        docs.append(
            SourceDoc(
                name=path.name,
                slug=slug,
                title=str(meta.get("title") or _fallback_title(path.name, text)),
                description=str(meta.get("description") or ""),
                text=text,
                encoding=encoding,
                short=str(meta.get("short") or ""),
            )
        )
    for name in metadata:
        if not (directory / name).exists():
            problems.append(Problem(METADATA, 1, f"lists {name!r}, which is not in {directory.name}/", "warning"))
    return docs, problems
