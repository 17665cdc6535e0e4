"""Anki packages (``.apkg``) with the same bytes for the same notes.

genanki fills an Anki collection (an SQLite database) with note types, decks, notes and cards; an
``.apkg`` is that database zipped beside a ``media`` list. Left to itself genanki is not reproducible:
its notes and cards take ids and modification times from the clock, ``Package.write_to_file`` zips a
temporary file under that file's own modification time, and a package of several decks writes the note
type into the collection's JSON twice (once under a string key, once under an integer one). So this
module calls genanki's ``write_to_db`` on an in-memory database with a fixed time stamp (ids count up
from it), writes the note types' JSON once, and zips the database itself with fixed dates and modes.

Ids of decks and of the note type come from a hash of their names, so every build (and every deck of
one build) gives the same ones; a note's GUID comes from its entry's stable id, so Anki updates a note
it already has when an updated deck is imported, instead of adding a copy.
"""

from __future__ import annotations

import hashlib
import io
import itertools
import json
import sqlite3
import time
import zipfile
from typing import Sequence

import genanki

from builder.anki.notes import FIELDS, Note

NAMESPACE = "llm-interview-handbook"
ZIP_EPOCH = 315532800  # 1980-01-01: the earliest date a zip entry can hold

CSS = """\
.card { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; font-size: 17px; line-height: 1.5;
  text-align: left; color: #1f2328; background: #fff; max-width: 46em; margin: 0 auto; padding: 0 .6em; }
.nightMode.card, .night_mode .card { color: #e6e6e6; background: #1e1e1e; }
.hb-context { font-size: .8em; color: #6a737d; margin-bottom: .3em; }
.hb-question { font-size: 1.2em; font-weight: 600; }
.hb-label { font-weight: 600; margin: 0 0 .2em; }
.hb-ours { font-size: .8em; font-weight: 400; color: #6a737d; }
.hb-keypoints { margin: .8em 0; padding: .3em .8em; border-left: 4px solid #3949ab; background: rgba(57, 73, 171, .07); }
.hb-answer { margin: 1em 0; padding-top: .2em; border-top: 1px solid rgba(128, 128, 128, .3); }
.hb-origin { font-size: .8em; color: #6a737d; margin: .3em 0; }
.hb-correction { display: block; margin: .5em 0; padding: .3em .8em; border-left: 4px solid #c62828; background: rgba(198, 40, 40, .07); }
.hb-correction__source { display: block; font-size: .85em; color: #6a737d; }
mark.hb-corrected { background: rgba(198, 40, 40, .12); color: inherit; }
.hb-link { font-size: .85em; margin-top: 1.2em; color: #6a737d; }
table { border-collapse: collapse; margin: .6em 0; }
th, td { border: 1px solid rgba(128, 128, 128, .4); padding: .2em .5em; vertical-align: top; }
pre { overflow-x: auto; padding: .5em; background: rgba(128, 128, 128, .12); border-radius: 4px; }
code { font-size: .9em; }
"""

FRONT = '<div class="hb-context">{{Context}}</div>\n<div class="hb-question">{{Question}}</div>'
BACK = '{{FrontSide}}\n<hr id="answer">\n{{KeyPoints}}\n{{Answers}}\n<div class="hb-link">{{Link}}</div>'


def stable_id(kind: str, name: str) -> int:
    """An Anki id for a deck or note type, the same in every build: from a hash of its name, in the
    range genanki recommends (2**30 to 2**31)."""
    digest = hashlib.sha256(f"{NAMESPACE}:{kind}:{name}".encode()).digest()
    return (1 << 30) + int.from_bytes(digest[:4], "big") % (1 << 30)


def note_guid(entry_id: str) -> str:
    """The GUID of an entry's note, from its stable id alone (never from its text, which changes)."""
    return genanki.guid_for(NAMESPACE, entry_id)


def note_model() -> genanki.Model:
    return genanki.Model(
        stable_id("model", "entry"),
        "LLM Interview Handbook question",
        fields=[{"name": name} for name in FIELDS],
        templates=[{"name": "Question → answer", "qfmt": FRONT, "afmt": BACK}],
        css=CSS,
    )


def make_deck(name: str, description: str, notes: Sequence[Note], model: genanki.Model, first: int = 0) -> genanki.Deck:
    """A deck of ``notes``; their new cards come in the given order (``due`` counts up from ``first``)."""
    deck = genanki.Deck(stable_id("deck", name), name, description)
    for position, note in enumerate(notes, first):
        deck.add_note(genanki.Note(model=model, fields=list(note.fields), tags=list(note.tags), guid=note_guid(note.entry_id), due=position))
    return deck


def collection_bytes(decks: Sequence[genanki.Deck], stamp: int) -> bytes:
    """The SQLite collection genanki writes for ``decks``, every time and id fixed by ``stamp``."""
    connection = sqlite3.connect(":memory:")
    try:
        cursor = connection.cursor()
        genanki.Package(list(decks)).write_to_db(cursor, stamp, itertools.count(stamp * 1000))
        (models,) = cursor.execute("SELECT models FROM col").fetchone()
        # json.loads keeps the last of a repeated key: each note type once, under its string id.
        cursor.execute("UPDATE col SET models = ?", (json.dumps(json.loads(models), sort_keys=True),))
        connection.commit()
        return connection.serialize()
    finally:
        connection.close()


def apkg_bytes(decks: Sequence[genanki.Deck], stamp: int) -> bytes:
    """An ``.apkg``: the collection and an empty media list, zipped with fixed dates and modes."""
    members = (("collection.anki2", collection_bytes(decks, stamp)), ("media", b"{}"))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=time.gmtime(max(stamp, ZIP_EPOCH))[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, whatever machine builds it
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return buffer.getvalue()
