"""The link stage, the prose finder and the term linker, on small inline inputs."""

from __future__ import annotations

import math
import re
from collections import Counter

import numpy as np

from builder.glossary import TermMatcher, read_glossary
from builder.link import (
    MAX_RELATED,
    MIN_RELATED,
    SparseRows,
    _normalised,
    _side_by_side,
    _tfidf,
    link,
    nearest_topics,
    related_rows,
    similarity_blocks,
)
from builder.model import Entry, Item, Links, Section, Term, Topic
from builder.prose import first_mentions, prose_text
from builder.render.glossary import listed_terms, render_glossary
from builder.render.related import related_block, see_also_block
from builder.render.site import build_index
from builder.render.terms import link_terms

TERMS = (
    Term("rag", "Retrieval-augmented generation", 'Fetching documents and "grounding" answers in them.', abbr="RAG", case_sensitive=True),
    Term("ppo", "Proximal policy optimization", "An RL algorithm.", abbr="PPO", related=("rag", "unused")),
    Term("kv-cache", "KV cache", "Stored keys and values.", aliases=("key-value cache",)),
    Term("gqa", "Grouped-query attention", "Heads share keys.", abbr="GQA"),
    Term("unused", "Unused term", "Named by nothing."),
)
HREF = "../glossary.md"


MATCHER = TermMatcher(TERMS)


def _link_terms(text: str) -> str:
    return link_terms(text, MATCHER, {t.slug: t for t in TERMS}, HREF)


def linked(text: str) -> list[str]:
    """The slugs ``link_terms`` links in ``text``, in order."""
    return re.findall(r"\]\(\.\./glossary\.md#([a-z-]+) ", _link_terms(text))


# ---------------------------------------------------------------- where terms are linked


def test_first_mention_of_each_term_is_linked_with_its_definition_as_title():
    out = _link_terms("RAG helps. RAG again, then PPO.")
    assert out.startswith('[RAG](../glossary.md#rag "Fetching documents and \u201dgrounding\u201d answers in them.") helps. RAG again')
    assert out.count("](../glossary.md#rag") == 1 and "[PPO](../glossary.md#ppo" in out


def test_never_inside_a_word():
    assert linked("storage support RAGs PPOs_x xRAG") == []
    assert linked("a rag doll") == []  # case-sensitive abbreviation


def test_never_inside_fenced_or_inline_code():
    assert linked("```python\nkv = RAG()\n```\nuse `PPO` here") == []
    assert linked("~~~\nPPO\n~~~\nthen PPO") == ["ppo"]


def test_never_inside_math():
    for text in ("$PPO + RAG$", "$$\nPPO\n$$", r"\(PPO\)", r"\[ RAG \]"):
        assert linked(text) == [], text
    assert linked("costs $5 and $10 with PPO") == ["ppo"]  # prices are not math


def test_never_inside_headings_links_urls_or_html():
    assert linked("## Why RAG\ntext") == []
    assert linked("see [the RAG paper](https://x.org/RAG) and ![PPO](img.png)") == []
    assert linked("see [RAG][ref]\n\n[ref]: https://example.com/PPO") == []
    assert linked("at https://example.com/RAG/PPO or <https://x.org/PPO> or www.kv-cache.org") == []
    assert linked('<a href="#">PPO</a> <code>RAG</code> <span title="GQA">x</span>') == []
    assert linked("## RAG\n\nRAG in prose") == ["rag"]


def test_linked_inside_emphasis_tables_and_lists():
    assert linked("**GQA** shrinks the key-value cache") == ["gqa", "kv-cache"]
    assert linked("| RAG | PPO |\n| --- | --- |") == ["rag", "ppo"]


def test_braces_later_in_the_line_survive_the_link():
    import markdown

    html = markdown.markdown(_link_terms("average PPO loss L = -log P(t_{i-1}) with RAG"), extensions=["attr_list"])
    assert html.count("<a ") == 2 and "t_{i-1}" in html


def test_a_mention_broken_over_two_lines_is_left_alone():
    assert linked("the KV\ncache grows") == []


def test_prose_text_drops_code_and_links():
    assert prose_text("a `b` [c](d) e\n```\nf\n```\ng").split() == ["a", "e", "g"]


def test_first_mentions_are_in_text_order():
    found = first_mentions("PPO, RAG, PPO, GQA", TermMatcher(TERMS))
    assert [m.slug for m in found] == ["ppo", "rag", "gqa"]


# ---------------------------------------------------------------- the link stage

TOPICS = [Topic(f"t{i}", f"Topic {i}", i, f"About {i}.") for i in range(3)]


def entry(eid: str, question: str, answer: str) -> Entry:
    return Entry(eid, question, (Item("s.txt", eid, 1, question, answer),))


