"""Tests of the classify stage: the taxonomy file, the scoring rules, and accuracy on the real corpus."""

from __future__ import annotations

import csv
import random
from collections import Counter
from pathlib import Path

import pytest
import yaml

from builder.classify import (
    DEFAULT_TOPICS_PATH,
    OTHER_SLUG,
    OTHER_TITLE,
    classify,
    load_taxonomy,
    load_topics,
    normalise_text,
    phrase_key,
    phrases_in,
    best_topic,
    topic_scores,
)
from builder.model import Entry, Item, Level, Section
from builder.slugs import slugify

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "tests" / "data" / "topic_sample.tsv"

TINY_TOPICS = """
topics:
  - slug: alpha
    title: Alpha
    summary: The first topic.
    keywords:
      strong: [attention, fine-tuning, embedding]
      weak: [shared]
  - slug: beta
    title: Beta
    summary: The second topic.
    keywords:
      strong: [flash attention, retrieval]
      weak: [shared, vector]
"""


def item(
    question: str, answer: str = "", *, section: str = "", level: Level | None = None, source: str = "s.txt"
) -> Item:
    return Item(source=source, number="", line=1, question=question, answer=answer, level=level, section=section)


def entry(question: str, answer: str = "", *, section: str = "") -> Entry:
    return Entry(id=slugify(question), question=question, items=(item(question, answer, section=section),))


def slug_of(sections: tuple[Section, ...], entry_id: str) -> str:
    found = [s.topic.slug for s in sections for e in s.entries if e.id == entry_id]
    assert len(found) == 1, f"{entry_id} is in {found}"
    return found[0]


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    path = tmp_path / "topics.yml"
    path.write_text(TINY_TOPICS, encoding="utf-8")
    return path


# --------------------------------------------------------------------------- the taxonomy file


def test_topics_yml_has_the_documented_shape() -> None:
    raw = yaml.safe_load(DEFAULT_TOPICS_PATH.read_text(encoding="utf-8"))
    assert set(raw) == {"topics"}
    for t in raw["topics"]:
        assert set(t) == {"slug", "title", "summary", "keywords"}, t.get("slug")
        assert set(t["keywords"]) <= {"strong", "weak"}, t["slug"]
        for phrases in t["keywords"].values():
            assert all(isinstance(p, str) and p == p.lower() and p.strip() for p in phrases), t["slug"]


def test_topics_yml_is_a_sound_taxonomy() -> None:
    taxonomy = load_taxonomy(DEFAULT_TOPICS_PATH)
    topics = taxonomy.topics
    assert 15 <= len(topics) <= 30
    slugs = [t.slug for t in topics]
    assert len(set(slugs)) == len(slugs)
    assert OTHER_SLUG not in slugs
    assert all(slug == slugify(slug) for slug in slugs), "slugs must be URL-safe"
    assert [t.order for t in topics] == list(range(1, len(topics) + 1))
    for rules in taxonomy.rules:
        assert rules.topic.title.strip() and rules.topic.summary.strip(), rules.topic.slug
        assert rules.strong, rules.topic.slug
        assert rules.topic.keywords == rules.strong + rules.weak
    owners: dict[str, set[str]] = {}
    for rules in taxonomy.rules:
        for phrase in rules.strong:
            owners.setdefault(phrase_key(phrase), set()).add(rules.topic.slug)
    assert {k: v for k, v in owners.items() if len(v) > 1} == {}, "strong keywords claimed by several topics"


def test_load_topics_returns_topics_in_file_order(tiny: Path) -> None:
    topics = load_topics(tiny)
    assert [t.slug for t in topics] == ["alpha", "beta"]
    assert topics[1].keywords == ("flash attention", "retrieval", "shared", "vector")


@pytest.mark.parametrize(
    "text, problem",
    [
        ("topics:\n  - slug: a\n    title: A\n    summary: s\n    keywords: {strong: [x]}\n"
         "  - slug: b\n    title: B\n    summary: s\n    keywords: {strong: [X-ray, x]}\n", "lower case"),
        ("topics:\n  - slug: a\n    title: A\n    summary: s\n    keywords: {strong: [x]}\n"
         "  - slug: b\n    title: B\n    summary: s\n    keywords: {strong: [x]}\n", "claimed by"),
        ("topics:\n  - slug: other\n    title: O\n    summary: s\n    keywords: {strong: [x]}\n", "fallback"),
        ("topics:\n  - slug: a\n    title: A\n    summary: s\n    keywords: {strong: [x, false]}\n", "not a string"),
        ("topics:\n  - slug: a\n    title: A\n    summary: s\n    keywords: {weak: [x]}\n", "no strong"),
        ("topics:\n  - slug: a\n    title: A\n    keywords: {strong: [x]}\n", "needs slug, title and summary"),
    ],
)
def test_bad_taxonomies_are_rejected(tmp_path: Path, text: str, problem: str) -> None:
    path = tmp_path / "topics.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match=problem):
        load_taxonomy(path)


# --------------------------------------------------------------------------- scoring rules


