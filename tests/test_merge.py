"""The merge stage: unit tests on small inline items, the hand-labelled pairs, the real sources."""

from __future__ import annotations

import csv
import random
import re
import time
from collections import Counter
from pathlib import Path

import pytest

from builder.merge import ASIDE_WEIGHT as ASIDE
from builder.merge import FILLER_WEIGHT as FILLER
from builder.merge import NO_DECISIONS, Decisions, canonical_question, merge, signature
from builder.model import Entry, Item
from builder.slugs import short_hash, slugify

ROOT = Path(__file__).resolve().parents[1]
PAIRS = ROOT / "tests" / "data" / "merge_pairs.tsv"
SAMPLE = ROOT / "tests" / "data" / "merge_pairs_sample.tsv"
SOURCES = ROOT / "sources"

# Near-misses that must never share an entry.
NEAR_MISSES = [
    ("What is LoRA?", "What is QLoRA?"),
    ("What is top-k sampling?", "What is top-p sampling?"),
    ("What is MQA?", "What is GQA?"),
    ("What is BLEU?", "What is ROUGE?"),
    ("What is data parallelism?", "What is model parallelism?"),
    ("How does RAG reduce hallucinations?", "What is RAG?"),
    ("What is PPO in RLHF?", "What is RLHF?"),
    ("What is multi-query attention (MQA)?", "What is Grouped Query Attention (GQA)?"),
    ("What is FlashAttention?", "What is FlashAttention-2?"),
    ("What is the KV cache in Transformers?", "What is KV cache offloading?"),
    ("What is static quantization?", "What is dynamic quantization?"),
    ("What is dense vs sparse retrieval?", "What is dense retrieval?"),
    ("What is zero-shot learning?", "What is few-shot learning?"),
    ("What is contrastive decoding?", "What is constrained decoding?"),
    ("How do you prevent catastrophic forgetting?", "How does LoRA prevent catastrophic forgetting?"),
    ("What is an embedding model?", "What are embeddings?"),
    ("What is model checkpointing during training?", "What is gradient checkpointing?"),
    ("What is the compute-optimal frontier?", "What is compute-optimal training?"),
    ("What is semantic caching?", "What is prefix caching?"),
]

# Wordings that differ only by articles, case, punctuation, a setting suffix, a plural or an acronym.
SAME = [
    ("What is KV cache?", "What is KV caching?"),
    ("What is KV caching?", "What is the KV cache and what does it avoid?"),
    ("What is KV caching?", "Explain the KV Cache and why it matters"),
    ("What is positional encoding?", "What is Positional Encoding in Transformers?"),
    ("What is a residual connection?", "What are residual connections?"),
    ("What is Grouped Query Attention (GQA)?", "What is grouped-query attention?"),
    ("What is GQA?", "What is Grouped Query Attention (GQA)?"),
    ("What is fine-tuning?", "What is fine-tuning in LLMs?"),
    ("What is the Transformer architecture?", "What is a transformer?"),
    ("What is top-p (nucleus) sampling?", "What is nucleus sampling?"),
    ("Q: What is beam search?", "What is beam search"),
    # Synonyms of the rules (builder/data/merge_rules.yml)
    ("What is gradient checkpointing?", "What is activation recomputation (checkpointing)?"),
    ("What is activation checkpointing?", "What is gradient checkpointing?"),
    ("What is kernel fusion?", "What is operator fusion in inference?"),
    ("What is kernel fusion?", "What are fused GPU kernels?"),
    ("What is zero-shot learning?", "What is zero-shot prompting?"),
    ("What is few-shot learning in LLMs?", "What is few-shot prompting?"),
    ("What is Chinchilla scaling?", "What is compute-optimal training?"),
    ("What is prefix caching?", 'What is "Context Caching"?'),
    ("What is adapter tuning?", "What are adapters in Transformers?"),
    ("What are embeddings?", "What is an embedding vector?"),
    ("What is linear attention?", 'Explain "Linear Transformers."'),
    ("How does routing work in MoE models?", 'Explain the "Router" in an MoE model.'),
    ("What is Approximate Nearest Neighbor (ANN) search?", "How do approximate nearest neighbor algorithms work?"),
]