def sections() -> list[Section]:
    return [
        Section(TOPICS[0], (
            entry("what-is-rag", "What is RAG?", "RAG retrieves documents before generation with a retriever."),
            entry("rag-chunking", "How to chunk documents for RAG?", "Split documents into chunks for the retriever."),
            entry("ppo-basics", "What is PPO?", "PPO clips the policy update ratio."),
        )),
        Section(TOPICS[1], (
            entry("rag-eval", "How to evaluate RAG retrieval?", "Measure retriever recall on documents."),
            entry("gqa", "What is GQA?", "Grouped heads share a KV cache and save memory."),
            entry("ppo-vs-dpo", "PPO vs DPO?", "PPO uses a reward model; the policy update is clipped."),
        )),
        Section(TOPICS[2], (
            entry("kv-memory", "How big is the KV cache?", "The key-value cache memory grows with heads and GQA helps."),
            entry("rag-docs", "Why do RAG documents matter?", "Documents ground the retriever output."),
            entry("cooking", "How do I cook pasta?", "Boil water."),
        )),
    ]


def test_terms_per_entry_and_entries_per_term():
    links = link(sections(), TERMS, MATCHER)
    assert links.answer_terms["gqa"] == ("kv-cache",)
    assert links.question_terms["gqa"] == ("gqa",)  # named by the question, not by its answer
    assert links.question_terms["what-is-rag"] == ()
    # Questions naming the term come first, then by how often answers name it, then reading order.
    assert links.entries_of_term["gqa"] == ("gqa", "kv-memory")
    assert links.entries_of_term["rag"][:2] == ("what-is-rag", "rag-chunking")
    assert "unused" not in links.entries_of_term


def test_related_entries_are_3_to_5_never_itself_and_from_other_topics_first():
    links = link(sections(), TERMS, MATCHER)
    topic = {e.id: s.topic.slug for s in sections() for e in s.entries}
    for eid, related in links.related.items():
        assert len(related) <= MAX_RELATED and eid not in related and len(set(related)) == len(related)
    # Three or more whenever that many entries share a word or a term with it.
    assert len(links.related["what-is-rag"]) >= MIN_RELATED and len(links.related["rag-docs"]) >= MIN_RELATED
    assert set(links.related["what-is-rag"][:2]) == {"rag-eval", "rag-docs"}
    assert all(topic[r] != "t0" for r in links.related["what-is-rag"][:2])
    assert links.related["cooking"] == ()


def related_indices(similarity: np.ndarray, topic_index: list[int]) -> list[list[int]]:
    """The related rows of a whole similarity matrix, as one block."""
    return related_rows(np.array(similarity, dtype=float), 0, np.asarray(topic_index))


def test_other_topics_come_first_unless_the_same_topic_is_much_closer():
    similarity = np.array([
        [0.0, 0.9, 0.5, 0.6, 0.4],
        [0.9, 0.0, 0.1, 0.0, 0.0],
        [0.5, 0.1, 0.0, 0.0, 0.0],
        [0.6, 0.0, 0.0, 0.0, 0.0],
        [0.4, 0.0, 0.0, 0.0, 0.0],
    ])
    rows = related_indices(similarity, [0, 0, 0, 1, 1])
    # Row 0: the same-topic 1 counts 0.9 × 0.4 = 0.36, below 3 (0.6) and 4 (0.4); 2 (0.2) is too weak for a 4th.
    assert rows[0] == [3, 4, 1]
    assert rows[3] == [0]  # only one entry shares anything with it
    assert all(i not in row for i, row in enumerate(rows))


def test_link_stage_is_deterministic_and_see_also_never_lists_the_topic_itself():
    first, second = link(sections(), TERMS, MATCHER), link(sections(), TERMS, MATCHER)
    assert first == second
    for slug, near in first.see_also.items():
        assert slug not in near and 1 <= len(near) <= 2
    assert link([], TERMS, MATCHER).related == {}


# ---------------------------------------------------------------- rendering


def index_with_links():
    secs = sections()
    return build_index([], secs, link(secs, TERMS, MATCHER))


def test_glossary_page_lists_linked_terms_a_to_z_with_questions_and_related_terms():
    page = render_glossary(index_with_links())
    assert page is not None and page.path == "glossary.md"
    md = page.markdown
    headings = re.findall(r"^### (.+?) \{ #([a-z-]+) \}$", md, re.M)
    assert [slug for _, slug in headings] == ["gqa", "kv-cache", "ppo", "rag"]  # A–Z by name
    assert headings[2][0] == "Proximal policy optimization (PPO)"
    assert "## G { #letter-g }" in md and 'href="#letter-k"' in md
    assert "- [What is GQA?](topics/t1.md#gqa)" in md
    assert "**Related terms:** [Retrieval-augmented generation](#rag) · Unused term" in md  # unlisted: no link
    assert "Not listed because no question or answer uses them outside code: Unused term." in md
    assert listed_terms(index_with_links().links)[0].slug == "gqa"


