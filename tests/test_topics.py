"""The topics of the real build (issue 17, "Topics a candidate expects"): misplaced entries moved to their
new topics, large topics in sub-sections with their own headings and table-of-contents entries, the old
addresses of merged topics, the navigation and the print edition."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from builder.classify import classify
from builder.merge.decisions import wording_key
from builder.navigation import BEGIN, END, nav_block
from builder.printing.edition import BOOK_HTML
from builder.taxonomy import load_taxonomy
from conftest import ROOT

# Where the entries the restructure moved now live: (one wording of the entry, topic, sub-section).
MOVED = [
    # Agents & Tool Use went into prompting.
    ("What is LangChain?", "prompting", "agents-and-tool-use"),
    ("What is semantic kernel (Microsoft)?", "prompting", "agents-and-tool-use"),
    ("What is tool augmentation for LLMs?", "prompting", "agents-and-tool-use"),
    ("What are LLM Agents and how do they work?", "prompting", "agents-and-tool-use"),
    ('Explain "Speculative Execution" in agents.', "prompting", "agents-and-tool-use"),
    # Positional Encoding went into the transformer architecture.
    ("What is positional encoding?", "transformer-architecture", "positional-encoding"),
    ("What is absolute vs relative positional encoding?", "transformer-architecture", "positional-encoding"),
    ("Why do Transformers need positional encoding? Compare different approaches.", "transformer-architecture", "positional-encoding"),
    ("What is rotary positional encoding (RoPE)?", "transformer-architecture", "positional-encoding"),
    ("What is ALiBi and how does it work?", "transformer-architecture", "positional-encoding"),
    ("What is the theory behind positional encoding?", "transformer-architecture", "positional-encoding"),
    ("How do relative positional encodings work?", "transformer-architecture", "positional-encoding"),
    # Efficient attention left efficient-architectures for attention.
    ('What is the "Quadratic Bottleneck" of attention?', "attention", "efficient-attention"),
    ("What is FlashAttention?", "attention", "efficient-attention"),
    ("What is FlashAttention-2?", "attention", "efficient-attention"),
    ("What is memory-efficient attention?", "attention", "efficient-attention"),
    ("How do sparse attention mechanisms work?", "attention", "efficient-attention"),
    ("What is linear attention?", "attention", "efficient-attention"),
    ("What is sliding window attention?", "attention", "efficient-attention"),
    ("How do you implement efficient attention?", "attention", "efficient-attention"),
    # Misplaced entries.
    ("How do you analyze attention patterns?", "interpretability-theory", "interpretability"),
    ("What is the connection between attention and gradient descent?", "interpretability-theory", "theory"),
    ("What is the theory behind meta-learning?", "interpretability-theory", "theory"),
    ('What is "Instruction Over-fitting"?', "fine-tuning", "fine-tuning-and-instruction-tuning"),
    ("What is dataset distillation?", "training-fundamentals", "data-and-training-runs"),
    ('What is "Weights & Biases" (WandB)?', "training-fundamentals", "data-and-training-runs"),
    ("How much VRAM does a 13B model need for inference in BF16?", "inference-serving", "serving-systems-and-sizing"),
    ("A 70B model in FP16 — minimum A100-80GB GPUs for inference?", "inference-serving", "serving-systems-and-sizing"),
    ("What is mixed precision inference?", "inference-serving", "serving-systems-and-sizing"),
    ("What is GPU utilization in deployment?", "inference-serving", "serving-systems-and-sizing"),
    ("What is top-k vs top-p retrieval?", "rag", "retrieval-and-ranking"),
    ("How do you handle variable-length sequences in transformers?", "transformer-architecture", "model-families"),
    ("How do you evaluate code generation models?", "evaluation", "evaluation-in-practice"),
    ("How do you evaluate multilingual models?", "evaluation", "evaluation-in-practice"),
]
LARGE = 25  # a topic this large is split into sub-sections
MOST_IN_A_PART = 25  # and no sub-section is a long list again


def _where(built) -> dict[str, tuple[str, str]]:
    """Every wording of every entry → (topic, sub-section or "")."""
    out = {}
    for section in built.sections:
        part_of = {e.id: p.subtopic.slug for p in section.parts for e in p.entries}
        for entry in section.entries:
            for wording in (entry.question, *(item.question for item in entry.items)):
                out[wording_key(wording)] = (section.topic.slug, part_of.get(entry.id, ""))
    return out


def test_each_moved_entry_lands_on_its_new_topic_and_sub_section(built):
    where = _where(built)
    assert {q: where.get(wording_key(q)) for q, _, _ in MOVED} == {q: (topic, part) for q, topic, part in MOVED}


def test_the_merged_topics_are_gone_and_their_old_addresses_say_where_they_went(built):
    slugs = [s.topic.slug for s in built.sections]
    assert "agents" not in slugs and "positional-encoding" not in slugs
    pages = {p.path: p for p in built.pages}
    agents = pages["topics/agents.md"]
    assert "[Prompting, Reasoning & Agents › Agents and tool use](prompting.md#agents-and-tool-use)" in agents.markdown
    assert "(transformer-architecture.md#positional-encoding)" in pages["topics/positional-encoding.md"].markdown


def test_every_entry_sits_in_exactly_one_sub_section_where_its_topic_has_them(built):
    for section in built.sections:
        if not section.topic.subtopics:
            assert section.parts == ()
            continue
        placed = Counter(e.id for p in section.parts for e in p.entries)
        assert placed == Counter(e.id for e in section.entries) and set(placed.values()) == {1}, section.topic.slug
        order = [s.slug for s in section.topic.subtopics]
        shown = [p.subtopic.slug for p in section.parts]
        assert shown == sorted(shown, key=order.index), section.topic.slug


def test_large_topics_have_sub_sections_and_no_sub_section_is_a_long_list(built):
    for section in built.sections:
        if len(section.entries) >= LARGE:
            assert len(section.parts) >= 2, f"{section.topic.slug}: {len(section.entries)} entries in one list"
        assert all(len(p.entries) <= MOST_IN_A_PART for p in section.parts), section.topic.slug


def test_every_placement_applies_and_every_entry_matches_a_sub_section(built):
    """On the real sources the taxonomy needs no fallback: no placement names a wording no source asks,
    and no entry falls into a first sub-section for want of a keyword."""
    problems = [str(p) for p in built.problems if "topics.yml" in str(p)]
    assert problems == []


def test_a_stale_placement_in_the_real_taxonomy_is_a_warning_with_its_line(built, tmp_path: Path):
    text = (ROOT / "builder" / "data" / "topics.yml").read_text(encoding="utf-8")
    old = "      - What is top-k vs top-p retrieval?\n"
    assert old in text
    path = tmp_path / "topics.yml"
    path.write_text(text.replace(old, "      - What is top-k vs top-q retrieval?\n"), encoding="utf-8")
    result = classify(built.entries, path)
    line = text[: text.index(old)].count("\n") + 1
    assert [(p.line, p.message) for p in result.problems] == [
        (line, "no source asks 'What is top-k vs top-q retrieval?'; its placement cannot apply")]
    assert str(result.problems[0]).startswith(f"{path}:{line}: warning: ")
    decoding = next(s for s in result.sections if s.topic.slug == "decoding")
    assert "what-is-top-k-vs-top-p-retrieval" in {e.id for e in decoding.entries}  # the keywords alone misplace it


def test_a_topic_page_shows_its_sub_sections_or_else_its_levels(built):
    pages = {p.path: p.markdown for p in built.pages}
    for section in built.sections:
        markdown = pages[f"topics/{section.topic.slug}.md"]
        headings = re.findall(r"^## (.+?) \{ #([\w-]+) \.hb-group \}$", markdown, re.M)
        if section.parts:
            assert headings == [(p.subtopic.title, p.subtopic.slug) for p in section.parts], section.topic.slug
            for part in section.parts:  # each entry under its own sub-section's heading
                start = markdown.index(f"{{ #{part.subtopic.slug} ")
                ends = [markdown.index(f"{{ #{p.subtopic.slug} ") for p in section.parts if markdown.index(f"{{ #{p.subtopic.slug} ") > start]
                body = markdown[start : min(ends, default=len(markdown))]
                assert re.findall(r"^### .+? \{ #([\w-]+) \}$", body, re.M) == [e.id for e in part.entries]
        else:
            assert headings and all(anchor.startswith("level-") for _, anchor in headings), section.topic.slug


def test_the_navigation_in_mkdocs_yml_follows_the_topics(built):
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    committed = config[config.index(BEGIN) : config.index(END) + len(END)] + "\n"
    assert committed == nav_block(built.sections, built.pages, load_taxonomy().moved)
    assert "topics/agents.md" in committed.split("not_in_nav:")[1]


# --- the built site --------------------------------------------------------------------------------


def test_sub_sections_are_headings_with_their_own_contents_entries(built, site: Path):
    for section in (s for s in built.sections if s.parts):
        html = (site / "topics" / section.topic.slug / "index.html").read_text(encoding="utf-8")
        h2 = re.findall(r'<h2 class="hb-group" id="([\w-]+)">([^<]+)<', html)
        assert [i for i, _ in h2] == [p.subtopic.slug for p in section.parts], section.topic.slug
        contents = html[html.index('class="md-nav md-nav--secondary"') :]
        for part in section.parts:
            # its own line in the table of contents, with its questions nested under it
            item = re.search(rf'<a href="#{part.subtopic.slug}" class="md-nav__link">\s*<span class="md-ellipsis">\s*([^<]+?)\s*</span>', contents)
            assert item and item.group(1) == part.subtopic.title.replace("&", "&amp;"), (section.topic.slug, part.subtopic.slug)
            nested = contents[item.end() : contents.index("</ul>", item.end())]
            assert re.findall(r'<a href="#([\w-]+)"', nested) == [e.id for e in part.entries]


def test_the_old_address_of_a_merged_topic_leads_to_its_sub_section(site: Path):
    html = (site / "topics" / "positional-encoding" / "index.html").read_text(encoding="utf-8")
    assert 'href="../transformer-architecture/#positional-encoding"' in html
    target = (site / "topics" / "transformer-architecture" / "index.html").read_text(encoding="utf-8")
    assert 'id="positional-encoding"' in target


def test_the_book_prefixes_group_ids_with_their_topic_and_keeps_ids_unique(built, site: Path):
    text = (site / BOOK_HTML).read_text(encoding="utf-8")
    ids = re.findall(r'<[a-z][^>]*?\sid="([^"]+)"', text)
    assert [i for i, n in Counter(ids).items() if n > 1] == []
    for section in built.sections:
        groups = [p.subtopic.slug for p in section.parts] or ["level-beginner", "level-intermediate", "level-advanced"]
        found = re.findall(rf'<h2 class="hb-group" id="{section.topic.slug}-([\w-]+)">', text)
        assert found and set(found) <= set(groups), section.topic.slug
        if section.parts:
            assert found == groups


@pytest.mark.parametrize("slug", ["agents", "positional-encoding"])
def test_old_addresses_are_left_out_of_the_navigation(site: Path, slug: str):
    home = (site / "index.html").read_text(encoding="utf-8")
    assert f'href="topics/{slug}/"' not in home


def test_each_editorial_file_holds_its_topics_entries(built):
    """builder/data/editorial/<topic>.yml is named for the editors' convenience: a record is found by its
    entry's id wherever it stands, but each file should hold the records of its topic's entries."""
    from builder.editorial import read_editorial

    topic_of = {key: s.topic.slug for s in built.sections for e in s.entries for key in (e.id, *e.anchors)}
    records, _ = read_editorial()
    misfiled = [f"{r.file}:{r.line}: {r.id} is on {topic_of.get(r.id)}" for r in records
                if r.file != f"builder/data/editorial/{topic_of.get(r.id)}.yml"]
    assert misfiled == []
    assert {Path(r.file).stem for r in records} == {s.topic.slug for s in built.sections}
