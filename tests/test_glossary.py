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


def test_word_names_are_words_and_folded_gaps():
    from builder.glossary import word_name

    assert word_name("KV  cache") == ("KV", " ", "cache")
    assert word_name("query, key-value") == ("query", ", ", "key", " ", "value")
    assert word_name("llama.cpp") == ("llama", ".", "cpp")
    assert word_name("C++") is None and word_name(".NET") is None  # edges that are not word edges


def _fuzz_texts(names: list[str], count: int, seed: int) -> list[str]:
    """Texts made of glossary names, pieces of them, odd case, odd separators and word glue."""
    import random

    rng = random.Random(seed)
    glue = [" ", "  ", "-", "\n", ", ", ".", "_", "", "(", ") ", "'s ", "\u2014", " - ", "/", "@", "\u00a0"]
    odd = ["\u0130", "\u0131", "\u017f", "\u212a", "\u00e9", "x", "1"]
    texts = []
    for _ in range(count):
        pieces = []
        for _ in range(rng.randint(1, 12)):
            name = rng.choice(names)
            roll = rng.random()
            if roll < 0.2:
                name = name.upper()
            elif roll < 0.3:
                name = name.swapcase()
            elif roll < 0.4:
                name = name[: rng.randint(1, len(name))]
            elif roll < 0.5:
                name = name.replace(" ", rng.choice(["-", "  ", "\n", " -"]))
            elif roll < 0.55:
                i = rng.randrange(len(name))
                name = name[:i] + rng.choice(odd) + name[i + 1 :]
            pieces += [name, rng.choice(glue)]
        texts.append("".join(pieces))
    return texts


def test_word_scanner_finds_what_the_trie_regex_finds():
    from builder.glossary import _RegexScanner, _WORD_RUNS, _scanner, _WordScanner, fold_case

    terms = load_glossary()
    groups = [
        [n for t in terms for n in t.names if not (t.case_sensitive and n == t.abbr)],
        [n for t in terms for n in t.names if t.case_sensitive and n == t.abbr],
    ]
    for fold, names in zip((True, False), groups):
        words, regex = _scanner(names, fold), _RegexScanner(names, fold)
        assert isinstance(words, _WordScanner)
        for text in _fuzz_texts(groups[0] + groups[1], 1500, seed=len(names)):
            parts = _WORD_RUNS.split(fold_case(text))
            assert words.spans(text, parts) == regex.spans(text, parts), text


def test_a_name_with_edges_that_are_not_word_edges_is_still_found():
    m = TermMatcher([Term("cpp", "C++", "d"), Term("c", "C", "d"), Term("net", ".NET", "d")])
    assert [(f.slug, f.text) for f in m.find("C++ and C, ASP.NET and .NET")] == [("cpp", "C++"), ("c", "C"), ("net", ".NET")]


def _reference_find(matcher: TermMatcher, text: str) -> list[tuple[int, int, str, str]]:
    """``TermMatcher.find`` as first written: every span's name normalised anew, Mentions sorted and
    the overlapping ones dropped (no cache of spellings, no tuples)."""
    from builder.glossary import _WORD_RUNS, Mention, fold_case

    found = []
    parts = _WORD_RUNS.split(fold_case(text))
    for scanner, lookup, fold in ((matcher._sensitive, matcher._lookup_exact, False), (matcher._insensitive, matcher._lookup, True)):
        if scanner is None:
            continue
        for start, end in scanner.spans(text, parts):
            slug = lookup.get(matcher._key(text[start:end], fold=fold))
            if slug:
                found.append(Mention(start, end, slug, text[start:end]))
    found.sort(key=lambda m: (m.start, -(m.end - m.start)))
    out, last_end = [], -1
    for m in found:
        if m.start >= last_end:
            out.append((m.start, m.end, m.slug, m.text))
            last_end = m.end
    return out


def test_find_and_slugs_in_match_the_plain_matcher():
    # the matcher caches each matched spelling's term: asked twice (cold, then warm) it answers the same
    terms = load_glossary()
    names = [n for t in terms for n in t.names]
    for matcher in (TermMatcher(terms), TermMatcher(TERMS)):
        texts = _fuzz_texts(names + [n for t in TERMS for n in t.names], 1500, seed=9)
        for _ in range(2):
            for text in texts:
                expected = _reference_find(matcher, text)
                assert [(m.start, m.end, m.slug, m.text) for m in matcher.find(text)] == expected, text
                assert matcher.slugs_in(text) == list(dict.fromkeys(slug for _, _, slug, _ in expected)), text