@pytest.mark.parametrize(
    "question, expected",
    [
        ("What is Grouped Query Attention (GQA)?", "attention"),
        ("How does rotary positional encoding (RoPE) work?", "positional-encoding"),
        ("What is Byte Pair Encoding?", "tokenization"),
        ("What is LoRA and why is it cheap?", "fine-tuning"),
        ("How does DPO differ from RLHF?", "alignment"),
        ("What is nucleus (top-p) sampling?", "decoding"),
        ("What is GPTQ?", "quantization"),
        ("Why does the KV cache grow with sequence length?", "inference-serving"),
        ("What is FlashAttention?", "efficient-architectures"),
        ("What is tensor parallelism?", "distributed-training"),
        ("What is a vector database?", "rag"),
        ("What is prompt injection?", "safety"),
        ("What is the Chinchilla scaling law?", "pretraining-scaling"),
        ("What is BLEU score?", "evaluation"),
        ("What is a pod in Kubernetes?", "deployment"),
    ],
)
def test_keywords_in_the_question_pick_the_topic(question: str, expected: str) -> None:
    e = entry(question)
    assert slug_of(classify([e]), e.id) == expected


def test_longest_phrase_wins_where_phrases_overlap(tiny: Path) -> None:
    # "flash attention" is beta's; the bare "attention" inside it must not also count for alpha.
    e = entry("How does flash attention work?")
    assert slug_of(classify([e], tiny), e.id) == "beta"


def test_hyphen_space_and_plural_variants_match(tiny: Path) -> None:
    entries = [entry("Why fine tuning?"), entry("What about finetuning?"), entry("What are embeddings?")]
    sections = classify(entries, tiny)
    assert [slug_of(sections, e.id) for e in entries] == ["alpha", "alpha", "alpha"]


def test_keywords_match_on_word_boundaries_only(tiny: Path) -> None:
    # "retrievals" is a plural, "preretrieval" is another word.
    a, b = entry("Why retrievals?"), entry("What is preretrieval?")
    sections = classify([a, b], tiny)
    assert slug_of(sections, a.id) == "beta"
    assert slug_of(sections, b.id) == OTHER_SLUG


def test_ties_go_to_the_earlier_topic(tiny: Path, tmp_path: Path) -> None:
    e = entry("Attention or retrieval?")
    assert slug_of(classify([e], tiny), e.id) == "alpha"
    swapped = tmp_path / "swapped.yml"
    data = yaml.safe_load(TINY_TOPICS)
    data["topics"].reverse()
    swapped.write_text(yaml.safe_dump(data), encoding="utf-8")
    assert slug_of(classify([e], swapped), e.id) == "beta"


def test_the_question_outweighs_the_section_and_a_keyword_dense_answer(tiny: Path) -> None:
    by_section = entry("What is retrieval?", section="Attention")
    by_answer = entry("What is retrieval really?", "Attention, embedding and fine-tuning, attention again.")
    sections = classify([by_section, by_answer], tiny)
    assert slug_of(sections, by_section.id) == "beta"
    assert slug_of(sections, by_answer.id) == "beta"


def test_section_and_answer_decide_when_the_question_is_silent(tiny: Path) -> None:
    by_section = entry("What is this?", section="Section 3: Retrieval")
    by_answer = entry("And that?", "It is an embedding.")
    sections = classify([by_section, by_answer], tiny)
    assert slug_of(sections, by_section.id) == "beta"
    assert slug_of(sections, by_answer.id) == "alpha"


def test_a_parenthesis_weighs_less_than_the_question_proper(tiny: Path) -> None:
    e = entry("What is vector retrieval (attention-based)?")
    assert slug_of(classify([e], tiny), e.id) == "beta"


def test_entries_without_keywords_fall_back_to_other_last(tiny: Path) -> None:
    matched, unmatched = entry("What is attention?"), entry("What is the weather like?")
    sections = classify([unmatched, matched], tiny)
    assert [s.topic.slug for s in sections] == ["alpha", OTHER_SLUG]
    assert sections[-1].topic.title == OTHER_TITLE
    assert sections[-1].topic.order > sections[0].topic.order
    assert sections[-1].entries == (unmatched,)


def test_empty_topics_get_no_section(tiny: Path) -> None:
    assert classify([], tiny) == ()
    assert [s.topic.slug for s in classify([entry("What is retrieval?")], tiny)] == ["beta"]


def test_every_entry_lands_in_exactly_one_section() -> None:
    questions = [
        "What is self-attention?", "What is QLoRA?", "What is speculative decoding?", "What is AdamW?",
        "What is a vector database?", "What is jailbreaking?", "What is lunch?", "What is MoE routing in inference?",
    ]
    entries = [entry(q) for q in questions]
    sections = classify(entries)
    placed = [e.id for s in sections for e in s.entries]
    assert sorted(placed) == sorted(e.id for e in entries)
    assert len({s.topic.slug for s in sections}) == len(sections)


