"""Tests of the classify stage: the taxonomy file, the scoring rules, and accuracy on the real corpus."""

from __future__ import annotations

import csv
import random
from collections import Counter
from pathlib import Path

import pytest
import yaml

from builder.classify import OTHER_TITLE, classify, phrases_in
from builder.taxonomy import DEFAULT_TOPICS_PATH, OTHER_SLUG, load_taxonomy, load_topics, normalise_text, phrase_key
from builder.model import Entry, Item, Level, Part, Section, Subtopic
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
    assert set(raw) == {"topics", "moved"}
    for t in raw["topics"]:
        assert {"slug", "title", "summary", "keywords"} <= set(t) <= {"slug", "title", "summary", "keywords", "parts", "questions"}, t.get("slug")
        for group in (t, *t.get("parts", ())):
            assert set(group["keywords"]) <= {"strong", "weak"}, group["slug"]
            for phrases in group["keywords"].values():
                assert all(isinstance(p, str) and p == p.lower() and p.strip() for p in phrases), group["slug"]
            assert all(isinstance(q, str) and q.strip() for q in group.get("questions", ())), group["slug"]


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
        ("How does rotary positional encoding (RoPE) work?", "transformer-architecture"),
        ("What is Byte Pair Encoding?", "tokenization"),
        ("What is LoRA and why is it cheap?", "fine-tuning"),
        ("How does DPO differ from RLHF?", "alignment"),
        ("What is nucleus (top-p) sampling?", "decoding"),
        ("What is GPTQ?", "quantization"),
        ("Why does the KV cache grow with sequence length?", "inference-serving"),
        ("What is FlashAttention?", "attention"),
        ("What is MoE routing?", "efficient-architectures"),
        ("What is function calling in LLM agents?", "prompting"),
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
    assert slug_of(classify([e]).sections, e.id) == expected


def test_longest_phrase_wins_where_phrases_overlap(tiny: Path) -> None:
    # "flash attention" is beta's; the bare "attention" inside it must not also count for alpha.
    e = entry("How does flash attention work?")
    assert slug_of(classify([e], tiny).sections, e.id) == "beta"


def test_hyphen_space_and_plural_variants_match(tiny: Path) -> None:
    entries = [entry("Why fine tuning?"), entry("What about finetuning?"), entry("What are embeddings?")]
    sections = classify(entries, tiny).sections
    assert [slug_of(sections, e.id) for e in entries] == ["alpha", "alpha", "alpha"]


def test_keywords_match_on_word_boundaries_only(tiny: Path) -> None:
    # "retrievals" is a plural, "preretrieval" is another word.
    a, b = entry("Why retrievals?"), entry("What is preretrieval?")
    sections = classify([a, b], tiny).sections
    assert slug_of(sections, a.id) == "beta"
    assert slug_of(sections, b.id) == OTHER_SLUG


def test_ties_go_to_the_earlier_topic(tiny: Path, tmp_path: Path) -> None:
    e = entry("Attention or retrieval?")
    assert slug_of(classify([e], tiny).sections, e.id) == "alpha"
    swapped = tmp_path / "swapped.yml"
    data = yaml.safe_load(TINY_TOPICS)
    data["topics"].reverse()
    swapped.write_text(yaml.safe_dump(data), encoding="utf-8")
    assert slug_of(classify([e], swapped).sections, e.id) == "beta"


def test_the_question_outweighs_the_section_and_a_keyword_dense_answer(tiny: Path) -> None:
    by_section = entry("What is retrieval?", section="Attention")
    by_answer = entry("What is retrieval really?", "Attention, embedding and fine-tuning, attention again.")
    sections = classify([by_section, by_answer], tiny).sections
    assert slug_of(sections, by_section.id) == "beta"
    assert slug_of(sections, by_answer.id) == "beta"


def test_section_and_answer_decide_when_the_question_is_silent(tiny: Path) -> None:
    by_section = entry("What is this?", section="Section 3: Retrieval")
    by_answer = entry("And that?", "It is an embedding.")
    sections = classify([by_section, by_answer], tiny).sections
    assert slug_of(sections, by_section.id) == "beta"
    assert slug_of(sections, by_answer.id) == "alpha"