def item(question: str, source: str = "a.txt", line: int = 1, number: str = "") -> Item:
    return Item(source=source, number=number, line=line, question=question, answer=f"Answer to {question}")


def items_of(*questions: str, source: str = "a.txt") -> list[Item]:
    return [item(q, source=source, line=10 * (i + 1), number=str(i + 1)) for i, q in enumerate(questions)]


def together(a: str, b: str, decisions: Decisions | None = None) -> bool:
    """Whether ``merge`` puts the two questions (from two sources) on one entry (``decisions``: the
    project's by default). The order of the two does not matter (``merge`` does not depend on the
    input order), so a labelled pair is listed once."""
    return len(merge([item(a, "a.txt", 1, "1"), item(b, "b.txt", 1, "1")], decisions)) == 1


def entry_of(entries: tuple[Entry, ...], question: str) -> Entry:
    return next(e for e in entries if any(i.question == question for i in e.items))


def assert_partition(items: list[Item], entries: tuple[Entry, ...]) -> None:
    """Every input item is in exactly one entry (by identity), none added."""
    placed = Counter(id(i) for e in entries for i in e.items)
    assert placed == Counter(id(i) for i in items)


# --------------------------------------------------------------------------------------------
# Unit tests


def test_empty_input_gives_no_entries() -> None:
    assert merge([]) == ()


def test_a_single_item_is_its_own_entry() -> None:
    (entry,) = merge([item("What is KV caching?")])
    assert entry.id == "what-is-kv-caching"
    assert entry.question == "What is KV caching?"
    assert entry.anchors == ()


def test_identical_wordings_merge_within_and_across_sources() -> None:
    items = [
        item("What is FlashAttention?", "chat.txt", 10, "88"),
        item("What is FlashAttention?", "chat.txt", 900, "136"),
        item("What is flashattention", "chat.txt", 1900, "226"),
        item("What is FlashAttention?", "other.txt", 3, "7"),
    ]
    (entry,) = merge(items)
    assert len(entry.items) == 4
    assert entry.question == "What is FlashAttention?"


@pytest.mark.parametrize(("a", "b"), SAME)
def test_same_question_in_other_words_merges(a: str, b: str) -> None:
    assert together(a, b), (signature(a).text, signature(b).text)


@pytest.mark.parametrize(("a", "b"), NEAR_MISSES)
def test_near_misses_stay_apart(a: str, b: str) -> None:
    assert not together(a, b), (signature(a).text, signature(b).text)


def test_near_misses_stay_apart_in_one_corpus() -> None:
    questions = [q for pair in NEAR_MISSES for q in pair]
    entries = merge(items_of(*questions))
    for a, b in NEAR_MISSES:
        assert entry_of(entries, a) is not entry_of(entries, b), (a, b)


def test_chaining_is_guarded() -> None:
    # Each neighbour shares five of six words with the next (similarity 0.83), but the ends share
    # only four (0.67): a chain of similar questions must not put the two ends on one entry.
    words = "alpha bravo charlie delta echo foxtrot golf hotel".split()
    chain = [f"What is {' '.join(words[k:k + 6])}?" for k in range(3)]
    for order in (chain, chain[::-1]):
        entries = merge(items_of(*order))
        assert len(entries) == 2
        assert entry_of(entries, chain[0]) is not entry_of(entries, chain[2])
    forward, backward = merge(items_of(*chain)), merge(items_of(*chain[::-1]))
    assert {e.question for e in forward} == {e.question for e in backward}


def test_oversized_candidate_groups_are_split_before_clustering(monkeypatch: pytest.MonkeyPatch) -> None:
    import builder.merge.clustering

    questions = [q for pair in SAME for q in pair]
    items = items_of(*questions)
    expected = merge(items)
    monkeypatch.setattr(builder.merge.clustering, "_MAX_DENSE", 2)
    entries = merge(items)
    assert_partition(items, entries)
    assert len(entries) >= len(expected)
    for a, b in SAME[:3]:  # the KV cache wordings are identical once reduced: never split
        assert entry_of(entries, a) is entry_of(entries, b)


