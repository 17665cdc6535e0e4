"""Nothing lost in merging: every original question's wording and every answer's text is on the site,
under the merged entry it belongs to; old anchors still land there; the coverage report counts it."""

from __future__ import annotations

import json

import pytest

from builder.model import Entry, Item, Level, Section, Topic
from builder.render.entry_list import ENTRY_LIST_PATH, render_entry_list
from builder.render.site import build_index
from builder.repair.tables import escape_pipes_in_cells
from builder.slugs import slugify
from conftest import page_text
from site_text import entry_texts, markdown_stretches, missing_stretches, words

# --------------------------------------------------------------------------------------------
# The comparison itself, on small inline inputs


def test_markdown_is_reduced_to_the_words_a_reader_sees():
    markdown = "\n".join([
        "Intro with **bold**, _emphasis_ and a [link](https://example.com/x).",
        "",
        "1. first step",
        "12) twelfth step",
        "",
        "| Model | Params |",
        "|-------|--------|",
        "| GPT-2 | 1.5B |",
        "",
        "```python",
        "def f(x): return x",
        "```",
        "Cost is $O(n^2)$ per layer &amp; more.",
    ])
    assert markdown_stretches(markdown) == [
        ["intro", "with", "bold", "emphasis", "and", "a", "link"],
        ["first", "step"],
        ["twelfth", "step"],
        ["model", "params"],
        ["gpt", "2", "1", "5b"],
        ["def", "f", "x", "return", "x"],
        ["cost", "is"],
        ["o", "n", "2"],  # the formula's TeX, which KaTeX keeps in its MathML annotation
        ["per", "layer", "more"],
    ]


def test_entry_texts_keep_nested_blocks_and_leave_scripts_out():
    html = (
        '<p>before</p><div class="hb-entry" data-levels="any"><h3 id="what-is-x">What is X?</h3>'
        '<div class="hb-answer"><div class="tabbed-set"><p>Answer <em>one</em>.</p></div>'
        "<script>var hidden = 1;</script><p>After tabs.</p></div></div>"
        '<div class="hb-entry"><h3 id="what-is-y">What is Y?</h3><p>Y&amp;Z</p></div><p>after</p>'
    )
    texts = entry_texts(html)
    assert texts == {"what-is-x": " what is x answer one after tabs ", "what-is-y": " what is y y z "}


def test_a_dropped_line_or_a_misplaced_answer_is_reported():
    answer = "First line of the answer.\n\n- a point that the page lost"
    shown = entry_texts('<div class="hb-entry"><h3 id="q">Q?</h3><p>First line of the answer.</p></div>')["q"]
    assert missing_stretches(answer, shown) == ["a point that the page lost"]
    assert missing_stretches("First line of the answer.", shown) == []
    assert missing_stretches("First line answer.", shown) == ["first line answer"]  # words must be contiguous


# --------------------------------------------------------------------------------------------
# The repair that the check found: pipes inside table cells


def test_pipes_inside_table_cells_are_escaped_so_the_row_keeps_its_cells():
    table = "| Token | Purpose |\n|---|---|\n| <|im_start|> | Chat role start |\n| [PAD] | Padding |"
    assert escape_pipes_in_cells(table).split("\n")[2] == "| <\\|im_start\\|> | Chat role start |"
    assert escape_pipes_in_cells(table).split("\n")[3] == "| [PAD] | Padding |"


def test_compact_tables_and_plain_text_are_left_alone():
    compact = "|a|b|\n|--|--|\n|1|2|"
    assert escape_pipes_in_cells(compact) == compact
    assert escape_pipes_in_cells("x|y is not a table") == "x|y is not a table"
    ambiguous = "| a | b |\n|---|---|\n| x|y | z|w | v |"  # cannot tell which pipes are text
    assert escape_pipes_in_cells(ambiguous) == ambiguous


# --------------------------------------------------------------------------------------------
# The entry list the random-question button and the progress and review scripts read


def _entry(question: str, *levels: Level | None, anchors: tuple[str, ...] = ()) -> Entry:
    items = tuple(
        Item(source="a.txt", number=str(n), line=n, question=question, answer="A.", level=level)
        for n, level in enumerate(levels or (None,), start=1)
    )
    return Entry(id=slugify(question), question=question, items=items, anchors=anchors)


