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