def test_rewrite_rules_apply_in_order_each_to_what_the_earlier_ones_left() -> None:
    # "key value" → "KV" comes before "kv cach…" → KVCACHE, so the spelled-out wording reaches it too.
    assert signature("What is the key-value cache?").text == "kvcache"
    assert signature("What is KV caching?").text == "kvcache"
    assert signature("What is Kubernetes?").text == signature("What is k8s?").text == "k8s"


def test_similar_pairs_are_exactly_the_pairs_a_full_comparison_finds() -> None:
    from builder.merge.clustering import _cosine, _edges

    rng = random.Random(7)
    words = [f"w{k}" for k in range(12)] + ["model", "llm"]
    vectors = []
    for _ in range(300):
        raw = {w: rng.choice([1.0, 1.0, ASIDE, FILLER]) for w in rng.sample(words, rng.randint(0, 6))}
        norm = sum(v * v for v in raw.values()) ** 0.5 or 1.0
        vectors.append({w: v / norm for w, v in raw.items()})
    kind = [rng.randint(0, 2) for _ in vectors]
    for threshold in (0.3, 0.6, 0.82, 0.95):
        expected = {(i, j) for i in range(len(vectors)) for j in range(i + 1, len(vectors))
                    if kind[i] == kind[j] and _cosine(vectors[i], vectors[j]) >= threshold - 1e-9}
        found = _edges(vectors, kind, range(len(vectors)), threshold)
        assert len(found) == len(set(found)) and {tuple(sorted(p)) for p in found} == expected


def test_components_join_every_edge() -> None:
    from builder.merge.clustering import _components

    assert _components([5, 1, 3, 9, 7], [(9, 1), (3, 7)]) == [[1, 9], [3, 7], [5]]
    assert _components([], []) == []


def cut(dist: list[list[float]], height: float) -> list[list[int]]:
    from builder.merge.clustering import _components, _nn_chain_merges

    merges = _nn_chain_merges(dist)
    return sorted(_components(range(len(dist)), ((x, y) for x, y, h in merges if h <= height)))


def test_complete_linkage_breaks_ties_like_scipy() -> None:
    # a–b and b–c are equally near, a–c is not: the chain starts at a, so b joins a, not c.
    assert cut([[0, 0.2, 0.3], [0.2, 0, 0.2], [0.3, 0.2, 0]], 0.25) == [[0, 1], [2]]
    # Seven points with many ties; the expected groups are SciPy's (linkage "complete", fcluster
    # "distance" at 0.25), from when the merge stage used it.
    first = [[0.0, 0.3, 1.0, 0.3, 0.3, 1.0, 1.0], [0.3, 0.0, 0.2, 0.2, 1.0, 0.3, 1.0],
             [1.0, 0.2, 0.0, 0.2, 0.1, 0.3, 0.2], [0.3, 0.2, 0.2, 0.0, 0.2, 0.1, 1.0],
             [0.3, 1.0, 0.1, 0.2, 0.0, 0.1, 1.0], [1.0, 0.3, 0.3, 0.1, 0.1, 0.0, 0.3],
             [1.0, 1.0, 0.2, 1.0, 1.0, 0.3, 0.0]]
    assert cut(first, 0.25) == [[0], [1], [2, 4], [3, 5], [6]]
    second = [[0.0, 0.3, 1.0, 0.2, 1.0, 0.1, 1.0], [0.3, 0.0, 0.1, 0.1, 0.1, 0.2, 0.2],
              [1.0, 0.1, 0.0, 1.0, 0.1, 0.3, 0.2], [0.2, 0.1, 1.0, 0.0, 0.3, 1.0, 0.2],
              [1.0, 0.1, 0.1, 0.3, 0.0, 1.0, 0.2], [0.1, 0.2, 0.3, 1.0, 1.0, 0.0, 0.2],
              [1.0, 0.2, 0.2, 0.2, 0.2, 0.2, 0.0]]
    assert cut(second, 0.25) == [[0, 5], [1, 2, 4], [3, 6]]


