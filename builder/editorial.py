"""The editorial stage: the handbook's own words beside the sources, attached to entries by id.

Key points, corrections and estimated levels live in ``builder/data/editorial/*.yml`` (one file per
topic, for the editor's convenience only: a record is found by its entry id wherever it stands). They
are written and checked by people, never derived from the sources, and never change a source's text:
render shows them apart, labelled as the handbook's.

A record names its entry by id. An id that is no longer an entry's id but one of its old anchors (the
entry was merged or reworded) still finds it, so editorial work survives merges; an id that finds no
entry at all is an error, since the record would be lost. A correction whose phrase is not in the
entry's answers any more (the source or a repair changed) is a warning and is not shown; an entry with
no key points is a warning, so a new source's questions are noticed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

import yaml

from builder.model import Entry, Item, Level, Problem

EDITORIAL = Path(__file__).resolve().parent / "data" / "editorial"

KEY_POINTS_MIN, KEY_POINTS_MAX = 3, 6
_LEVELS = {level.name.lower(): level for level in Level}
_FIELDS = {"id", "level", "key_points", "corrections"}
_CORRECTION_FIELDS = {"phrase", "correct", "reference"}


@dataclass(frozen=True)
class Correction:
    """A factual error in a source's answer: the words as the answer shows them, and the fix."""

    phrase: str
    correct: str
    reference: str  # the paper or documentation behind ``correct``
    file: str  # where the record is, for messages
    line: int


@dataclass(frozen=True)
class Record:
    """One entry's editorial data as the data file gives it."""

    id: str
    key_points: tuple[str, ...]
    corrections: tuple[Correction, ...]
    level: Level | None  # the handbook's estimate, shown only where no source gives a level
    file: str
    line: int


@dataclass(frozen=True)
class PlacedCorrection:
    """A correction found in one answer: the item it corrects and where its phrase starts there."""

    correction: Correction
    item: Item
    start: int
    end: int


@dataclass(frozen=True)
class Editorial:
    """What the handbook adds to one entry."""

    key_points: tuple[str, ...] = ()
    corrections: tuple[PlacedCorrection, ...] = ()
    level: Level | None = None  # the editors' estimate; shown only where no source gives a level


def _record_lines(text: str) -> list[int]:
    """The 1-based line where each record of a file's top-level list starts."""
    root = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    if not isinstance(root, yaml.SequenceNode):
        return []
    return [node.start_mark.line + 1 for node in root.value]


def _strings(value: Any) -> tuple[str, ...] | None:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        return None
    return tuple(" ".join(v.split()) for v in value)


def _record(raw: Any, name: str, line: int) -> tuple[Record | None, list[Problem]]:
    if not isinstance(raw, dict) or not isinstance(raw.get("id"), str):
        return None, [Problem(name, line, "an editorial record needs an `id` (the entry's id)")]
    problems: list[Problem] = []
    entry_id = raw["id"]
    if unknown := sorted(set(raw) - _FIELDS):
        problems.append(Problem(name, line, f"{entry_id}: unknown field(s) {', '.join(unknown)}", "warning"))
    level = None
    if "level" in raw:
        level = _LEVELS.get(str(raw["level"]).lower())
        if level is None:
            problems.append(Problem(name, line, f"{entry_id}: level must be one of {', '.join(_LEVELS)}"))
    key_points = _strings(raw.get("key_points", []))
    if key_points is None:
        problems.append(Problem(name, line, f"{entry_id}: key_points must be a list of non-empty strings"))
        key_points = ()
    elif key_points and not KEY_POINTS_MIN <= len(key_points) <= KEY_POINTS_MAX:
        problems.append(Problem(name, line, f"{entry_id}: {len(key_points)} key points; give {KEY_POINTS_MIN} to {KEY_POINTS_MAX}", "warning"))
    corrections: list[Correction] = []
    for c in raw.get("corrections") or []:
        if not isinstance(c, dict) or set(c) != _CORRECTION_FIELDS or not all(isinstance(v, str) and v.strip() for v in c.values()):
            problems.append(Problem(name, line, f"{entry_id}: a correction needs exactly a phrase, the correct statement and a reference"))
            continue
        corrections.append(Correction(" ".join(c["phrase"].split()), c["correct"].strip(), c["reference"].strip(), name, line))
    return Record(entry_id, key_points, tuple(corrections), level, name, line), problems


def read_editorial(folder: Path = EDITORIAL) -> tuple[list[Record], list[Problem]]:
    """Every record of every ``*.yml`` file of ``folder``, in file-name order, with what is wrong."""
    records: list[Record] = []
    problems: list[Problem] = []
    if not folder.is_dir():
        return records, problems
    for path in sorted(folder.glob("*.yml")):
        name = f"builder/data/editorial/{path.name}"
        text = path.read_text(encoding="utf-8")
        try:
            data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506 - safe loader
            lines = _record_lines(text)
        except yaml.YAMLError as err:
            mark = getattr(err, "problem_mark", None)
            problems.append(Problem(name, mark.line + 1 if mark else 1, f"not valid YAML: {err}"))
            continue
        if data is None:
            continue
        if not isinstance(data, list):
            problems.append(Problem(name, 1, "an editorial file is a list of records"))
            continue
        for raw, line in zip(data, lines):
            record, record_problems = _record(raw, name, line)
            problems.extend(record_problems)
            if record is not None:
                records.append(record)
    return records, problems


