"""The trie-shaped regex shared by classify, glossary and merge."""

from __future__ import annotations

import random
import re

from builder.trie import Trie, add, trie_regex


def pattern(phrases: list[str], patterns: dict[str, str] | None = None) -> str:
    trie: Trie = {}
    for phrase in phrases:
        add(trie, phrase)
    return trie_regex(trie, patterns or {})


def test_shared_beginnings_are_one_path_and_a_shorter_phrase_is_an_optional_tail():
    assert pattern(["kv cache", "kv"]) == r"kv(?:\ cache)?"
    assert pattern(["lora", "loss"]) == "lo(?:ra|ss)"
    assert pattern(["a.b"]) == r"a\.b"


def test_the_longest_phrase_wins_and_backtracks_to_a_shorter_one_at_a_boundary():
    regex = re.compile(rf"\b(?:{pattern(['rag', 'rag pipeline'])})\b")
    assert [m.group() for m in regex.finditer("a rag pipeline, a rag pipelines")] == ["rag pipeline", "rag"]


def test_units_can_stand_for_patterns():
    regex = re.compile(pattern(["kv_cache"], {"_": r"[\s\-]?"}))
    assert regex.fullmatch("kv-cache") and regex.fullmatch("kvcache") and not regex.fullmatch("kv_cache")


def test_trie_regex_is_the_one_node_at_a_time_pattern() -> None:
    from builder.taxonomy import _SEP, _UNITS

    def reference(node) -> str:  # one recursion per trie node, as the pattern is defined
        branches = [(r"[\s\-]?" if ch == _SEP else re.escape(ch)) + reference(child)
                    for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        inner = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{inner})?" if "" in node else inner

    rnd = random.Random(5)
    for _ in range(300):
        trie: dict = {}
        for _ in range(rnd.randint(1, 8)):
            add(trie, "".join(rnd.choice(f"ab.{_SEP}+") for _ in range(rnd.randint(1, 6))))
        assert trie_regex(trie, _UNITS) == reference(trie)
