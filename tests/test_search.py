"""What a search document holds: the other names of a question's concepts, the rules of data/search.yml,
the documents of questions and glossary terms, and pages kept out of Material's own index."""

from __future__ import annotations

from pathlib import Path

import pytest

from builder.editorial import Editorial
from builder.glossary import load_glossary
from builder.model import Entry, Item, Level, Page, Section, Term, Topic
from builder.search import SearchVocabulary, excluded_from_material_search, joined_forms, load_vocabulary, read_rules
from builder.search.documents import glossary_documents, plain, question_documents
from builder.search.rules import SearchRules

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


def test_search_names_add_the_solid_forms_of_split_words(vocabulary):
    assert vocabulary.search_names(["Is <GQA> fast?"]) == ["Grouped-query attention", "groupedquery"]
    assert vocabulary.search_names(["What is re-ranking?"]) == ["reranking"]
    assert vocabulary.search_names(["What is a tensor?"]) == []


def test_search_names_read_every_wording(vocabulary):
    names = vocabulary.search_names(["Explain top-p.", "What is GQA?"])
    assert "nucleus sampling" in names and "Grouped-query attention" in names




def test_the_real_data_knows_common_acronyms():
    rules, problems = read_rules()
    assert problems == []
    vocabulary = load_vocabulary(load_glossary(), rules.generic)
    assert any("nucleus" in n.lower() for n in vocabulary.other_names(["What is top-p sampling?"]))
    assert any(n.lower().startswith("rotary") for n in vocabulary.other_names(["What is RoPE?"]))
    assert "MoE" in vocabulary.other_names(["What is a mixture of experts?"])
    assert vocabulary.other_names(["What is a transformer?"]) == []  # generic in data/search.yml


# --- the rules of data/search.yml -----------------------------------------------------------------

RULES_YAML = """\
fields: {title: 6, alt: 3, keys: 1.5, where: 1}
glossary_weight: 0.5
typo_min_length: 5
prefix_min_length: 2
stop_words: [a, the, How]
question_words: [explain]
comparison:
  patterns: ['^(.+?)\\s+vs\\s+(.+)$']
  words: [vs]
generic: [transformer]
"""


def test_the_rules_are_read_with_words_in_lower_case(tmp_path: Path):
    path = tmp_path / "search.yml"
    path.write_text(RULES_YAML, encoding="utf-8")
    rules, problems = read_rules(path)
    assert problems == []
    assert rules.fields == {"title": 6.0, "alt": 3.0, "keys": 1.5, "where": 1.0}
    assert rules.stop_words == ("a", "the", "how") and rules.generic == ("transformer",)
    assert rules.as_json()["comparison"] == {"patterns": ["^(.+?)\\s+vs\\s+(.+)$"], "words": ["vs"]}


@pytest.mark.parametrize(
    ("change", "line", "words"),
    [
        (("fields: {title: 6, alt: 3, keys: 1.5, where: 1}", "fields: {title: 6, body: 2}"), 1, "unknown field 'body'"),
        (("fields: {title: 6, alt: 3, keys: 1.5, where: 1}", "fields: {alt: 3}"), 1, "the title must be indexed"),
        (("typo_min_length: 5", "typo_min_length: five"), 3, "typo_min_length"),
        (("stop_words: [a, the, How]", "stop_words: a the"), 5, "stop_words: expected a list"),
        (("patterns: ['^(.+?)\\s+vs\\s+(.+)$']", "patterns: ['(unclosed']"), 7, "is not a regular expression"),
        (("patterns: ['^(.+?)\\s+vs\\s+(.+)$']", "patterns: ['^(.+)\\s+vs']"), 7, "needs two groups"),
        (("question_words: [explain]", "question_words: [explain"), 6, "could not be read"),  # where the list opens
    ],
)
def test_a_wrong_rules_file_is_reported_by_file_and_line_and_plain_rules_are_used(tmp_path: Path, change, line, words):
    path = tmp_path / "search.yml"
    path.write_text(RULES_YAML.replace(*change), encoding="utf-8")
    rules, problems = read_rules(path)
    assert rules == SearchRules()
    assert len(problems) == 1 and problems[0].severity == "error", problems
    assert problems[0].file.endswith("search.yml") and problems[0].line == line, problems[0]
    assert words in problems[0].message and "plain rules used" in problems[0].message


def test_a_missing_rules_file_is_reported_too(tmp_path: Path):
    rules, problems = read_rules(tmp_path / "nowhere.yml")
    assert rules == SearchRules() and "could not be read" in problems[0].message


# --- the documents ------------------------------------------------------------------------------