def test_complete_linkage_groups_never_hold_a_far_pair() -> None:
    rng = random.Random(4)
    for _ in range(50):
        n = rng.randint(2, 30)
        dist = [[0.0] * n for _ in range(n)]
        for i in range(n):
            for j in range(i + 1, n):
                dist[i][j] = dist[j][i] = rng.choice([0.1, 0.2, 0.25, 0.3, 1.0])
        groups = cut(dist, 0.25)
        assert sorted(i for g in groups for i in g) == list(range(n))
        assert all(dist[i][j] <= 0.25 for g in groups for i in g for j in g if i != j)


def test_degenerate_questions_do_not_break_the_merge() -> None:
    items = items_of("", "?", "What is it?", "What is", "**Q:**", "What is it?")
    entries = merge(items)
    assert_partition(items, entries)
    assert len({e.id for e in entries}) == len(entries)


def test_every_item_is_kept_exactly_once() -> None:
    questions = [q for pair in SAME + NEAR_MISSES for q in pair] * 2
    items = items_of(*questions) + items_of(*questions[:7], source="b.txt")
    entries = merge(items)
    assert_partition(items, entries)
    assert all(e.items for e in entries)
    assert sum(len(e.items) for e in entries) == len(items)


def test_items_are_ordered_by_source_order_then_line_and_entries_by_first_item() -> None:
    items = [
        item("What is GQA?", "b.txt", 50, "5"),
        item("What is LoRA?", "a.txt", 40, "4"),
        item("What is Grouped Query Attention (GQA)?", "a.txt", 30, "3"),
        item("What is grouped-query attention?", "b.txt", 20, "2"),
    ]
    entries = merge(items)
    assert [e.question for e in entries] == ["What is Grouped Query Attention (GQA)?", "What is LoRA?"]
    assert [(i.source, i.line) for i in entries[0].items] == [("b.txt", 20), ("b.txt", 50), ("a.txt", 30)]


def test_ids_are_unique_and_do_not_move_when_an_unrelated_item_comes_first() -> None:
    questions = [q for pair in SAME + NEAR_MISSES for q in pair]
    items = items_of(*questions)
    before = {i.key: e.id for e in merge(items) for i in e.items}
    assert len(set(e.id for e in merge(items))) == len(merge(items))
    unrelated = item("What is a pod in Kubernetes?", "first.txt", 1, "1")
    after = {i.key: e.id for e in merge([unrelated, *items]) for i in e.items}
    assert {k: after[k] for k in before} == before


def test_canonical_question_and_ids_do_not_depend_on_input_order() -> None:
    questions = [q for pair in SAME + NEAR_MISSES for q in pair]
    items = items_of(*questions)

    def summary(entries: tuple[Entry, ...]) -> set[tuple[str, str, frozenset[str], tuple[str, ...]]]:
        return {(e.id, e.question, frozenset(i.key for i in e.items), e.anchors) for e in entries}

    shuffled = items[:]
    random.Random(3).shuffle(shuffled)
    assert summary(merge(items)) == summary(merge(list(reversed(items)))) == summary(merge(shuffled))


def test_canonical_wording_prefers_a_plain_complete_question() -> None:
    variants = [
        "Explain the KV Cache and why it matters",
        "What is the KV Cache and why is it critical for LLM inference?",
        'What is the "KV Cache"?',
        "What is KV caching?",
        "What is the KV cache in Transformers?",
    ]
    assert canonical_question(variants) == "What is KV caching?"
    assert canonical_question(reversed(variants)) == "What is KV caching?"
    assert canonical_question(["What is GQA?", "What is Grouped Query Attention (GQA)?"]) == (
        "What is Grouped Query Attention (GQA)?"
    )
    assert canonical_question(["Q: What is beam search?", "What is beam search"]) == "What is beam search"
    assert canonical_question([" What is RAG? ", "What is RAG?"]) == "What is RAG?"
    assert canonical_question(["", "  "]) == ""


