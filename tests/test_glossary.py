"""The glossary loader and term matcher on small inline inputs."""

from __future__ import annotations

import pytest

from builder.glossary import TermMatcher, load_glossary, load_synonyms
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
    assert TermMatcher(load_glossary()).slugs_in("GQA reduces the KV cache")[:2] == ["grouped-query-attention", "kv-cache"]
    assert len(load_synonyms()) >= 60


def test_fold_case_keeps_offsets_and_folds_as_ignorecase_does():
    import re

    from builder.glossary import fold_case

    assert fold_case("KV Cache \u0130\u0131\u017f\u212a \u00c9") == "kv cache iisk \u00e9"
    # Every character re.IGNORECASE equates with an ASCII word character folds to it, one for one.
    for code in range(0x80, 0x3000):
        c = chr(code)
        assert len(fold_case(c)) == 1
        ascii_equal = [a for a in "abcdefghijklmnopqrstuvwxyz0123456789_" if re.fullmatch(a, c, re.IGNORECASE)]
        assert ascii_equal == ([fold_case(c)] if fold_case(c).isascii() else []), hex(code)


def test_a_name_with_edges_that_are_not_word_edges_is_still_found():
    m = TermMatcher([Term("cpp", "C++", "d"), Term("c", "C", "d"), Term("net", ".NET", "d")])
    assert [(f.slug, f.text) for f in m.find("C++ and C, ASP.NET and .NET")] == [("cpp", "C++"), ("c", "C"), ("net", ".NET")]


def test_names_with_punctuation_match_whole_and_a_longer_name_wins():
    m = TermMatcher([Term("llama-cpp", "llama.cpp", "d"), Term("llama", "Llama", "d"), Term("tps", "tokens/sec", "d")])
    found = m.find("Run llama.cpp's server at 40 Tokens/sec; in Llama.cppx and llama. cpp only Llama is named.")
    assert [(f.slug, f.text) for f in found] == [
        ("llama-cpp", "llama.cpp"), ("tps", "Tokens/sec"), ("llama", "Llama"), ("llama", "llama"), ("llama", "Llama"),
    ]


# ---------------------------------------------------------------- senses: a name linked only in the glossary's sense


@pytest.fixture(scope="module")
def real_matcher() -> TermMatcher:
    return TermMatcher(load_glossary())


@pytest.mark.parametrize(
    ("text", "slug", "linked"),
    [
        ("- `beta` = temperature parameter controlling deviation from reference (DPO).", "temperature", False),
        ("Lower the temperature for deterministic output.", "temperature", True),
        ("Top-p retrieval keeps the documents whose scores add up to p.", "top-p-sampling", False),
        ("Top-p sampling keeps the smallest set of tokens.", "top-p-sampling", True),
        ("Default optimizer: Hugging Face Transformers.", "hugging-face-transformers", True),
        ("Default optimizer: Hugging Face Transformers.", "transformer", False),
        ("Breaking a large model file into smaller 5GB pieces (sharding) so it's easier to download.", "model-sharding", False),
        ("Sharding splits the weights across GPUs.", "model-sharding", True),
        ("What is tensor slicing vs tensor parallelism?", "tensor-parallelism", True),
        ("Tensor slicing cuts a tensor into pieces.", "tensor-parallelism", False),
        ("Explainability: post-hoc explanations of black-box decisions.", "interpretability", False),
        ("Explainability: post-hoc explanations of black-box decisions.", "explainability", True),
        ("What is ZeRO-Offload?", "zero-infinity", False),
        ('Example: "ChatGPT-5" → [Chat, GPT, -, 5] as OOV subwords.', "gpt", False),
        ("GPT-3 has 175 billion parameters.", "gpt", True),
    ],
)
def test_a_name_counts_only_in_the_glossarys_sense(real_matcher, text, slug, linked):
    assert (slug in real_matcher.slugs_in(text)) == linked


def test_a_product_name_is_linked_whole_not_its_prefix(real_matcher):
    (mention,) = [m for m in real_matcher.find("GPT-3 has 175 billion parameters.") if m.slug == "gpt"]
    assert mention.text == "GPT-3"


def test_not_near_looks_at_the_mentions_sentence_only():
    terms = (Term("temperature", "Temperature", "", not_near=("DPO",)),)
    matcher = TermMatcher(terms)
    assert matcher.slugs_in("DPO has no sampling. Temperature changes sampling.") == ["temperature"]
    assert matcher.slugs_in("In DPO the temperature is beta.") == []