def test_a_parenthesis_weighs_less_than_the_question_proper(tiny: Path) -> None:
    e = entry("What is vector retrieval (attention-based)?")
    assert slug_of(classify([e], tiny).sections, e.id) == "beta"


def test_entries_without_keywords_fall_back_to_other_last(tiny: Path) -> None:
    matched, unmatched = entry("What is attention?"), entry("What is the weather like?")
    sections = classify([unmatched, matched], tiny).sections
    assert [s.topic.slug for s in sections] == ["alpha", OTHER_SLUG]
    assert sections[-1].topic.title == OTHER_TITLE
    assert sections[-1].topic.order > sections[0].topic.order
    assert sections[-1].entries == (unmatched,)


def test_empty_topics_get_no_section(tiny: Path) -> None:
    assert classify([], tiny).sections == ()
    assert [s.topic.slug for s in classify([entry("What is retrieval?")], tiny).sections] == ["beta"]


def test_every_entry_lands_in_exactly_one_section() -> None:
    questions = [
        "What is self-attention?", "What is QLoRA?", "What is speculative decoding?", "What is AdamW?",
        "What is a vector database?", "What is jailbreaking?", "What is lunch?", "What is MoE routing in inference?",
    ]
    entries = [entry(q) for q in questions]
    sections = classify(entries).sections
    placed = [e.id for s in sections for e in s.entries]
    assert sorted(placed) == sorted(e.id for e in entries)
    assert len({s.topic.slug for s in sections}) == len(sections)


def test_sections_follow_taxonomy_order() -> None:
    entries = [entry("What is a vector database?"), entry("What is BPE?"), entry("What is self-attention?")]
    orders = [s.topic.order for s in classify(entries).sections]
    assert orders == sorted(orders)


def test_entries_are_ordered_by_level_then_input_order(tiny: Path) -> None:
    def leveled(n: int, level: Level | None) -> Entry:
        return Entry(id=f"e{n}", question=f"attention {n}", items=(item(f"attention {n}", level=level),))

    entries = [
        leveled(0, None), leveled(1, Level.ADVANCED), leveled(2, Level.BEGINNER),
        leveled(3, Level.INTERMEDIATE), leveled(4, Level.BEGINNER), leveled(5, None),
    ]
    (section,) = classify(entries, tiny).sections
    assert [e.id for e in section.entries] == ["e2", "e4", "e3", "e1", "e0", "e5"]


def test_an_entry_with_several_levels_sorts_by_its_easiest(tiny: Path) -> None:
    mixed = Entry(id="mixed", question="attention", items=(
        item("attention", level=Level.ADVANCED), item("attention?", level=Level.BEGINNER, source="t.txt")))
    hard = Entry(id="hard", question="attention!", items=(item("attention!", level=Level.INTERMEDIATE),))
    (section,) = classify([hard, mixed], tiny).sections
    assert [e.id for e in section.entries] == ["mixed", "hard"]


def test_classification_is_deterministic() -> None:
    questions = [
        "What is GQA?", "What is top-k sampling?", "What is BM25?", "Explain ZeRO stage 3.", "What is grokking?",
        "What is RAG vs fine-tuning?", "What is weather?", "What is perplexity?", "What is SwiGLU?",
    ]
    entries = [entry(q) for q in questions]
    first, second = classify(entries).sections, classify(entries).sections
    assert first == second
    shuffled = entries[:]
    random.Random(7).shuffle(shuffled)
    third = classify(shuffled).sections
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
    sections = classify(entries).sections
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
    print(f"\ntopic sample: {len(rows) - len(wrong)} of {len(rows)} rows agree ({accuracy:.1%}); misclassified:\n{report}")
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


# --------------------------------------------------------------------------- sub-sections and placements

PARTS_TOPICS = """
topics:
  - slug: alpha
    title: Alpha
    summary: The first topic.
    keywords:
      strong: [attention, fine-tuning, embedding, retrieval]
    questions:
      - What is the weather like?
    parts:
      - slug: heads
        title: Heads
        keywords:
          strong: [multi-head]
          weak: [head]
      - slug: fast
        title: Fast attention
        keywords:
          strong: [flash attention]
        questions:
          - Why is attention slow?
          - A question nobody asks?
  - slug: beta
    title: Beta
    summary: The second topic.
    keywords:
      strong: [vector]
    questions:
      - What is retrieval?
moved:
  - slug: gamma
    title: Gamma
    topic: alpha
    part: fast
"""