def test_related_block_and_see_also_link_other_pages():
    index = index_with_links()
    block = "\n".join(related_block(index, "topics/t0.md", index.entry_by_id["what-is-rag"]))
    assert "**Related questions**" in block and "(t1.md#rag-eval)" in block and "#what-is-rag)" not in block
    gqa = "\n".join(related_block(index, "topics/t1.md", index.entry_by_id["gqa"]))
    assert gqa.startswith("**In the glossary:** [Grouped-query attention](../glossary.md#gqa ")
    see = see_also_block(index, "topics/t0.md", TOPICS[0])
    assert see[0] == "## See also { #see-also data-search-exclude }" and all(line.startswith("- [Topic ") for line in see[2:-1])


def test_nothing_is_linked_without_a_link_stage():
    secs = sections()
    index = build_index([], secs)
    assert render_glossary(index) is None
    assert related_block(index, "topics/t0.md", secs[0].entries[0]) == []
    assert see_also_block(index, "topics/t0.md", TOPICS[0]) == []
    assert isinstance(link(secs, TERMS, MATCHER), Links)


def test_a_broken_glossary_file_is_a_problem_not_a_crash(tmp_path):
    broken = tmp_path / "glossary.yml"
    broken.write_text("terms:\n  - term: KV cache\n    slug: [unclosed\n", encoding="utf-8")
    terms, problems = read_glossary(broken)
    assert terms == () and len(problems) == 1 and problems[0].line == 3 and "no term links" in problems[0].message
    missing, problems = read_glossary(tmp_path / "nope.yml")
    assert missing == () and problems[0].line == 1
    no_slug = tmp_path / "no-slug.yml"
    no_slug.write_text("terms:\n  - term: KV cache\n", encoding="utf-8")
    assert read_glossary(no_slug)[0] == () and read_glossary()[0]  # the real one reads


def _related_by_full_sort(similarity: np.ndarray, topic_index: list[int]) -> list[list[int]]:
    """The related rows the plain way (every row fully sorted): what the row-block ranking must equal."""
    from builder.link import KEEP_RATIO, SAME_TOPIC_FACTOR

    topics = np.asarray(topic_index)
    out = []
    for i in range(len(topics)):
        scores = np.where(topics == topics[i], SAME_TOPIC_FACTOR, 1.0) * similarity[i]
        picked = np.array([j for j in range(len(topics)) if j != i and scores[j] > 1e-9], dtype=int)
        ranked = [int(j) for j in picked[np.lexsort((picked, -np.round(scores[picked], 9)))]]
        if not ranked:
            out.append([])
            continue
        best = scores[ranked[0]]
        out.append(ranked[:MIN_RELATED] + [j for j in ranked[MIN_RELATED:MAX_RELATED] if scores[j] >= KEEP_RATIO * best])
    return out


def sparse_rows(dense: np.ndarray) -> SparseRows:
    """``dense``'s nonzero cells by rows."""
    rows, columns = np.nonzero(dense)
    return SparseRows(rows.astype(np.int64), columns.astype(np.int64), dense[rows, columns], *dense.shape)


def test_related_by_row_blocks_equals_the_full_sort_with_ties_in_reading_order(monkeypatch):
    import builder.link as link_module

    rng = np.random.default_rng(7)
    # Few distinct values, so many scores tie; some rows share nothing; topics not contiguous.
    dense = rng.choice([0.0, 0.0, 0.0, 1.0, 2.0], size=(60, 12)) * rng.choice([1.0, 1.0 + 1e-12], size=(60, 12))
    dense[5] = 0.0
    dense[17] = dense[3]  # an exact duplicate
    norms = np.linalg.norm(dense, axis=1, keepdims=True)
    vectors = np.divide(dense, norms, out=np.zeros_like(dense), where=norms > 0)
    topic_index = [int(t) for t in rng.integers(0, 4, size=60)]
    expected = _related_by_full_sort(vectors @ vectors.T, topic_index)
    monkeypatch.setattr(link_module, "BLOCK_CELLS", 7 * 60)  # blocks of 7 rows
    assert link_module.related_of_vectors(sparse_rows(vectors), topic_index) == expected
    monkeypatch.setattr(link_module, "BLOCK_CELLS", 1)  # one row at a time
    assert link_module.related_of_vectors(sparse_rows(vectors), topic_index) == expected
    assert related_indices(vectors @ vectors.T, topic_index) == expected
    assert expected[5] == [] and any(len(row) > MIN_RELATED for row in expected)