def test_entry_list_has_every_entry_with_its_topic_page_and_levels():
    topic = Topic(slug="attention", title="Attention", order=1, summary="")
    other = Topic(slug="rag", title="RAG", order=2, summary="")
    sections = [
        Section(topic, (_entry("What is MQA?", Level.ADVANCED, Level.BEGINNER),
                        _entry("What is GQA?", anchors=("explain-gqa",)))),
        Section(other, (_entry("What is RAG?", Level.INTERMEDIATE),)),
    ]
    page = render_entry_list(build_index([], sections))
    assert page.path == ENTRY_LIST_PATH and not page.front_matter
    assert json.loads(page.markdown) == {"topics": [
        {"slug": "attention", "title": "Attention", "url": "topics/attention/", "count": 2},
        {"slug": "rag", "title": "RAG", "url": "topics/rag/", "count": 1},
    ], "entries": [
        {"id": "what-is-mqa", "topic": "attention", "url": "topics/attention/", "levels": ["beginner", "advanced"], "anchors": []},
        {"id": "what-is-gqa", "topic": "attention", "url": "topics/attention/", "levels": ["any"], "anchors": ["explain-gqa"]},
        {"id": "what-is-rag", "topic": "rag", "url": "topics/rag/", "levels": ["intermediate"], "anchors": []},
    ]}


# --------------------------------------------------------------------------------------------
# The real site


@pytest.fixture(scope="module")
def shown(built, site) -> dict[str, str]:
    """Entry id → visible words of that entry, from every built topic page."""
    texts: dict[str, str] = {}
    for section in built.sections:
        texts.update(entry_texts((site / "topics" / section.topic.slug / "index.html").read_text(encoding="utf-8")))
    return texts


def test_every_entry_is_on_its_topic_page_once(built, shown):
    assert sorted(shown) == sorted(e.id for e in built.entries)


def test_every_original_question_is_shown_under_its_merged_entry(built, shown):
    originals = [(entry, item) for entry in built.entries for item in entry.items]
    assert len(originals) == 874
    missing = [f"{item.key}: {item.question}" for entry, item in originals
               if f" {' '.join(words(item.question))} " not in shown[entry.id]]
    assert missing == []


def test_every_answer_is_shown_in_full_under_its_merged_entry(built, shown):
    stretches = 0
    missing: list[str] = []
    for entry in built.entries:
        for item in entry.items:
            lines = markdown_stretches(item.answer)
            assert lines or not item.answer.strip(), f"{item.key}: an answer with no words to check"
            stretches += len(lines)
            missing += [f"{item.key} → {entry.id}: {s[:80]}" for s in missing_stretches(item.answer, shown[entry.id])]
    print(f"{stretches} answer lines of 874 originals checked against the site")
    assert missing == []


def test_every_old_question_anchor_lands_on_its_merged_entry(built, site):
    ids_on_page: dict[str, set[str]] = {}
    for section in built.sections:
        html = (site / "topics" / section.topic.slug / "index.html").read_text(encoding="utf-8")
        for entry_id, text in entry_texts(html).items():
            ids_on_page[entry_id] = set()
        ids_on_page.update(_anchors_by_entry(html))
    for entry in built.entries:
        assert set(entry.anchors) <= ids_on_page[entry.id], entry.id
        for item in entry.items:
            assert slugify(item.question) in {entry.id, *entry.anchors}, item.key


def _anchors_by_entry(html: str) -> dict[str, set[str]]:
    """Entry id → the ids of the ``<a id>`` anchors inside it (old per-wording anchors)."""
    import re

    out: dict[str, set[str]] = {}
    for block in html.split('<div class="hb-entry"')[1:]:
        heading = re.search(r'<h3 id="([^"]+)"', block)
        if heading:
            out[heading.group(1)] = set(re.findall(r'<a id="([^"]+)"></a>', block))
    return out


def test_entry_list_on_the_site_points_at_every_entry(built, site):
    data = json.loads((site / ENTRY_LIST_PATH).read_text(encoding="utf-8"))
    records = data["entries"]
    assert [r["id"] for r in records] == [e.id for s in built.sections for e in s.entries]
    assert [r["anchors"] for r in records] == [list(e.anchors) for s in built.sections for e in s.entries]
    for record in records:
        assert (site / record["url"] / "index.html").exists(), record
        assert set(record["levels"]) <= {"beginner", "intermediate", "advanced", "any"}


def test_coverage_counts_originals_entries_and_merged_groups(built, site):
    totals = built.coverage.as_json()["totals"]
    merged = sum(1 for e in built.entries if len(e.items) > 1)
    assert totals["questions"] == 874 == sum(len(e.items) for e in built.entries)
    assert totals["entries"] == len(built.entries) and totals["merged_groups"] == merged
    text = page_text((site / "coverage" / "index.html").read_text(encoding="utf-8"))
    assert f"874 questions from 5 sources became {len(built.entries)} entries ({merged} of them merge" in text
    print(f"coverage: 874 originals → {len(built.entries)} entries, {merged} merged groups")


def test_every_item_is_in_exactly_one_tab_and_a_source_answering_twice_has_one(built):
    from builder.tabs import answer_tabs

    for entry in built.entries:
        tabs = answer_tabs(entry)
        placed = [item.key for tab in tabs for item in tab.items]
        assert sorted(placed) == sorted(item.key for item in entry.items), entry.id
        assert len(tabs) == len({item.source for item in entry.items}), entry.id
