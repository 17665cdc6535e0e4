"""The glossary loader and term matcher on small inline inputs."""

from __future__ import annotations

from builder.glossary import TermMatcher, default_matcher, load_glossary, load_synonyms
from builder.model import Term

TERMS = [
    Term("rag", "Retrieval-augmented generation", "d", abbr="RAG", case_sensitive=True),
    Term("ppo", "Proximal policy optimization", "d", abbr="PPO"),
    Term("attention", "Attention", "d"),
    Term("flash-attention", "FlashAttention", "d", aliases=("flash attention",)),
    Term("kv-cache", "KV cache", "d", aliases=("key-value cache",)),
]


def test_words_inside_other_words_are_not_mentions():
    m = TermMatcher(TERMS)
    assert m.slugs_in("storage and support for the fragrant") == []
    assert m.slugs_in("Use RAG, then PPO.") == ["rag", "ppo"]


def test_case_sensitive_abbreviation_only_as_written():
    m = TermMatcher(TERMS)
    assert m.slugs_in("a rag doll") == []
    assert m.slugs_in("retrieval-augmented generation helps") == ["rag"]


def test_longest_name_wins_and_spacing_varies():
    m = TermMatcher(TERMS)
    found = m.find("Flash Attention beats attention; the key value cache and the KV\ncache")
    assert [f.slug for f in found] == ["flash-attention", "attention", "kv-cache", "kv-cache"]


def test_real_glossary_loads_with_unique_slugs():
    terms = load_glossary()
    assert len(terms) >= 150 and len({t.slug for t in terms}) == len(terms)
    assert default_matcher().slugs_in("GQA reduces the KV cache")[:2] == ["grouped-query-attention", "kv-cache"]
    assert len(load_synonyms()) >= 60
