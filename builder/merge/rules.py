"""The merge rules (``builder/data/merge_rules.yml``), compiled, and the stemmer their words are
compared by.

The file says how a question's wording is reduced to the concept it asks about: ``tails``
(follow-up clauses cut off), ``rewrite`` (synonyms and acronyms turned into one canonical token,
applied in order), ``stopwords`` (dropped), ``context`` (a trailing setting made of these words is
dropped) and ``fillers`` (kept with a small weight). ``builder/merge/signatures.py`` applies them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Mapping

from builder.yamlio import load_yaml_file

RULES_PATH = Path(__file__).parents[1] / "data" / "merge_rules.yml"


@dataclass(frozen=True)
class MergeRules:
    """The compiled contents of ``merge_rules.yml``."""

    tails: tuple[re.Pattern[str], ...]
    rewrite: tuple[tuple[re.Pattern[str], str], ...]
    """(pattern, replacement) pairs, applied in order, each to the result of the ones before."""
    stopwords: frozenset[str]
    context: frozenset[str]
    fillers: frozenset[str]
    canonical: frozenset[str]  # the CAPITALS tokens of ``rewrite``, lowercased: never stemmed


def stem(word: str) -> str:
    """A small suffix stripper (plural, -ing, -ation, -ed, -e), enough to match word forms."""
    w = word
    if len(w) <= 3 or not w.isalpha():
        return w
    if w.endswith("ies") and len(w) > 4:
        w = w[:-3] + "y"
    elif w.endswith("es") and w[:-2].endswith(("ss", "sh", "ch", "x", "as")):
        w = w[:-2]
    elif w.endswith("s") and not w.endswith(("ss", "us", "is", "as")):
        w = w[:-1]
    for suffix in ("ations", "ation", "ating", "ated", "ings", "ing", "ism", "ate", "ed", "e"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            w = w[: -len(suffix)]
            break
    if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "aeious":
        w = w[:-1]
    return w


def _strings(raw: Mapping[str, object], key: str) -> list[str]:
    values = raw.get(key) or []
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise ValueError(f"{RULES_PATH.name}: {key!r} must be a list of strings (quote yes/no/on/off)")
    return values


def load_rules(path: Path = RULES_PATH) -> MergeRules:
    """Read and compile the merge rules (stop words, context words and fillers are stemmed)."""
    raw = load_yaml_file(path) or {}
    rewrite = [(str(p), str(r)) for p, r in raw.get("rewrite") or []]
    stopwords = _strings(raw, "stopwords")
    return MergeRules(
        tails=tuple(re.compile(p) for p in _strings(raw, "tails")),
        rewrite=tuple((re.compile(p, re.IGNORECASE), r) for p, r in rewrite),
        stopwords=frozenset(stopwords) | frozenset(stem(w) for w in stopwords),
        context=frozenset(stem(w) for w in _strings(raw, "context")),
        fillers=frozenset(stem(w) for w in _strings(raw, "fillers")),
        canonical=frozenset(t.lower() for _, r in rewrite for t in re.findall(r"\w*[A-Z]\w*", r)),
    )


@lru_cache(maxsize=1)
def default_rules() -> MergeRules:
    """The project's rules, read once."""
    return load_rules()
