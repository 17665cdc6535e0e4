"""The link stage, the prose finder and the term linker, on small inline inputs."""

from __future__ import annotations

import json
import re


from builder.glossary import TermMatcher, read_glossary
from builder.link import link
from builder.model import Entry, Item, Links, Section, Term, Topic
from builder.prose import first_mentions, prose_text
from builder.render.glossary import listed_terms, render_glossary
from builder.render.related import related_block, see_also_block
from builder.render.site import build_index
from builder.render.terms import link_terms, render_term_definitions

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
    return re.findall(r"\]\(\.\./glossary\.md#([a-z-]+)\)", _link_terms(text))


# ---------------------------------------------------------------- where terms are linked


def test_first_mention_of_each_term_is_linked_without_its_definition():
    out = _link_terms("RAG helps. RAG again, then PPO.")
    assert out == "[RAG](../glossary.md#rag) helps. RAG again, then [PPO](../glossary.md#ppo)."


def test_definitions_are_written_once_for_the_tooltips():
    index = index_with_links()
    page = render_term_definitions(index)
    assert page.path == "assets/terms.json" and not page.front_matter
    definitions = json.loads(page.markdown)
    # every term with a glossary section, and nothing else: what a page can link
    assert sorted(definitions) == sorted(t.slug for t in listed_terms(index.links))
    assert definitions["rag"] == 'Fetching documents and "grounding" answers in them.'
    assert render_term_definitions(build_index([], [], None)) is None


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


def test_link_stage_is_deterministic_and_see_also_never_lists_the_topic_itself():
    first, second = link(sections(), TERMS, MATCHER), link(sections(), TERMS, MATCHER)
    assert first == second
    for slug, near in first.see_also.items():
        assert slug not in near and len(near) <= 2
    assert link([], TERMS, MATCHER).related == {}


# ---------------------------------------------------------------- rendering


def index_with_links():
    secs = sections()
    return build_index([], secs, link(secs, TERMS, MATCHER))


def test_glossary_page_lists_linked_terms_a_to_z_with_questions_and_related_terms():
    page = render_glossary(index_with_links())
    assert page is not None and page.path == "glossary.md"
    md = page.markdown
    # Terms are HTML headings: MkDocs leaves them out of the page's table of contents (the letters are
    # its entries) and gives them no permalink, some 400 of each on the real page.
    headings = re.findall(r'^<h3 id="([a-z-]+)">(.+?)</h3>$', md, re.M)
    assert [slug for slug, _ in headings] == ["gqa", "kv-cache", "ppo", "rag"]  # A–Z by name
    assert headings[2][1] == "Proximal policy optimization (PPO)" and "###" not in md
    assert "## G { #letter-g }" in md and 'href="#letter-k"' in md
    # a topic named once before its questions, linked as the built site links them
    assert '<li><em>Topic 1:</em> <a href="../topics/t1/#gqa">What is GQA?</a>' in md
    assert '<p><strong>Related terms:</strong> <a href="#rag">Retrieval-augmented generation</a> · Unused term</p>' in md  # unlisted: no link
    # after its heading (an HTML block MkDocs reads, for the anchor), a term is an hb-html fence
    assert md.count("</h3>\n\n```hb-html\n<p>") == 4 and "<h3 id=\"gqa\">Grouped-query attention (GQA)</h3>\n\n```hb-html\n<p>Heads" in md
    assert "Not listed because no question or answer uses them outside code: Unused term." in md
    assert listed_terms(index_with_links().links)[0].slug == "gqa"


def test_related_block_and_see_also_link_other_pages():
    index = index_with_links()
    block = "\n".join(related_block(index, "topics/t0.md", index.entry_by_id["what-is-rag"]))
    assert "<p><strong>Related questions</strong></p>" in block and 'href="../t1/#rag-eval"' in block and "#what-is-rag\"" not in block
    assert block.startswith("```hb-html\n<div class=\"hb-related\">")  # HTML MkDocs passes through unread
    gqa = "\n".join(related_block(index, "topics/t1.md", index.entry_by_id["gqa"]))
    assert gqa.startswith("**In the glossary:** [Grouped-query attention](../glossary.md#gqa)")
    see = see_also_block(index, "topics/t0.md", TOPICS[0])
    assert see[0] == "## See also { #see-also }" and all(line.startswith("- [Topic ") for line in see[2:-1])


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