@pytest.fixture
def with_parts(tmp_path: Path) -> Path:
    path = tmp_path / "topics.yml"
    path.write_text(PARTS_TOPICS, encoding="utf-8")
    return path


def _line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), start=1) if needle in line)


def test_sub_sections_are_data_of_their_topic(with_parts: Path) -> None:
    taxonomy = load_taxonomy(with_parts)
    alpha = taxonomy.topics[0]
    assert [(s.slug, s.title, s.keywords) for s in alpha.subtopics] == [
        ("heads", "Heads", ("multi-head", "head")), ("fast", "Fast attention", ("flash attention",))]
    assert taxonomy.topics[1].subtopics == ()
    assert [(m.slug, m.title, m.topic, m.subtopic) for m in taxonomy.moved] == [("gamma", "Gamma", "alpha", "fast")]
    wordings = {p.wording: (p.line, p.topic, p.part) for p in taxonomy.placements}
    assert wordings["Why is attention slow?"] == (_line_of(PARTS_TOPICS, "Why is attention slow?"), 0, 1)
    assert wordings["What is the weather like?"] == (_line_of(PARTS_TOPICS, "weather"), 0, None)


def test_each_entry_goes_to_the_best_sub_section_in_level_order(with_parts: Path) -> None:
    def leveled(question: str, level: Level | None) -> Entry:
        return Entry(id=slugify(question), question=question, items=(item(question, level=level),))

    entries = [
        leveled("How does flash attention work?", Level.ADVANCED), leveled("What is multi-head attention?", Level.ADVANCED),
        leveled("Why one attention head?", Level.BEGINNER), leveled("Flash attention, simply?", Level.BEGINNER),
    ]
    (section,) = classify(entries, with_parts).sections
    assert [(p.subtopic.slug, [e.id for e in p.entries]) for p in section.parts] == [
        ("heads", ["why-one-attention-head", "what-is-multi-head-attention"]),
        ("fast", ["flash-attention-simply", "how-does-flash-attention-work"]),
    ]
    assert section.entries == tuple(e for p in section.parts for e in p.entries)


def test_an_empty_sub_section_has_no_part(with_parts: Path) -> None:
    (section,) = classify([entry("What is multi-head attention?")], with_parts).sections
    assert [p.subtopic.slug for p in section.parts] == ["heads"]


def test_a_placed_wording_decides_topic_and_sub_section_whatever_the_keywords(with_parts: Path) -> None:
    slow, weather, retrieval = entry("Why is attention slow?"), entry("What is the weather like?"), entry("What is retrieval?")
    # another wording of an entry places it too, compared without case and punctuation
    merged = Entry(id="merged", question="Explain multi-head attention", items=(
        item("Explain multi-head attention"), item("why is ATTENTION slow", source="t.txt")))
    result = classify([slow, weather, retrieval, merged], with_parts)
    (alpha, beta) = result.sections
    part_of = {e.id: p.subtopic.slug for p in alpha.parts for e in p.entries}
    assert part_of[slow.id] == "fast" and part_of["merged"] == "fast"
    assert part_of[weather.id] == "heads"  # placed in the topic only: no sub-section keyword, so the first
    assert [e.id for e in beta.entries] == [retrieval.id]  # "retrieval" is alpha's keyword, the placement wins


def test_placement_problems_name_the_file_and_line(with_parts: Path) -> None:
    weather = entry("What is the weather like?")
    result = classify([weather, entry("Why is attention slow?"), entry("What is retrieval?")], with_parts)
    warnings = [(p.file, p.line, p.severity, p.message) for p in result.problems]
    nobody = _line_of(PARTS_TOPICS, "A question nobody asks?")
    assert (str(with_parts), nobody, "warning", "no source asks 'A question nobody asks?'; its placement cannot apply") in warnings
    # The weather question matches no sub-section: it is shown under the first, with a warning at its source line.
    assert ("s.txt", 1, "warning", "'What is the weather like?' matches no sub-section of 'alpha' "
            f"({with_parts}): it is shown under 'Heads'; add a keyword or place the question") in warnings
    assert len(warnings) == 2


