"""Many phrases as one regular expression shaped as a character trie.

A scan with one alternation of every phrase retries each phrase at each position; the trie shape
shares their common beginnings, so the engine follows one path. Topic phrases (``classify``) and the
merge rules' needles (``merge``) are compiled this way.
"""

from __future__ import annotations

import re
from typing import Iterable, Mapping

Trie = dict[str, "Trie"]  # one unit (mostly a character) per level; the key "" marks a phrase's end


def add(trie: Trie, units: Iterable[str]) -> None:
    """Add one phrase, given as its units, to ``trie``."""
    node = trie
    for unit in units:
        node = node.setdefault(unit, {})
    node[""] = {}


def trie_regex(node: Trie, patterns: Mapping[str, str]) -> str:
    """The phrases of ``node`` as one regex (without a group); a unit is ``patterns[unit]`` if
    given, else the unit escaped.

    A phrase that ends where a longer one continues becomes an optional tail: greedy, so the longest
    phrase wins, and it backtracks to the shorter one when the longer one does not end where the
    caller's boundaries demand.
    """
    # A run of nodes with one child that ends no phrase is plain text, walked in a loop: a long
    # phrase costs no recursion depth.
    run = []
    while len(node) == 1 and "" not in node:
        ((unit, node),) = node.items()
        run.append(patterns.get(unit) or re.escape(unit))
    branches = [(patterns.get(unit) or re.escape(unit)) + trie_regex(child, patterns)
                for unit, child in sorted(node.items()) if unit]
    if not branches:
        return "".join(run)
    inner = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return "".join(run) + (f"(?:{inner})?" if "" in node else inner)
