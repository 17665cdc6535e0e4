"""The search's rules (``data/search.yml``): the index's fields and weights, the words a query never
searches for, what makes a query a comparison, and how typos and the word being typed match.

The index writer and the query step (``web/query.js``, in the reader's browser) both read these, so
the words dropped from a query are the words left out of the index. A file that cannot be read or
has a wrong value is reported as ``file:line: message``; the search is then built with plain rules
(every field at weight 1, no stop words) rather than not at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

import yaml

from builder.model import Problem
from builder.yamlio import load_yaml

SEARCH_RULES = Path(__file__).resolve().parent.parent / "data" / "search.yml"
FIELDS = ("title", "alt", "keys", "where", "text")  # what a document can hold (documents.py)


@dataclass(frozen=True)
class Comparison:
    patterns: tuple[str, ...] = ()  # regular expressions with two groups, the two sides
    words: tuple[str, ...] = ()  # words that only announce a comparison


@dataclass(frozen=True)
class SearchRules:
    fields: Mapping[str, float] = field(default_factory=lambda: {"title": 1.0, "alt": 1.0, "keys": 1.0, "where": 1.0})
    glossary_weight: float = 1.0
    typo_min_length: int = 5
    prefix_min_length: int = 2
    stop_words: tuple[str, ...] = ()
    question_words: tuple[str, ...] = ()
    comparison: Comparison = Comparison()
    generic: tuple[str, ...] = ()

    def as_json(self) -> dict[str, Any]:
        """What the query step in the browser and the index writer in Node are told."""
        return {
            "fields": dict(self.fields),
            "glossary_weight": self.glossary_weight,
            "typo_min_length": self.typo_min_length,
            "prefix_min_length": self.prefix_min_length,
            "stop_words": list(self.stop_words),
            "question_words": list(self.question_words),
            "comparison": {"patterns": list(self.comparison.patterns), "words": list(self.comparison.words)},
        }


class _Invalid(ValueError):
    def __init__(self, key: str, message: str) -> None:
        super().__init__(message)
        self.key = key


def _words(raw: Mapping[str, Any], key: str) -> tuple[str, ...]:
    value = raw.get(key) or ()
    if not isinstance(value, list) or not all(isinstance(w, (str, int, float)) and str(w).strip() for w in value):
        raise _Invalid(key, f"{key}: expected a list of words")
    return tuple(str(w).strip().lower() for w in value)


def _number(raw: Mapping[str, Any], key: str, default: float, kind: type = float) -> Any:
    value = raw.get(key, default)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0 or (kind is int and value != int(value)):
        raise _Invalid(key, f"{key}: expected a non-negative {'whole ' if kind is int else ''}number, got {value!r}")
    return kind(value)


def _fields(raw: Mapping[str, Any]) -> dict[str, float]:
    value = raw.get("fields")
    if not isinstance(value, dict) or not value:
        raise _Invalid("fields", "fields: expected a mapping of field to weight")
    unknown = sorted(set(value) - set(FIELDS))
    if unknown:
        raise _Invalid("fields", f"fields: unknown field {unknown[0]!r} (known: {', '.join(FIELDS)})")
    if "title" not in value:
        raise _Invalid("fields", "fields: the title must be indexed")
    return {str(k): _number(value, k, 1.0) for k in FIELDS if k in value}


def _comparison(raw: Mapping[str, Any]) -> Comparison:
    value = raw.get("comparison") or {}
    if not isinstance(value, dict):
        raise _Invalid("comparison", "comparison: expected `patterns` and `words`")
    patterns = value.get("patterns") or []
    if not isinstance(patterns, list):
        raise _Invalid("comparison", "comparison.patterns: expected a list of regular expressions")
    for pattern in patterns:
        try:
            groups = re.compile(str(pattern)).groups
        except re.error as err:
            raise _Invalid("comparison", f"comparison.patterns: {pattern!r} is not a regular expression ({err})") from err
        if groups != 2:
            raise _Invalid("comparison", f"comparison.patterns: {pattern!r} needs two groups (the two sides), has {groups}")
    return Comparison(tuple(str(p) for p in patterns), _words(value, "words"))


def parse_rules(raw: Any) -> SearchRules:
    """The rules of a parsed ``search.yml``; a wrong value raises ``_Invalid`` naming its key."""
    if not isinstance(raw, dict):
        raise _Invalid("", "expected a mapping (fields, stop_words, …)")
    return SearchRules(
        fields=_fields(raw),
        glossary_weight=_number(raw, "glossary_weight", 1.0),
        typo_min_length=_number(raw, "typo_min_length", 5, int),
        prefix_min_length=_number(raw, "prefix_min_length", 2, int),
        stop_words=_words(raw, "stop_words"),
        question_words=_words(raw, "question_words"),
        comparison=_comparison(raw),
        generic=_words(raw, "generic"),
    )


def _line_of(text: str, key: str) -> int:
    match = re.search(rf"^{re.escape(key)}\s*:", text, re.M) if key else None
    return text.count("\n", 0, match.start()) + 1 if match else 1


def read_rules(path: Path = SEARCH_RULES) -> tuple[SearchRules, list[Problem]]:
    """The rules of ``path``; plain rules and an error when the file is unreadable or wrong."""
    where = path.relative_to(Path.cwd()).as_posix() if path.is_relative_to(Path.cwd()) else str(path)
    try:
        text = path.read_text(encoding="utf-8")
        return parse_rules(load_yaml(text)), []
    except (OSError, UnicodeDecodeError) as err:
        return SearchRules(), [Problem(where, 1, f"the search rules could not be read ({err}); plain rules used")]
    except yaml.YAMLError as err:
        mark = getattr(err, "context_mark", None) or getattr(err, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        return SearchRules(), [Problem(where, line, f"the search rules could not be read ({' '.join(str(err).split())}); plain rules used")]
    except _Invalid as err:
        return SearchRules(), [Problem(where, _line_of(text, err.key), f"{err}; plain rules used")]
