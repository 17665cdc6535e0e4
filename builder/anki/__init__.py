"""The deck stage: Anki decks of the handbook, written into ``docs/anki/`` before MkDocs runs.

``handbook.apkg`` holds every entry, one sub-deck per topic (``LLM Interview Handbook::<topic>``);
``<topic>.apkg`` holds that sub-deck alone, under the same deck id, so importing both gives one deck
and one note per entry. The stage runs before MkDocs, not after it in ``builder.printing``: a note is
made from the model (the entry, its sources, the handbook's key points, the TeX of each formula),
which the built HTML no longer holds as such; MkDocs and Zensical copy ``docs/anki/`` into the site as
static files, ``mkdocs serve`` serves them, and ``mkdocs build --strict`` checks every link to them.
"""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path
from typing import Mapping, Sequence

import yaml

from builder.anki.notes import Note, entry_note
from builder.anki.package import apkg_bytes, make_deck, note_model
from builder.editorial import Editorial
from builder.model import Section, SourceDoc
from builder.paths import BOOK_DECK, deck_path, topic_deck
from builder.render.answer_html import Converted
from builder.stamp import source_date_epoch
from builder.typeset import Typeset

log = logging.getLogger(__name__)

DECK_ROOT = "LLM Interview Handbook"
DEFAULT_STAMP = 1767225600  # the Makefile's SOURCE_DATE_EPOCH: a build outside make is reproducible too
_SITE_URL = re.compile(r"^site_url:[ \t]*(.*)$", re.M)


def deck_stamp() -> int:
    """The notes' modification time: ``SOURCE_DATE_EPOCH`` (the reproducible-builds convention).

    Anki updates a note it has only from a newer one, so the published build sets it to the last
    commit's time (``.github/workflows/pages.yml``): a later handbook gives later notes."""
    stamp = source_date_epoch()
    return DEFAULT_STAMP if stamp is None else stamp


def public_url(config: Path | None) -> str:
    """The site's public address for the notes' links back: ``SITE_URL`` from the environment (the
    publishing workflow sets it to the Pages address), else ``site_url`` of mkdocs.yml ('' when unset).
    Read from its one line: the file may hold tags (``!ENV``) a plain YAML loader rejects."""
    if os.environ.get("SITE_URL"):
        return os.environ["SITE_URL"]
    if config is None or not config.is_file():
        return ""
    match = _SITE_URL.search(config.read_text(encoding="utf-8"))
    try:
        value = yaml.safe_load(match.group(1)) if match else ""
    except yaml.YAMLError:
        return ""
    return value if isinstance(value, str) else ""


def deck_name(section: Section) -> str:
    return f"{DECK_ROOT}::{section.topic.title}"


def _description(section: Section) -> str:
    return (
        f"{len(section.entries)} questions on {section.topic.title} from the LLM Interview Handbook: key points and "
        "every source's answer on the back. Importing an updated deck updates these notes."
    )


def topic_notes(
    sections: Sequence[Section],
    sources: Mapping[str, SourceDoc],
    editorial: Mapping[str, Editorial],
    converted: Converted,
    math: Typeset,
    base_url: str = "",
) -> dict[str, list[Note]]:
    """Every entry's note, by topic slug, in reading order; its texts as the topic pages converted them."""
    return {
        section.topic.slug: [
            entry_note(entry, section.topic, sources, editorial.get(entry.id), converted, math.failed, base_url)
            for entry in section.entries
        ]
        for section in sections
    }


def build_decks(
    sections: Sequence[Section],
    sources: Mapping[str, SourceDoc],
    editorial: Mapping[str, Editorial],
    converted: Converted,
    math: Typeset,
    stamp: int,
    base_url: str = "",
) -> dict[str, bytes]:
    """``handbook.apkg`` and one ``<topic>.apkg`` per topic, by path under ``docs/``; the entries' texts
    as the topic pages converted them (``builder.render.answer_html``)."""
    notes = topic_notes(sections, sources, editorial, converted, math, base_url)
    model = note_model()
    decks = []
    first = 0
    for section in sections:
        decks.append(make_deck(deck_name(section), _description(section), notes[section.topic.slug], model, first))
        first += len(section.entries)
    files = {deck_path(BOOK_DECK): apkg_bytes(decks, stamp)}
    for section, deck in zip(sections, decks):
        files[deck_path(topic_deck(section.topic.slug))] = apkg_bytes([deck], stamp)
    log.info("anki: %d decks, %d notes", len(files), first)
    return files
