"""The query step (builder/search/web/query.js), run in Node on queries and rules written here."""

from __future__ import annotations

import pytest

from builder.search import read_rules
from search_js import run_js

RULES = {
    "fields": {"title": 6, "alt": 3},
    "glossary_weight": 0.5,
    "typo_min_length": 5,
    "prefix_min_length": 2,
    "stop_words": ["a", "do", "how", "in", "is", "of", "the", "to", "what", "you", "and"],
    "question_words": ["explain"],
    "comparison": {
        "patterns": [r"\b(?:difference|differ)\s+between\s+(.+?)\s+and\s+(.+)$", r"^(.+?)\s+(?:vs|versus)\s+(.+)$"],
        "words": ["difference", "differ", "between", "vs", "versus"],
    },
}


def analyze(*queries: str, rules: dict = RULES) -> list[dict]:
    return run_js("const r = Q.reader(input.rules); return input.queries.map((q) => r.analyze(q));", {"rules": rules, "queries": queries})


def terms(analysis: dict) -> list[tuple[str, bool, int]]:
    return [(t["term"], t["prefix"], t["fuzzy"]) for t in analysis["terms"]]


def test_stop_and_question_words_are_never_searched_for_not_even_as_prefixes():
    a, b = analyze("how to make inference faster", "explain the kv cache")
    assert [t for t, _, _ in terms(a)] == ["make", "inference", "faster"]
    assert [t for t, _, _ in terms(b)] == ["kv", "cache"]


def test_only_the_word_being_typed_is_a_prefix():
    typing, done, short = analyze("lost in the midd", "lost in the middle ", "kv c")
    assert terms(typing) == [("lost", False, 0), ("midd", True, 0)]
    assert terms(done) == [("lost", False, 0), ("middle", False, 1)]  # a space after it: the word is whole
    assert terms(short) == [("kv", False, 0), ("c", False, 0)]  # one letter completes nothing useful


def test_a_stop_word_being_typed_is_still_dropped():
    (a,) = analyze("inference in")
    assert terms(a) == [("inference", False, 1)]


def test_one_typo_is_allowed_in_words_of_five_letters_or_more_without_digits():
    (a,) = analyze("temperture of gpt bf16 model llama3 ")
    assert terms(a) == [("temperture", False, 1), ("gpt", False, 0), ("bf16", False, 0), ("model", False, 1), ("llama3", False, 0)]


def test_x_vs_y_and_difference_between_x_and_y_are_comparisons_of_their_two_sides():
    vs, between, typo, lone = analyze("lora vs qlora", "what is the difference between top k and top p",
                                      "diference betwen fp16 and bf16", "vs")
    assert vs["comparison"] == [["lora"], ["qlora"]] and [t["term"] for t in vs["terms"]] == ["lora", "qlora"]
    assert between["comparison"] == [["top", "k"], ["top", "p"]]
    assert [t["term"] for t in between["terms"]] == ["top", "k", "p"]  # "difference", "between" announce it
    assert typo["comparison"] == [["fp16"], ["bf16"]]  # one letter off a comparison word still reads as it
    assert lone["comparison"] is None and terms(lone) == [("vs", True, 0)]  # "lora vs" is still being typed


def test_a_comparison_word_in_a_query_that_is_no_comparison_is_searched_for():
    (a,) = analyze("why do transformers differ")
    assert a["comparison"] is None and [t["term"] for t in a["terms"]] == ["why", "transformers", "differ"]


def test_level_and_topic_narrow_the_results_and_are_not_searched_for():
    a, b, c = analyze("attention level:Beginner", "topic:rag chunking", "attention level:")
    assert a["filters"] == {"level": "beginner"} and terms(a) == [("attention", False, 1)]
    assert b["filters"] == {"topic": "rag"} and terms(b) == [("chunking", True, 1)]
    assert c["filters"] == {} and terms(c) == [("attention", False, 1)]  # nothing typed after the colon yet


def test_repeated_words_are_searched_for_once():
    (a,) = analyze("attention attention heads")
    assert [t["term"] for t in a["terms"]] == ["attention", "heads"]


def test_words_split_as_the_index_splits_them():
    out = run_js("return input.map(Q.words);", [
        "What is FlashAttention-2 (vs QLoRA)?", "BitNet 1.58 bits, llama.cpp", "The model's KV-cache", "RMSNorm ALiBi",
    ])
    assert out == [
        ["what", "is", "flash", "attention", "2", "vs", "qlora"],
        ["bit", "net", "1.58", "bits", "llama", "cpp"],
        ["the", "model", "kv", "cache"],
        ["rmsnorm", "alibi"],
    ]


def test_one_edit_apart():
    pairs = [["difference", "diference"], ["between", "betwen"], ["compare", "comapre"], ["vs", "vs"], ["differ", "different"]]
    assert run_js("return input.map(([a, b]) => Q.oneEditApart(a, b));", pairs) == [True, True, False, True, False]


def test_a_title_names_both_sides_of_a_comparison_by_their_own_words():
    cases = [
        ["What is the difference between top-k and top-p sampling?", [["top", "k"], ["top", "p"]]],
        ["What is top-k sampling?", [["top", "k"], ["top", "p"]]],
        ["LoRA vs QLoRA: which to use?", [["lora"], ["qlora"]]],
        ["How do encoders and decoders differ?", [["encoder"], ["decoder"]]],  # a side may be a prefix
    ]
    assert run_js("return input.map(([t, c]) => Q.namesBothSides(t, c));", cases) == [True, False, True, True]


def test_a_title_is_escaped_and_its_matched_words_marked():
    out = run_js('return Q.highlight(input, new Set(["kv", "cache"]));', 'What is the <b>KV</b> cache & "why"?')
    assert out == 'What is the &lt;b&gt;<mark>KV</mark>&lt;/b&gt; <mark>cache</mark> &amp; &quot;why&quot;?'


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("how to make inference faster", ["make", "inference", "faster"]),
        ("how do you choose the temperature for generation", ["choose", "temperature", "generation"]),
        ("what is the context length of a transformer", ["context", "length", "transformer"]),
        ("lost in the middle", ["lost", "middle"]),
        ("how to pick chunk size for retrieval", ["pick", "chunk", "size", "retrieval"]),
    ],
)
def test_the_issues_questions_keep_only_their_content_words_with_the_real_rules(query, expected):
    rules, problems = read_rules()
    assert problems == []
    (a,) = analyze(query, rules=rules.as_json())
    assert [t["term"] for t in a["terms"]] == expected
