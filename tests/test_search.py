"""What the search index sees: other names of each question's concepts, page settings, and the real index."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from builder.glossary import load_glossary
from builder.model import Entry, Item, Page, Term
from builder.search import (
    SearchVocabulary,
    joined_forms,
    load_vocabulary,
    search_front_matter,
    search_terms_block,
    with_search_settings,
)

TERMS = (
    Term(slug="gqa", term="Grouped-query attention", definition="", abbr="GQA", aliases=("grouped query attention",)),
    Term(slug="rag", term="Retrieval-augmented generation", definition="", abbr="RAG", case_sensitive=True),
    Term(slug="transformer", term="Transformer", definition="", aliases=("transformers",)),
    Term(slug="kv-cache", term="KV cache", definition="", aliases=("key-value cache", "KV caching")),
)
GROUPS = (
    ("top-p sampling", "top-p", "nucleus sampling"),
    ("rag", "retrieval augmented generation"),
    ("kv cache", "key value cache", "kv caching"),
)


@pytest.fixture()
def vocabulary() -> SearchVocabulary:
    return SearchVocabulary(TERMS, GROUPS, generic=("transformer",))


def test_an_acronym_brings_its_expansion(vocabulary):
    assert vocabulary.other_names(["What is GQA?"]) == ["Grouped-query attention"]


def test_an_expansion_brings_its_acronym(vocabulary):
    assert vocabulary.other_names(["Explain grouped-query attention."]) == ["GQA"]


def test_a_synonym_group_phrase_brings_the_other_phrases(vocabulary):
    assert vocabulary.other_names(["What is nucleus sampling?"]) == ["top-p sampling", "top-p"]


def test_a_group_sharing_a_name_with_a_glossary_term_adds_its_phrases_to_the_term(vocabulary):
    terms = (Term(slug="top-p", term="Top-p sampling", definition="", aliases=("nucleus sampling",)),)
    groups = (("top-p sampling", "top-p", "nucleus"),)
    assert SearchVocabulary(terms, groups).other_names(["What is top-p sampling?"]) == ["nucleus sampling", "nucleus"]


def test_names_the_question_already_uses_are_not_repeated_whatever_the_hyphens_and_case(vocabulary):
    assert vocabulary.other_names(["What is Grouped Query Attention (GQA)?"]) == []


def test_every_wording_of_the_question_counts(vocabulary):
    names = vocabulary.other_names(["What is the cache of past keys?", "What is KV caching?"])
    assert names == ["KV cache", "key-value cache"]  # "key value cache" is the same words


def test_a_case_sensitive_abbreviation_is_matched_only_as_written(vocabulary):
    assert vocabulary.other_names(["What does a rag doll have to do with it?"]) == []
    assert vocabulary.other_names(["What is RAG?"]) == ["Retrieval-augmented generation"]


def test_no_match_inside_a_word(vocabulary):
    assert vocabulary.other_names(["How is storage sharded?"]) == []


def test_generic_concepts_add_no_names(vocabulary):
    assert vocabulary.other_names(["What is the KV cache in Transformers?"]) == ["key-value cache", "KV caching"]


def test_a_camel_case_join_counts_as_the_two_words_the_index_sees():
    # The index splits "FlashAttention" into "flash" "attention", so "flashattention" is still worth adding.
    terms = (Term(slug="fa", term="FlashAttention", definition="", aliases=("flash attention", "flashattention")),)
    assert SearchVocabulary(terms, ()).other_names(["What is FlashAttention?"]) == ["flashattention"]


def test_hyphenated_and_camel_case_words_are_also_written_solid():
    assert joined_forms(["What is re-ranking in RAG?", "Llama-3 vs multi-head"]) == ["reranking", "llama3", "multihead"]
    assert joined_forms(["DeepSpeed or QLoRA?"]) == ["deepspeed"]  # the index keeps "QLoRA" whole
    assert joined_forms(["No hyphens here"]) == []


def _entry(question: str, *variants: str) -> Entry:
    items = tuple(Item(source="a.txt", number=str(i + 1), line=i + 1, question=q, answer="An answer.") for i, q in enumerate((question, *variants)))
    return Entry(id="e", question=question, items=items)


def test_the_search_terms_block_is_hidden_and_escaped(vocabulary):
    block = search_terms_block(_entry("Is <GQA> fast?"), vocabulary)
    assert block == '<div class="hb-search-terms" hidden><p>Grouped-query attention · groupedquery</p></div>'
    assert search_terms_block(_entry("What is a tensor?"), vocabulary) == ""


def test_the_search_terms_block_writes_hyphenated_words_solid(vocabulary):
    assert search_terms_block(_entry("What is re-ranking?"), vocabulary) == '<div class="hb-search-terms" hidden><p>reranking</p></div>'


def test_the_search_terms_block_reads_the_variants(vocabulary):
    assert "nucleus sampling" in search_terms_block(_entry("Explain top-p.", "What is top-p sampling?"), vocabulary)


def test_the_search_terms_block_is_the_same_when_asked_again(vocabulary):
    first = search_terms_block(_entry("Explain top-p.", "What is GQA?"), vocabulary)
    assert first == search_terms_block(_entry("Explain top-p.", "What is GQA?"), vocabulary)
    assert "nucleus sampling" in first and "Grouped-query attention" in first
    assert first == vocabulary.terms_block(("Explain top-p.", "What is GQA?"))


def test_the_real_data_knows_common_acronyms():
    vocabulary = load_vocabulary(load_glossary())
    assert any("nucleus" in n.lower() for n in vocabulary.other_names(["What is top-p sampling?"]))
    assert any(n.lower().startswith("rotary") for n in vocabulary.other_names(["What is RoPE?"]))
    assert "MoE" in vocabulary.other_names(["What is a mixture of experts?"])
    assert vocabulary.other_names(["What is a transformer?"]) == []  # generic in data/search.yml


def test_search_front_matter_excludes_and_boosts_by_path():
    exclude, boost = ("index.md", "sources/*.md"), {"reference/*.md": 0.5, "topics/*.md": 1.0}
    assert search_front_matter("index.md", exclude, boost) == {"exclude": True}
    assert search_front_matter("sources/x.md", exclude, boost) == {"exclude": True}
    assert search_front_matter("reference/x.md", exclude, boost) == {"boost": 0.5}
    assert search_front_matter("topics/attention.md", exclude, boost) == {}


def test_with_search_settings_adds_front_matter_from_the_data_file(tmp_path: Path):
    settings = tmp_path / "search.yml"
    settings.write_text("exclude: [coverage.md]\nboost: {'reference/*.md': 0.5}\n", encoding="utf-8")
    pages = [Page("coverage.md", "x", {"title": "Coverage"}), Page("reference/a.md", "x"), Page("topics/a.md", "x", {"title": "A"})]
    out = with_search_settings(pages, settings)
    assert out[0].front_matter == {"title": "Coverage", "search": {"exclude": True}}
    assert out[1].front_matter == {"search": {"boost": 0.5}}
    assert out[2] is pages[2]


# --- the real build ---------------------------------------------------------------------------


def _index(site: Path) -> dict:
    return json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))


def test_every_question_is_one_search_document_at_its_own_anchor(built, site):
    locations = {doc["location"] for doc in _index(site)["docs"]}
    for section in built.sections:
        for entry in section.entries:
            assert f"topics/{section.topic.slug}/#{entry.id}" in locations


def test_the_index_holds_answers_not_boilerplate(built, site):
    docs = _index(site)["docs"]
    pages = {doc["location"].split("/")[0] for doc in docs}
    assert pages <= {"topics", "reference", "glossary"}, pages  # home, sources, coverage left out
    assert not any("#level-" in doc["location"] for doc in docs)
    text = " ".join(doc["text"] for doc in docs)
    assert "question 1 " not in text and "From Expanded Q" not in text  # origin lines
    assert "Beginner–" not in text  # level badges
    summaries = [s.topic.summary for s in built.sections]
    assert not any(summary[:60] in text for summary in summaries)  # topic intros: the page would outrank its answers


def test_other_names_reach_the_index(built, site):
    docs = {doc["location"]: doc for doc in _index(site)["docs"]}
    entry_doc = next(doc for doc in docs.values() if "(RoPE)" in doc["title"])
    assert "rotary embeddings" in entry_doc["text"].lower()


def test_the_search_separator_splits_punctuation_and_camel_case():
    import re

    import yaml

    config = yaml.safe_load((Path(__file__).resolve().parents[1] / "mkdocs.yml").read_text(encoding="utf-8"))
    search = next(p["search"] for p in config["plugins"] if isinstance(p, dict) and "search" in p)
    separator = re.compile(search["separator"])

    def words(text: str) -> list[str]:
        return [w.lower() for w in separator.split(text) if w]

    assert words('What is Grouped Query Attention (GQA)?') == ["what", "is", "grouped", "query", "attention", "gqa"]
    assert words("FlashAttention-2 vs QLoRA, ALiBi &amp; RMSNorm") == ["flash", "attention", "2", "vs", "qlora", "alibi", "rmsnorm"]
    assert words("llama.cpp runs 3.5 bits") == ["llama", "cpp", "runs", "3.5", "bits"]