def own_texts(records: Sequence[Record]) -> list[tuple[str, int, str]]:
    """Every Markdown text the records add to the site, with the file and line of its record (for
    typesetting their formulas, and for messages about them)."""
    return [
        (r.file, r.line, text)
        for r in records
        for text in (*r.key_points, *(c.correct for c in r.corrections))
    ]


def phrase_pattern(phrase: str) -> re.Pattern[str]:
    """The phrase as the answer may show it: the same words, any run of spaces or tabs between them
    (never a line break: a phrase stands on one line)."""
    return re.compile(r"[ \t]+".join(re.escape(word) for word in phrase.split()))


def place_corrections(entry: Entry, corrections: Iterable[Correction]) -> tuple[list[PlacedCorrection], list[Correction]]:
    """Where each correction's phrase stands in the entry's answers (answers in item order, the first
    occurrence not already taken by an earlier correction), and the corrections found nowhere."""
    placed: list[PlacedCorrection] = []
    missing: list[Correction] = []
    taken: set[tuple[str, int]] = set()
    for correction in corrections:
        pattern = phrase_pattern(correction.phrase)
        spot = next(
            (
                PlacedCorrection(correction, item, m.start(), m.end())
                for item in entry.items
                for m in pattern.finditer(item.answer)
                if (item.key, m.start()) not in taken
            ),
            None,
        )
        if spot is None:
            missing.append(correction)
        else:
            taken.add((spot.item.key, spot.start))
            placed.append(spot)
    return placed, missing


def attach_editorial(entries: Sequence[Entry], records: Sequence[Record]) -> tuple[dict[str, Editorial], list[Problem]]:
    """The editorial data of each entry, by entry id, and what does not fit the entries.

    A record finds its entry by id or by one of the entry's old anchors; two records for one entry
    (two entries merged since they were written) keep the one written for the entry's own id, else the first."""
    by_name: dict[str, Entry] = {}
    for entry in entries:
        for name in entry.anchors:
            by_name.setdefault(name, entry)
    for entry in entries:
        by_name[entry.id] = entry
    problems: list[Problem] = []
    chosen: dict[str, Record] = {}
    for record in records:
        entry = by_name.get(record.id)
        if entry is None:
            problems.append(Problem(record.file, record.line, f"no entry has the id {record.id!r} (or had it): the record would be lost"))
            continue
        earlier = chosen.get(entry.id)
        if earlier is None or (record.id == entry.id and earlier.id != entry.id):
            if earlier is not None:
                _two_records(problems, entry, keep=record, drop=earlier)
            chosen[entry.id] = record
        else:
            _two_records(problems, entry, keep=earlier, drop=record)
    result: dict[str, Editorial] = {}
    for entry in entries:
        record = chosen.get(entry.id)
        if record is None or not record.key_points:
            first = entry.items[0]
            problems.append(Problem(first.source, first.line, f"no key points for entry {entry.id!r} (builder/data/editorial/)", "warning"))
        if record is None:
            continue
        placed, missing = place_corrections(entry, record.corrections)
        for correction in missing:
            problems.append(
                Problem(correction.file, correction.line, f"{record.id}: correction not shown, its phrase is not in the entry's answers: {correction.phrase!r}", "warning")
            )
        result[entry.id] = Editorial(record.key_points, tuple(placed), record.level)
    return result, problems


def _two_records(problems: list[Problem], entry: Entry, keep: Record, drop: Record) -> None:
    problems.append(
        Problem(drop.file, drop.line, f"{drop.id}: entry {entry.id!r} also has the record at {keep.file}:{keep.line}, which is kept", "warning")
    )


def shown_levels(entry: Entry, editorial: Editorial | None) -> tuple[tuple[Level, ...], bool]:
    """The levels a reader sees for an entry, and whether they are the handbook's estimate: the
    sources' levels when any source gives one, else the editors' estimate."""
    if entry.levels or editorial is None or editorial.level is None:
        return entry.levels, False
    return (editorial.level,), True


def level_agreement(entries: Sequence[Entry], editorial: Mapping[str, Editorial]) -> dict[str, int]:
    """How the editors' levels compare with the sources' on the entries a source gives a level
    (``agree``: the estimate is one of the levels the entry's sources give)."""
    checked = agree = 0
    for entry in entries:
        notes = editorial.get(entry.id)
        if entry.levels and notes is not None and notes.level is not None:
            checked += 1
            agree += notes.level in entry.levels
    return {"checked": checked, "agree": agree}