def test_anchors_keep_old_per_question_links() -> None:
    items = items_of(
        "What is KV caching?",
        'What is the "KV Cache"?',
        "What is the KV cache and what does it avoid?",
        "What is KV caching?",
    )
    (entry,) = merge(items)
    assert entry.id == "what-is-kv-caching"
    assert entry.anchors == ("what-is-the-kv-cache", "what-is-the-kv-cache-and-what-does-it-avoid")
    assert entry.variants == ('What is the "KV Cache"?', "What is the KV cache and what does it avoid?")


# Two questions whose slugs agree on their first 72 characters (slugify cuts there) but which ask
# different things: their entries would get the same id.
PREFIX = "In an interview about large language models for production teams, what is "


def test_colliding_ids_get_a_content_hash_not_a_position() -> None:
    a = item(PREFIX + "gradient clipping?", "a.txt", 1, "1")
    b = item(PREFIX + "speculative decoding?", "a.txt", 2, "2")
    assert slugify(a.question) == slugify(b.question)
    first, second = merge([a, b])
    assert first.id == slugify(a.question)
    assert second.id == f"{slugify(b.question)}-{short_hash(b.key)}"
    # An unrelated entry added elsewhere moves neither id.
    again = merge([item("What is a pod in Kubernetes?", "z.txt", 1, "1"), a, b])
    assert {e.id for e in again} >= {first.id, second.id}


def test_anchors_never_collide_with_ids_or_other_anchors() -> None:
    items = [
        item(PREFIX + "gradient clipping?", "a.txt", 1, "1"),
        item(PREFIX + "speculative decoding?", "a.txt", 2, "2"),
        item("What is speculative decoding?", "a.txt", 3, "3"),
        item("What is KV caching?", "a.txt", 4, "4"),
        item('What is the "KV Cache"?', "b.txt", 5, "5"),
        item("What is the KV cache?", "b.txt", 6, "6"),
    ]
    entries = merge(items)
    ids = [e.id for e in entries]
    anchors = [a for e in entries for a in e.anchors]
    assert len(set(ids)) == len(ids)
    assert len(set(anchors)) == len(anchors)
    assert not set(ids) & set(anchors)
    for e in entries:
        assert list(e.anchors) == sorted(e.anchors)
        assert set(e.anchors) <= {slugify(i.question) for i in e.items}


