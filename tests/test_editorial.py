"""The editorial stage on small inline data: reading records, finding entries, placing corrections."""

from __future__ import annotations

from pathlib import Path

from builder.editorial import Correction, Editorial, attach_editorial, level_agreement, place_corrections, read_editorial, shown_levels
from builder.model import Entry, Item, Level


def _entry(entry_id: str, *answers: str, anchors: tuple[str, ...] = (), level: Level | None = None) -> Entry:
    items = tuple(Item("src.md", str(n), 10 * n, f"Question {entry_id}?", a, level) for n, a in enumerate(answers, 1))
    return Entry(entry_id, f"Question {entry_id}?", items, anchors)


def _folder(tmp_path: Path, text: str) -> Path:
    folder = tmp_path / "editorial"
    folder.mkdir()
    (folder / "topic.yml").write_text(text, encoding="utf-8")
    return folder


RECORDS = """\
- id: what-is-x
  level: intermediate
  key_points:
    - 'One.'
    - 'Two  with   spaces.'
    - 'Three.'
  corrections:
    - phrase: 'X was   invented in 1990'
      correct: 'X was introduced in 2017.'
      reference: 'Someone et al., "X", 2017'

- id: old-anchor-of-y
  level: beginner
  key_points: ['A.', 'B.', 'C.']
"""


def test_records_carry_their_file_and_line(tmp_path: Path) -> None:
    records, problems = read_editorial(_folder(tmp_path, RECORDS))
    assert problems == []
    assert [(r.id, r.line, r.level) for r in records] == [("what-is-x", 1, Level.INTERMEDIATE), ("old-anchor-of-y", 12, Level.BEGINNER)]
    assert records[0].key_points[1] == "Two with spaces."
    assert records[0].corrections[0].phrase == "X was invented in 1990"
    assert records[0].file == "builder/data/editorial/topic.yml"


def test_a_record_finds_its_entry_by_an_old_anchor(tmp_path: Path) -> None:
    records, _ = read_editorial(_folder(tmp_path, RECORDS))
    entries = [_entry("what-is-x", "In short, X was invented\tin 1990 by Y."), _entry("what-is-y", "Y.", anchors=("old-anchor-of-y",))]
    editorial, problems = attach_editorial(entries, records)
    assert problems == []
    assert editorial["what-is-y"].key_points == ("A.", "B.", "C.")
    placed = editorial["what-is-x"].corrections[0]
    assert entries[0].items[0].answer[placed.start : placed.end] == "X was invented\tin 1990"


def test_an_unknown_id_is_an_error_and_a_lost_phrase_a_warning(tmp_path: Path) -> None:
    records, _ = read_editorial(_folder(tmp_path, RECORDS))
    entries = [_entry("what-is-x", "X came later.")]
    editorial, problems = attach_editorial(entries, records)
    messages = [(p.file, p.line, p.severity, p.message) for p in problems]
    assert ("builder/data/editorial/topic.yml", 12, "error", "no entry has the id 'old-anchor-of-y' (or had it): the record would be lost") in messages
    assert any(p.severity == "warning" and p.line == 1 and "phrase is not in the entry's answers" in p.message for p in problems)
    assert editorial["what-is-x"].corrections == ()


def test_an_entry_without_key_points_is_named_at_its_source_line() -> None:
    editorial, problems = attach_editorial([_entry("what-is-z", "Z.")], [])
    assert editorial == {}
    assert [str(p) for p in problems] == ["src.md:10: warning: no key points for entry 'what-is-z' (builder/data/editorial/)"]


def test_two_records_for_one_entry_keep_the_one_for_its_own_id(tmp_path: Path) -> None:
    text = "- id: old\n  key_points: ['1.', '2.', '3.']\n- id: new\n  key_points: ['a.', 'b.', 'c.']\n"
    records, _ = read_editorial(_folder(tmp_path, text))
    editorial, problems = attach_editorial([_entry("new", "N.", anchors=("old",))], records)
    assert editorial["new"].key_points == ("a.", "b.", "c.")
    assert [(p.line, p.severity) for p in problems] == [(1, "warning")]


def test_the_same_phrase_twice_corrects_two_places_and_a_third_is_missing() -> None:
    entry = _entry("e", "X uses Unigram.", "Again, X uses Unigram.")
    c = Correction("X uses Unigram", "X uses BPE.", "Paper, 2023", "f.yml", 1)
    placed, missing = place_corrections(entry, [c, c, c])
    assert [(p.item.number, p.start) for p in placed] == [("1", 0), ("2", 7)]
    assert missing == [c]


def test_bad_records_are_reported_not_raised(tmp_path: Path) -> None:
    text = "- id: a\n  level: expert\n  key_points: 'not a list'\n  corrections:\n    - phrase: 'p'\n- key_points: []\n"
    records, problems = read_editorial(_folder(tmp_path, text))
    assert [r.id for r in records] == ["a"]
    assert [(p.line, p.severity) for p in problems] == [(1, "error"), (1, "error"), (1, "error"), (6, "error")]


def test_invalid_yaml_names_its_line(tmp_path: Path) -> None:
    records, problems = read_editorial(_folder(tmp_path, "- id: a\n  key_points: [unclosed\n"))
    assert records == [] and problems[0].severity == "error" and problems[0].line >= 2


def test_shown_levels_prefer_the_sources() -> None:
    given = _entry("g", "A.", level=Level.ADVANCED)
    none = _entry("n", "A.")
    estimate = Editorial(level=Level.BEGINNER)
    assert shown_levels(given, estimate) == ((Level.ADVANCED,), False)
    assert shown_levels(none, estimate) == ((Level.BEGINNER,), True)
    assert shown_levels(none, None) == ((), False)
    assert level_agreement([given, none], {"g": estimate, "n": estimate}) == {"checked": 1, "agree": 0}