def test_no_go_needles_never_skip_a_pattern_that_matches():
    from builder.prose import _NO_GO

    samples = [
        "# RAG", "[ref]: http://x", "`code`", "$$x$$", "$x$", r"\(x\)", r"\[x\]", "[a](b)", "![a](b)", "[a][b]",
        "<a href=x>RAG</a>", "<CODE>x</CODE>", "<span>", "HTTP://EXAMPLE.ORG", "WwW.example.org", "ftp://x.y",
        "me@example.org", "{: .x }", "{#id}", "plain text with nothing",
    ]
    for text in samples:
        for pattern, needles in _NO_GO:
            if pattern.search(text):
                assert any(needle in text.lower() for needle in needles), (pattern.pattern, text)


def test_tfidf_is_sublinear_tf_times_smoothed_idf_of_the_features_two_or_more_entries_share():
    documents = [Counter({"a": 1, "b": 2}), Counter({"a": 1, "c": 1}), Counter({"b": 1, "d": 5}), Counter({"e": 1})]
    matrix = _tfidf(documents, 1.0)
    assert (matrix.height, matrix.width) == (4, 2)  # a and b; c, d and e are in one entry only
    idf = math.log(5 / 3) + 1.0  # a and b are in two of four entries
    first = np.array([idf, (1 + math.log(2)) * idf])
    expected = np.array([first / np.linalg.norm(first), [1.0, 0.0], [0.0, 1.0], [0.0, 0.0]])
    assert np.allclose(matrix.toarray(), expected, rtol=1e-14, atol=0)
    assert _tfidf(documents, 0.3).width == 0  # in more than 30% of the entries: says nothing


def _random_vectors(rng: np.random.Generator, n: int, width: int) -> np.ndarray:
    # Few distinct values, so products tie; some empty rows and unused columns.
    dense = rng.choice([0.0, 0.0, 0.0, 0.1, 0.3, 1.0 / 3.0], size=(n, width))
    dense[rng.random(n) < 0.15] = 0.0
    return dense


def test_similarity_blocks_make_up_the_product_within_their_size():
    rng = np.random.default_rng(11)
    for trial in range(60):
        n, width = int(rng.integers(1, 25)), int(rng.integers(1, 12))
        dense = _random_vectors(rng, n, width)
        cells = int(rng.integers(1, 3 * n))
        firsts, blocks = zip(*((first, block.copy()) for first, block in similarity_blocks(sparse_rows(dense), cells)))
        assert list(firsts) == sorted(set(firsts)) and firsts[0] == 0
        assert np.allclose(np.vstack(blocks), dense @ dense.T, rtol=1e-12, atol=0), trial
        assert all(len(b) == 1 or b.size <= cells for b in blocks)  # within its limit unless one row


def test_side_by_side_places_weighted_parts_next_to_each_other():
    rng = np.random.default_rng(5)
    for _ in range(40):
        n = int(rng.integers(1, 20))
        left, right = _random_vectors(rng, n, 6), _random_vectors(rng, n, 4)
        joined = _side_by_side([(sparse_rows(left), 0.5), (sparse_rows(right), 2.0)])
        assert np.array_equal(joined.toarray(), np.hstack([left * 0.5, right * 2.0]))
        assert np.all(np.diff(joined.rows) >= 0)  # still by rows


def test_nearest_topics_are_those_whose_mean_vectors_are_closest():
    dense = np.array([[1.0, 0.0, 0.0], [0.8, 0.6, 0.0], [0.0, 0.0, 1.0], [0.0, 0.6, 0.8], [0.0, 1.0, 0.0]])
    # Topics 0 (rows 0, 1) and 1 (rows 2, 3) each share a little of feature 1, topic 2 (row 4), and as much.
    near = nearest_topics(sparse_rows(dense), [0, 0, 1, 1, 2], 3)
    assert near == [[2, 1], [2, 0], [0, 1]]  # topic 2 is as near to both: reading order


def test_normalised_rows_have_unit_length_and_keep_their_cells():
    rng = np.random.default_rng(3)
    dense = _random_vectors(rng, 30, 8)
    matrix = sparse_rows(dense)
    unit = _normalised(matrix)
    assert np.array_equal(unit.columns, matrix.columns) and np.array_equal(unit.rows, matrix.rows)
    norms = np.linalg.norm(dense, axis=1, keepdims=True)
    assert np.allclose(unit.toarray(), np.divide(dense, norms, out=np.zeros_like(dense), where=norms > 0), rtol=1e-14, atol=0)