def test_merge_scales_to_a_twenty_fold_corpus() -> None:
    """About 17,500 items (the labelled wordings repeated with small variations) in seconds."""
    base = sorted({q for row in read_pairs() for q in row[1:]})
    variations = [
        lambda q: q,
        lambda q: q.lower(),
        lambda q: re.sub(r"\?$", " in LLMs?", q),
        lambda q: re.sub(r"^What is ", "Explain ", q).rstrip("?") + ".",
        lambda q: "Q: " + q,
    ]
    rng = random.Random(20)
    items = [
        item(rng.choice(variations)(q) if r else q, f"s{r % 5}.txt", 100_000 * r + k, f"{r}-{k}")
        for r in range(17_500 // len(base) + 1)
        for k, q in enumerate(base)
    ][:17_500]
    started = time.perf_counter()
    entries = merge(items)
    elapsed = time.perf_counter() - started
    print(f"merge of {len(items)} items: {len(entries)} entries in {elapsed:.2f}s")
    assert_partition(items, entries)
    assert len({e.id for e in entries}) == len(entries)
    assert elapsed < 60


# --------------------------------------------------------------------------------------------
# The hand-labelled pairs


def read_pairs() -> list[tuple[str, str, str]]:
    with PAIRS.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    assert rows[0] == ["label", "question_a", "question_b"]
    return [(r[0], r[1], r[2]) for r in rows[1:] if r]


def test_labelled_pairs_file_is_well_formed() -> None:
    rows = read_pairs()
    labels = Counter(label for label, _, _ in rows)
    assert set(labels) == {"same", "different"}
    assert len(rows) >= 170 and labels["same"] >= 60 and labels["different"] >= 60
    assert len({frozenset(r[1:]) for r in rows}) == len(rows), "a pair is listed twice"
    for _, a, b in rows:
        for q in (a, b):
            assert q == q.strip() and not re.match(r"^(\d+\.|Q\d*[:.]|#)", q), q


def scores(rows: list[tuple[str, str, str]], decisions: Decisions | None, name: str) -> tuple[float, float, list[str]]:
    """Precision and recall of ``merge`` on labelled pairs, printed with the pairs it gets wrong."""
    tp = fp = fn = tn = 0
    wrong: list[str] = []
    for label, a, b in rows:
        predicted = together(a, b, decisions)
        if label == "same":
            tp, fn = tp + predicted, fn + (not predicted)
        else:
            fp, tn = fp + predicted, tn + (not predicted)
        if predicted != (label == "same"):
            wrong.append(f"{label}: {a} | {b}")
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    print(f"{name}: precision {precision:.3f}, recall {recall:.3f} (tp={tp} fp={fp} fn={fn} tn={tn})")
    print("\n".join(wrong))
    return precision, recall, wrong


def test_labelled_pairs_precision_and_recall() -> None:
    precision, recall, wrong = scores(read_pairs(), None, "labelled pairs, rules + decisions")
    assert precision >= 0.95, wrong
    assert recall >= 0.95, wrong


def test_labelled_pairs_precision_of_the_rules_alone() -> None:
    """The rules alone must stay precise; what they miss, the decisions name."""
    precision, recall, wrong = scores(read_pairs(), NO_DECISIONS, "labelled pairs, rules alone")
    assert precision >= 0.95, wrong
    assert recall >= 0.70, wrong


def read_sample() -> list[tuple[str, str, str, str, str]]:
    """A fresh sample of candidate pairs of the real sources, not in the labelled set, judged by hand:
    60 drawn at random from pairs whose signatures' cosine is in [0.5, EDGE_THRESHOLD) (one per pair
    of entries), the 40 pairs of different entries whose answers are most alike (word TF-IDF), and
    25 drawn at random from pairs of different wordings on one entry (the merge's own choices)."""
    with SAMPLE.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    assert rows[0] == ["label", "question_a", "question_b", "stratum", "reason"]
    return [(r[0], r[1], r[2], r[3], r[4]) for r in rows[1:] if r]


def test_sample_pairs_file_is_well_formed_and_fresh() -> None:
    rows = read_sample()
    assert len(rows) >= 100
    assert {r[0] for r in rows} == {"same", "different"}
    assert Counter(r[3] for r in rows) == {"signature": 60, "answers": 40, "merged": 25}
    assert all(r[4].strip() for r in rows), "every judgement has its reason"
    pairs = [frozenset(r[1:3]) for r in rows]
    assert len(set(pairs)) == len(pairs), "a pair is listed twice"
    assert not set(pairs) & {frozenset(r[1:]) for r in read_pairs()}, "a sample pair is in the labelled set"


def test_sample_pairs_precision_and_recall() -> None:
    rows = [(label, a, b) for label, a, b, _, _ in read_sample()]
    scores(rows, NO_DECISIONS, "sample, rules alone")
    precision, recall, wrong = scores(rows, None, "sample, rules + decisions")
    assert precision >= 0.95, wrong
    assert recall >= 0.90, wrong


# --------------------------------------------------------------------------------------------
# The real sources


def test_real_sources_merge_into_a_sensible_number_of_entries() -> None:
    from builder.pipeline import parse_all

    items = parse_all(SOURCES)
    assert len(items) == 874
    entries = merge(items)
    print(f"real sources: {len(items)} items → {len(entries)} entries")
    assert 500 <= len(entries) <= 800
    assert_partition(items, entries)
    ids = [e.id for e in entries]
    anchors = [a for e in entries for a in e.anchors]
    assert len(set(ids)) == len(ids)
    assert len(set(anchors)) == len(anchors) and not set(ids) & set(anchors)
    assert merge(items) == entries  # deterministic