TOPIC = Topic(slug="attention", title="Attention Mechanisms", order=1, summary="")


def _item(question: str, answer: str = "An answer.", level: Level | None = None, n: int = 1) -> Item:
    return Item(source="a.txt", number=str(n), line=n, question=question, answer=answer, level=level)


def test_a_question_is_one_document_with_its_wordings_names_key_points_topic_and_levels(vocabulary):
    entry = Entry(id="what-is-gqa", question="What is GQA?", items=(
        _item("What is GQA?", level=Level.INTERMEDIATE), _item("Explain re-ranking with GQA.", "Uses $\\sqrt{d_k}$.", n=2)))
    notes = {"what-is-gqa": Editorial(key_points=("Shares **K/V** heads across `groups`.", "Cost: $O(n^2)$ per [layer](x)."))}
    rules = SearchRules(fields={"title": 6, "alt": 3, "keys": 1.5, "where": 1})
    (doc,) = question_documents([Section(TOPIC, (entry,))], notes, vocabulary, rules)
    assert doc.url == "topics/attention/#what-is-gqa" and doc.topic == "attention" and doc.levels == ("intermediate",)
    assert doc.title == "What is GQA?"
    assert doc.alt == "Explain re-ranking with GQA. · Grouped-query attention · reranking · groupedquery"
    assert doc.keys == "Shares K/V heads across groups. Cost: O(n^2) per layer."
    assert doc.where == "Attention Mechanisms intermediate"
    assert doc.text == "" and doc.weight == 1  # the answers' text only when `text` is a field
    assert doc.as_json(list(rules.fields)) == {
        "id": doc.url, "title": doc.title, "topic": "attention", "levels": ["intermediate"],
        "alt": doc.alt, "keys": doc.keys, "where": doc.where,
    }


def test_the_answers_text_is_indexed_only_when_the_rules_ask_for_it(vocabulary):
    entry = Entry(id="e", question="What is a tensor?", items=(_item("What is a tensor?", "An *array* of `numbers`:\n\n```python\nx = 1\n```"),))
    rules = SearchRules(fields={"title": 1, "text": 1})
    (doc,) = question_documents([Section(TOPIC, (entry,))], {}, vocabulary, rules)
    assert doc.text == "An array of numbers: x = 1"  # code is words a reader may type too
    assert doc.as_json(list(rules.fields))["text"] == doc.text and "alt" not in doc.as_json(["title", "text"])


def test_an_estimated_level_is_the_documents_level_where_no_source_gives_one(vocabulary):
    given = Entry(id="a", question="A?", items=(_item("A?", level=Level.BEGINNER),))
    estimated = Entry(id="b", question="B?", items=(_item("B?"),))
    unknown = Entry(id="c", question="C?", items=(_item("C?"),))
    notes = {"a": Editorial(level=Level.ADVANCED), "b": Editorial(level=Level.ADVANCED)}
    docs = question_documents([Section(TOPIC, (given, estimated, unknown))], notes, vocabulary, SearchRules())
    assert [d.levels for d in docs] == [("beginner",), ("advanced",), ()]


def test_a_glossary_term_is_a_document_at_its_anchor_with_the_glossary_weight():
    term = Term(slug="kv-cache", term="KV cache", definition="Keys and values kept for *later* tokens.", abbr="KVC", aliases=("key-value cache",))
    (doc,) = glossary_documents([term], SearchRules(glossary_weight=0.5))
    assert (doc.url, doc.title, doc.alt, doc.keys, doc.topic, doc.weight) == (
        "glossary/#kv-cache", "KV cache", "KVC · key-value cache", "Keys and values kept for later tokens.", "glossary", 0.5)
    assert doc.as_json(["title", "alt"])["weight"] == 0.5


def test_plain_text_keeps_words_and_formulas_as_a_reader_types_them():
    assert plain("Why scale by $\\sqrt{d_k}$?") == "Why scale by √(d_k)?"
    assert plain("- **Bold** and _it_ with `top_k`, [a link](https://x) &amp; <b>tags</b>") == "Bold and it with top_k, a link & tags"


def test_every_markdown_page_is_kept_out_of_materials_own_index():
    pages = [Page("index.md", "x", {"title": "Home"}), Page("topics/a.md", "x"), Page("assets/entries.json", "{}")]
    out = excluded_from_material_search(pages)
    assert out[0].front_matter == {"title": "Home", "search": {"exclude": True}}
    assert out[1].front_matter == {"search": {"exclude": True}}
    assert out[2] is pages[2]  # a file that is not a page has no front matter