def test_a_wording_placed_twice_and_an_entry_placed_apart_are_warned(tmp_path: Path) -> None:
    text = PARTS_TOPICS.replace("      - What is retrieval?\n", "      - What is retrieval?\n      - why is attention slow\n      - What is vector search?\n")
    path = tmp_path / "topics.yml"
    path.write_text(text, encoding="utf-8")
    merged = Entry(id="merged", question="What is retrieval?", items=(item("What is retrieval?"), item("What is vector search?", source="t.txt")))
    result = classify([merged, entry("Why is attention slow?")], path)
    messages = {(p.line, p.message) for p in result.problems}
    assert (_line_of(text, "why is attention slow"), f"'why is attention slow' is also placed at line {_line_of(text, 'Why is attention slow?')}; that placement wins") in messages
    # both wordings of one entry are placed in the same topic: no conflict
    assert not any("placed apart" in m for _, m in messages)
    text = text.replace("      - What is vector search?\n", "").replace("          - A question nobody asks?\n", "          - A question nobody asks?\n          - What is vector search?\n")
    path.write_text(text, encoding="utf-8")
    result = classify([merged], path)
    first = _line_of(text, "What is vector search?")
    assert (_line_of(text, "- What is retrieval?"), f"'What is retrieval?' and 'What is vector search?' (line {first}) are wordings "
            f"of one entry, placed apart; line {first} wins") in {(p.line, p.message) for p in result.problems}
    assert [s.topic.slug for s in result.sections] == ["alpha"]  # the earlier line wins


@pytest.mark.parametrize(
    "change, problem",
    [
        (("      - slug: fast\n", "      - slug: heads\n"), "duplicate sub-section slug 'heads'"),
        (("      - slug: fast\n", "      - slug: Fast Lane\n"), "must be URL-safe"),
        (("      - slug: fast\n", "      - slug: level-beginner\n"), "must be URL-safe and not level-"),
        (("strong: [flash attention]", "strong: [flash attention, multi-head]"), "claimed by 'heads' and 'fast'"),
        (("        title: Heads\n", "        title: Heads\n        kewords: {strong: [x]}\n"), "unknown key"),
        (("    part: fast\n", "    part: nowhere\n"), "no sub-section 'nowhere'"),
        (("    topic: alpha\n", "    topic: delta\n"), "the slug of the topic it went to"),
        (("  - slug: gamma\n", "  - slug: beta\n"), "no topic has"),
        (("      - What is retrieval?\n", "      - 42\n"), "list of question wordings"),
    ],
)
def test_bad_sub_sections_placements_and_moves_are_rejected(tmp_path: Path, change: tuple[str, str], problem: str) -> None:
    assert change[0] in PARTS_TOPICS
    path = tmp_path / "topics.yml"
    path.write_text(PARTS_TOPICS.replace(change[0], change[1], 1), encoding="utf-8")
    with pytest.raises(ValueError, match=problem):
        load_taxonomy(path)


def test_a_topic_needs_two_sub_sections_or_none(tmp_path: Path) -> None:
    start, end = PARTS_TOPICS.index("      - slug: fast\n"), PARTS_TOPICS.index("  - slug: beta\n")
    path = tmp_path / "topics.yml"
    path.write_text(PARTS_TOPICS[:start] + PARTS_TOPICS[end:].replace("    part: fast\n", ""), encoding="utf-8")
    with pytest.raises(ValueError, match="at least two sub-sections"):
        load_taxonomy(path)


def test_a_section_s_parts_must_hold_its_entries() -> None:
    a, b = entry("What is a?"), entry("What is b?")
    topic = load_topics(DEFAULT_TOPICS_PATH)[0]
    sub = Subtopic("s", "S")
    assert Section(topic, (a, b), (Part(sub, (a,)), Part(Subtopic("t", "T"), (b,)))).entries == (a, b)
    with pytest.raises(ValueError, match="do not hold its entries"):
        Section(topic, (a, b), (Part(sub, (b, a)),))