def test_sections_follow_taxonomy_order() -> None:
    entries = [entry("What is a vector database?"), entry("What is BPE?"), entry("What is self-attention?")]
    orders = [s.topic.order for s in classify(entries)]
    assert orders == sorted(orders)


def test_entries_are_ordered_by_level_then_input_order(tiny: Path) -> None:
    def leveled(n: int, level: Level | None) -> Entry:
        return Entry(id=f"e{n}", question=f"attention {n}", items=(item(f"attention {n}", level=level),))

    entries = [
        leveled(0, None), leveled(1, Level.ADVANCED), leveled(2, Level.BEGINNER),
        leveled(3, Level.INTERMEDIATE), leveled(4, Level.BEGINNER), leveled(5, None),
    ]
    (section,) = classify(entries, tiny)
    assert [e.id for e in section.entries] == ["e2", "e4", "e3", "e1", "e0", "e5"]


def test_an_entry_with_several_levels_sorts_by_its_easiest(tiny: Path) -> None:
    mixed = Entry(id="mixed", question="attention", items=(
        item("attention", level=Level.ADVANCED), item("attention?", level=Level.BEGINNER, source="t.txt")))
    hard = Entry(id="hard", question="attention!", items=(item("attention!", level=Level.INTERMEDIATE),))
    (section,) = classify([hard, mixed], tiny)
    assert [e.id for e in section.entries] == ["mixed", "hard"]


def test_classification_is_deterministic() -> None:
    questions = [
        "What is GQA?", "What is top-k sampling?", "What is BM25?", "Explain ZeRO stage 3.", "What is grokking?",
        "What is RAG vs fine-tuning?", "What is weather?", "What is perplexity?", "What is SwiGLU?",
    ]
    entries = [entry(q) for q in questions]
    first, second = classify(entries), classify(entries)
    assert first == second
    shuffled = entries[:]
    random.Random(7).shuffle(shuffled)
    third = classify(shuffled)
    assert {e.id: slug_of(first, e.id) for e in entries} == {e.id: slug_of(third, e.id) for e in entries}


# --------------------------------------------------------------------------- the real corpus


def _sample_rows() -> list[tuple[str, str, str]]:
    with SAMPLE.open(encoding="utf-8", newline="") as f:
        reader = csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        header = next(reader)
        assert header == ["source", "question", "topic"]
        return [(r[0], r[1], r[2]) for r in reader if r]


def test_topic_sample_is_well_formed() -> None:
    rows = _sample_rows()
    assert len(rows) >= 70
    assert len({(s, q) for s, q, _ in rows}) == len(rows), "duplicate rows"
    slugs = {t.slug for t in load_topics(DEFAULT_TOPICS_PATH)}
    assert {t for _, _, t in rows} <= slugs
    assert len({s for s, _, _ in rows}) == 5
    assert len({t for _, _, t in rows}) >= 0.75 * len(slugs)


def test_classifier_agrees_with_the_hand_checked_sample() -> None:
    from builder.pipeline import parse_all

    items = parse_all(ROOT / "sources")
    entries = [Entry(id=f"i{n}", question=it.question, items=(it,)) for n, it in enumerate(items)]
    sections = classify(entries)
    topic_of = {e.id: s.topic.slug for s in sections for e in s.entries}

    # Match on the slug of the question so that harmless repairs (quotes, spacing) do not break rows.
    by_key: dict[tuple[str, str], list[str]] = {}
    for e in entries:
        by_key.setdefault((e.items[0].source, slugify(e.question)), []).append(topic_of[e.id])

    rows = _sample_rows()
    unmatched = [(s, q) for s, q, _ in rows if (s, slugify(q)) not in by_key]
    assert not unmatched, f"sample rows with no parsed question: {unmatched}"
    # A question the source asks twice must land in the expected topic both times.
    wrong = [(q, t, by_key[(s, slugify(q))]) for s, q, t in rows if set(by_key[(s, slugify(q))]) != {t}]
    accuracy = 1 - len(wrong) / len(rows)
    report = "\n".join(f"  {q!r}: expected {t}, got {got}" for q, t, got in wrong)
    assert accuracy >= 0.90, f"accuracy {accuracy:.1%} on {len(rows)} rows; misclassified:\n{report}"

    counts = Counter(topic_of.values())
    assert counts[OTHER_SLUG] <= 0.03 * len(entries), f"{counts[OTHER_SLUG]} of {len(entries)} questions in 'other'"


def test_typographic_dashes_spaces_and_quotes_are_normalised() -> None:
    assert normalise_text("Fine\u2011Tuning\u00a0\u201cLoRA\u201d \u2212 \u00abRAG\u00bb") == "fine-tuning lora - rag"


def test_phrases_in_gives_a_fresh_set_each_time(tiny: Path) -> None:
    taxonomy = load_taxonomy(tiny)
    found = phrases_in("Flash attention and retrieval", taxonomy)
    assert found == {"flashattention", "retrieval"}
    found.clear()  # a caller's set is its own
    assert phrases_in("Flash attention and retrieval", taxonomy) == {"flashattention", "retrieval"}