# ---------------------------------------------------------------- rendering


def _placed(answer: str, *phrases: str):
    entry = _entry("e", answer)
    placed, missing = place_corrections(entry, [Correction(p, f"Right about {p}.", "Paper, 2020", "f.yml", 1) for p in phrases])
    assert missing == []
    return placed


def _rendered(answer: str, *phrases: str) -> str:
    from builder.render.editorial import fill_corrections, mark_corrections
    from builder.render.markdown import escape_html_in_prose

    placed = _placed(answer, *phrases)
    return fill_corrections(escape_html_in_prose(mark_corrections(answer, placed)), placed)


def test_a_correction_marks_its_phrase_and_follows_its_sentence() -> None:
    out = _rendered("It <b>often</b> uses Unigram tokens. Then more.\n\nNext paragraph.", "uses Unigram tokens")
    assert out.startswith('It &lt;b>often&lt;/b> <mark class="hb-corrected">uses Unigram tokens</mark>. <span class="hb-correction" role="note">')
    assert "<strong>Correction</strong>" in out and "Right about uses Unigram tokens." in out and "Source: Paper, 2020</span></span> Then more." in out


def test_a_phrase_with_inline_markup_gets_its_note_but_no_mark() -> None:
    out = _rendered("- **Used in:** BERT only\n- next", "**Used in:** BERT")
    assert "<mark" not in out and out.startswith("- **Used in:** BERT only <span class=\"hb-correction\"")
    assert out.endswith("\n- next")


def test_in_a_table_the_note_ends_the_rows_last_cell() -> None:
    out = _rendered("| a | b |\n| --- | --- |\n| GPT-4 knows more | x |\n| y | z", "GPT-4 knows more", "y | z")
    rows = out.splitlines()
    assert rows[2].startswith('| <mark class="hb-corrected">GPT-4 knows more</mark> | x <span class="hb-correction"')
    assert rows[2].endswith("</span></span> |")
    assert rows[3].startswith("| y | z <span class=\"hb-correction\"") and "<mark" not in rows[3]  # a phrase across cells: no mark


def test_in_code_the_note_follows_the_block() -> None:
    out = _rendered("Text.\n\n```python\nbleu = 0.61  # BLEU: ~0.61\n```\nAfter.", "# BLEU: ~0.61")
    assert "```python\nbleu = 0.61  # BLEU: ~0.61\n```\n\n" in out and "<mark" not in out
    assert out.endswith('Source: Paper, 2020</span></span>\n\nAfter.')


def test_key_points_are_labelled_as_the_handbooks() -> None:
    from builder.render.editorial import key_points_html

    block = key_points_html(("One <b>.", "Two $x^2$."), lambda text: f"<pre>{text}</pre>")
    assert '<strong>Key points</strong> <span class="hb-ours">by the handbook</span>' in block
    # converted as one inert Markdown list
    assert "<pre>- One &lt;b>.\n- Two $x^2$.</pre>" in block
    assert key_points_html((), lambda text: "") == ""


def test_an_estimated_level_says_so() -> None:
    from builder.render.markdown import level_badges

    assert "Intermediate · estimated" in level_badges((Level.INTERMEDIATE,), estimated=True)
    assert "estimated" not in level_badges((Level.INTERMEDIATE,))


# ---------------------------------------------------------------- the real handbook


def test_every_entry_has_key_points_and_every_correction_is_shown(built):
    from builder.editorial import read_editorial

    assert all(3 <= len(built.editorial[e.id].key_points) <= 6 for e in built.entries)
    records, problems = read_editorial()
    assert problems == []
    written = sum(len(r.corrections) for r in records)
    shown = sum(len(n.corrections) for n in built.editorial.values())
    assert written == shown > 0
    assert not [p for p in built.problems if "correction not shown" in p.message or "no key points" in p.message]
    for notes in built.editorial.values():  # each phrase is in the answer it corrects, as written there
        for placed in notes.corrections:
            found = placed.item.answer[placed.start : placed.end]
            assert " ".join(found.split()) == placed.correction.phrase


def test_the_badge_says_estimated_exactly_where_no_source_gives_a_level(built, build_dir):
    import re

    for section in built.sections:
        text = (build_dir / "docs" / "topics" / f"{section.topic.slug}.md").read_text(encoding="utf-8")
        blocks = re.split(r'(?=<div class="hb-entry")', text)[1:]
        assert len(blocks) == len(section.entries)
        for entry, block in zip(section.entries, blocks):  # a section lists its entries in reading order
            assert f"{{ #{entry.id} }}" in block
            assert ("· estimated</span>" in block) == (not entry.levels), entry.id
            assert block.index('class="hb-keypoints"') < block.index('<p class="hb-origin">From <a')  # above the answers and their origins


def test_key_points_come_first_under_the_question_in_the_built_page(built, site):
    from html.parser import HTMLParser

    # an entry answered by several sources (so its answers are tabs) with corrections in them
    section, entry = next((s, e) for s in built.sections for e in s.entries
                          if len({i.source for i in e.items}) > 1 and len(built.editorial[e.id].corrections) > 1)
    html = (site / "topics" / section.topic.slug / "index.html").read_text(encoding="utf-8")
    start = html.index(f'id="{entry.id}"')
    end = html.find('class="hb-entry"', start)
    block = html[start : end if end > 0 else len(html)]
    assert block.index("Key points") < block.index('class="tabbed-set') < block.index("hb-correction")
    corrections = built.editorial[entry.id].corrections
    assert block.count('role="note"') == len(corrections) > 1
    assert 0 < block.count('<mark class="hb-corrected">') <= len(corrections)
    HTMLParser().feed(block)  # well-formed enough to parse
