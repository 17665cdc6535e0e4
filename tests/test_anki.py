"""The Anki decks (builder/anki/): notes on inline inputs, then every deck of the real build opened as
Anki would (a zip holding an SQLite collection), its notes counted and compared across builds, and one
card rendered from its HTML in Chromium."""

from __future__ import annotations

import io
import json
import re
import sqlite3
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from builder.anki import DECK_ROOT, build_decks, public_url
from builder.anki.notes import FIELDS, anki_html, anki_math, entry_note
from builder.anki.package import apkg_bytes, make_deck, note_guid, note_model
from builder.editorial import Editorial
from builder.markdown_text import find_spans, split_code
from builder.model import Entry, Item, Level, Parsed, Section, SourceDoc, Topic
from builder.paths import BOOK_DECK, deck_path, topic_deck
from builder.render.answer_html import AnswerHtml, Converted, answer_key
from builder.render.site import build_index
from builder.render.topic import render_entry
from builder.tabs import answer_tabs
from builder.typeset import Typeset
from conftest import ROOT, SOURCES, build_env

TOPIC = Topic(slug="attention", title="Attention Mechanisms", order=1, summary="")
DOC = SourceDoc(name="a.txt", slug="a", title="Source A", description="", text="", encoding="utf-8")


def _entry(answer: str, question: str = "What is attention?", level: Level | None = Level.BEGINNER) -> Entry:
    item = Item(source="a.txt", number="7", line=3, question=question, answer=answer, level=level)
    return Entry(id="what-is-attention", question=question, items=(item,))


def _converted(entry: Entry, notes: Editorial | None = None, math: Typeset | None = None) -> Converted:
    """The entry's texts as its topic page converts them, as the build does."""
    index = build_index(
        [Parsed(source=DOC, items=entry.items)], [Section(TOPIC, (entry,))],
        editorial={entry.id: notes} if notes else {}, answer_html=AnswerHtml(math or Typeset()),
    )
    render_entry(index, "topics/attention.md", entry, 1)
    return index.answer_html.converted


def _note(answer: str, notes: Editorial | None = None, base_url: str = "", failed=None, level: Level | None = Level.BEGINNER):
    """The entry's note, its texts converted for the topic page first, as the build does."""
    entry = _entry(answer, level=level)
    return entry_note(entry, TOPIC, {"a.txt": DOC}, notes, _converted(entry, notes), failed or {}, base_url)


# --------------------------------------------------------------------------------------------
# Notes


def test_math_goes_into_ankis_delimiters_and_code_is_left_alone():
    answer_html = AnswerHtml(Typeset())
    key = ("e", "a.txt:1")
    answer_html.answer(key, "topics/attention.md", "Scores $QK^T/\\sqrt{d_k}$ then\n\n$$\\text{softmax}(x_i) = e^{x_i}$$\n\n```\nprice = $5 and $6\n```\n")
    html = anki_html(answer_html.converted.answers[key], {})
    assert r"\(QK^T/\sqrt{d_k}\)" in html and r"\[\text{softmax}(x_i) = e^{x_i}\]" in html
    assert "price = $5 and $6" in html and "$QK" not in html


def test_a_formula_keeps_its_less_than_escaped_and_katex_rejects_show_as_text():
    assert anki_math("x_{&lt;t}", False, {}) == r"\(x_{&lt;t}\)"  # "<" escaped once, as HTML needs
    assert anki_math("\\frac{a}{b}", True, {("\\frac{a}{b}", True): "error"}) == "(a)/(b)"


def test_a_notes_answer_is_the_pages_conversion_with_anki_math_and_no_links_into_the_site():
    entry = _entry("unused")
    (answer,) = answer_tabs(entry)[0].answers
    answer_html = AnswerHtml(Typeset(html={("x^2", False): "<katex/>"}))
    page = answer_html.answer(
        answer_key(entry, answer), "topics/attention.md",
        "[RAG](../glossary.md#rag) uses $x^2$, see [the paper](https://example.org/p).\n\n```python\nx = 1\n```",
    )
    assert '<a href="../../glossary/#rag">RAG</a>' in page and "<katex/>" in page
    answer_html.question(entry.id, entry.question)
    note = entry_note(entry, TOPIC, {"a.txt": DOC}, None, answer_html.converted, {})
    answers = dict(zip(FIELDS, note.fields))["Answers"]
    assert "<p>RAG uses \\(x^2\\), see <a href=\"https://example.org/p\">the paper</a>.</p>" in answers
    assert '<div class="language-python highlight">' in answers  # the code as the page has it


def test_a_notes_question_and_key_points_are_the_pages_conversions_with_anki_math():
    entry = _entry("Text.", question="Why scale by $\\sqrt{d_k}$ in `softmax`?")
    notes = Editorial(key_points=("Keeps $QK^T$ small.", "Uses **no** `<b>` tags."))
    katex = {("\\sqrt{d_k}", False): "<katex-1/>", ("QK^T", False): "<katex-2/>"}
    index = build_index([Parsed(source=DOC, items=entry.items)], [Section(TOPIC, (entry,))], editorial={entry.id: notes},
                        answer_html=AnswerHtml(Typeset(html=katex)))
    page = render_entry(index, "topics/attention.md", entry, 1)
    fields = dict(zip(FIELDS, entry_note(entry, TOPIC, {"a.txt": DOC}, notes, index.answer_html.converted, {}).fields))
    # the text a link to the question shows on the site, and the page's key points, with Anki's math
    assert index.question_html[entry.id] == 'Why scale by <span class="hb-math"><katex-1/></span> in <code>softmax</code>?'
    assert fields["Question"] == "Why scale by \\(\\sqrt{d_k}\\) in <code>softmax</code>?"
    shown = "<ul>\n<li>Keeps {} small.</li>\n<li>Uses <strong>no</strong> <code>&lt;b&gt;</code> tags.</li>\n</ul>"
    assert shown.format('<span class="hb-math"><katex-2/></span>') in page and shown.format("\\(QK^T\\)") in fields["KeyPoints"]


def test_a_note_has_the_question_key_points_named_sources_a_link_and_tags():
    notes = Editorial(key_points=("Weights from $QK^T$.", "Sum to one."))
    note = _note("It **weighs** tokens.", notes, base_url="https://example.org/handbook/")
    fields = dict(zip(FIELDS, note.fields))
    assert fields["Question"] == "What is attention?"
    assert fields["Context"] == "Attention Mechanisms · Beginner"
    assert "Key points" in fields["KeyPoints"] and r"\(QK^T\)" in fields["KeyPoints"] and "<li>Sum to one.</li>" in fields["KeyPoints"]
    assert "From <cite>Source A</cite>, question 7" in fields["Answers"] and "<strong>weighs</strong>" in fields["Answers"]
    assert 'href="https://example.org/handbook/topics/attention/#what-is-attention"' in fields["Link"]
    assert note.tags == ("llm-interview-handbook", "topic::attention", "level::beginner")


def test_without_the_sites_address_the_note_names_the_page_and_an_estimate_is_tagged():
    note = _note("Text.", Editorial(level=Level.ADVANCED), level=None)
    fields = dict(zip(FIELDS, note.fields))
    assert "href" not in fields["Link"] and "topics/attention/#what-is-attention" in fields["Link"]
    assert fields["Context"] == "Attention Mechanisms · Advanced (estimated)"
    assert note.tags[-2:] == ("level::advanced", "level::estimated") and fields["KeyPoints"] == ""


def test_a_sources_html_stays_text_on_the_card():
    fields = dict(zip(FIELDS, _note('<script>alert(1)</script> and <img src=x onerror="alert(2)">').fields))
    assert "<script" not in fields["Answers"] and "<img" not in fields["Answers"] and "&lt;script&gt;" in fields["Answers"]


def test_the_guid_comes_from_the_id_alone():
    assert note_guid("what-is-attention") == note_guid("what-is-attention") != note_guid("what-is-rope")
    deck_a = make_deck(f"{DECK_ROOT}::A", "", [_note("One answer.")], note_model())
    deck_b = make_deck(f"{DECK_ROOT}::A", "", [_note("A reworded answer.")], note_model())
    assert _guids(apkg_bytes([deck_a], 1767225600)) == _guids(apkg_bytes([deck_b], 1767225600)) == {note_guid("what-is-attention")}


def test_the_package_is_the_same_bytes_whatever_the_clock(monkeypatch):
    deck = make_deck(f"{DECK_ROOT}::A", "", [_note("One answer.")], note_model())
    first = apkg_bytes([deck], 1767225600)
    monkeypatch.setattr(time, "time", lambda: 2_000_000_000.0)  # genanki's own default stamp
    assert apkg_bytes([deck], 1767225600) == first
    assert apkg_bytes([deck], 1767225601) != first  # the stamp is what dates the notes


def test_the_sites_address_is_read_from_the_environment_or_mkdocs_yml(tmp_path: Path, monkeypatch):
    monkeypatch.delenv("SITE_URL", raising=False)
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: x\nsite_url: https://example.org/h/\nmarkdown_extensions:\n  - x: !ENV [A, b]\n", encoding="utf-8")
    assert public_url(config) == "https://example.org/h/"
    config.write_text('site_name: x\nsite_url: ""\n', encoding="utf-8")
    assert public_url(config) == "" and public_url(None) == ""
    monkeypatch.setenv("SITE_URL", "https://someone.github.io/handbook/")  # set by the publishing workflow
    assert public_url(config) == "https://someone.github.io/handbook/"


# --------------------------------------------------------------------------------------------
# The real decks


def _open(data: bytes, tmp: Path) -> sqlite3.Connection:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert sorted(archive.namelist()) == ["collection.anki2", "media"]
        assert json.loads(archive.read("media")) == {}
        assert archive.testzip() is None
        path = tmp / "collection.anki2"
        path.write_bytes(archive.read("collection.anki2"))
    return sqlite3.connect(path)


def _guids(data: bytes) -> set[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        connection = sqlite3.connect(":memory:")
        connection.deserialize(archive.read("collection.anki2"))
    return {guid for (guid,) in connection.execute("SELECT guid FROM notes")}


def _decks(docs: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((docs / "anki").glob("*.apkg"))}


def test_every_deck_is_a_valid_anki_package_with_one_note_per_entry(built, build_dir, tmp_path):
    decks = _decks(build_dir / "docs")
    assert set(decks) == {BOOK_DECK} | {topic_deck(s.topic.slug) for s in built.sections}
    scopes = {BOOK_DECK: built.sections} | {topic_deck(s.topic.slug): [s] for s in built.sections}
    for name, data in decks.items():
        db = _open(data, tmp_path)
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        models = json.loads(db.execute("SELECT models FROM col").fetchone()[0])
        (model,) = models.values()  # one note type, written once
        assert [f["name"] for f in model["flds"]] == list(FIELDS) and all(isinstance(k, str) for k in models)
        deck_names = {d["name"] for d in json.loads(db.execute("SELECT decks FROM col").fetchone()[0]).values()} - {"Default"}
        assert deck_names == {f"{DECK_ROOT}::{s.topic.title}" for s in scopes[name]}, name
        entries = [e for s in scopes[name] for e in s.entries]
        rows = db.execute("SELECT guid, mid, flds, tags FROM notes").fetchall()
        assert sorted(guid for guid, *_ in rows) == sorted(note_guid(e.id) for e in entries), name
        assert all(str(mid) == model["id"] and flds.count("\x1f") == len(FIELDS) - 1 for _, mid, flds, _ in rows)
        assert db.execute("SELECT count(*) FROM cards").fetchone() == (len(entries),)
        assert db.execute("SELECT count(*) FROM cards WHERE nid NOT IN (SELECT id FROM notes)").fetchone() == (0,)
        db.close()


def test_the_decks_math_is_in_ankis_delimiters(built, build_dir, tmp_path):
    db = _open(_decks(build_dir / "docs")[BOOK_DECK], tmp_path)
    fields = [flds for (flds,) in db.execute("SELECT flds FROM notes")]
    inline = sum(f.count(r"\(") for f in fields)
    display = sum(f.count(r"\[") for f in fields)
    assert inline > 100 and display > 5, (inline, display)
    # No formula is left in dollars outside code (what stays is currency or code, as on the pages).
    left = [span.tex for f in fields for is_code, chunk in split_code(re.sub(r"<code>.*?</code>|<pre>.*?</pre>", "", f, flags=re.S)) if not is_code for span in find_spans(chunk)]
    assert left == []
    attention = next(f for f in fields if f.startswith("What is scaled dot-product attention?"))
    assert r"\(\text{softmax}" in attention or r"\(\mathrm{softmax}" in attention or r"\sqrt{d_k}" in attention


def test_decks_are_the_same_when_built_again_later(built, build_dir):
    """Within one process, later: nothing of the clock gets in (the slow test below rebuilds from scratch)."""
    again = build_decks(built.sections, {p.source.name: p.source for p in built.parsed}, built.editorial, built.converted, built.math, 1767225600)
    assert {path: data for path, data in again.items()} == {deck_path(n): d for n, d in _decks(build_dir / "docs").items()}


@pytest.mark.slow
def test_two_builds_give_the_same_guids_and_bytes(built, build_dir, tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "builder", "build", "--sources", str(SOURCES), "--docs", str(tmp_path / "docs"), "--config", "", "--quiet"],
        capture_output=True, text=True, cwd=ROOT, env=build_env(),
    )
    assert "Traceback" not in result.stderr
    first, second = _decks(build_dir / "docs"), _decks(tmp_path / "docs")
    assert {n: _guids(d) for n, d in first.items()} == {n: _guids(d) for n, d in second.items()}
    assert [n for n in first if first[n] != second[n]] == [] and len(first) > 10


# --------------------------------------------------------------------------------------------
# A card as Anki shows it


KATEX = ROOT / "node_modules" / "katex" / "dist"


@pytest.mark.browser
def test_a_card_renders_from_its_html(built, chromium, build_dir, tmp_path, test_output):
    """The back of a card (the note type's own template and CSS, its fields filled in), with the math
    typeset by KaTeX's auto-render in place of Anki's MathJax, both reading \\( \\) and \\[ \\]."""
    db = _open(_decks(build_dir / "docs")["attention.apkg"], tmp_path)
    (model,) = json.loads(db.execute("SELECT models FROM col").fetchone()[0]).values()
    fields = next(dict(zip(FIELDS, flds.split("\x1f"))) for (flds,) in db.execute("SELECT flds FROM notes") if flds.startswith("What is scaled dot-product"))
    template = model["tmpls"][0]
    front = re.sub(r"\{\{(\w+)\}\}", lambda m: fields[m.group(1)], template["qfmt"])
    back = re.sub(r"\{\{(\w+)\}\}", lambda m: front if m.group(1) == "FrontSide" else fields[m.group(1)], template["afmt"])
    card = (
        f'<!doctype html><html><head><meta charset="utf-8"><link rel="stylesheet" href="katex.min.css"><style>{model["css"]}</style>'
        '<script src="katex.min.js"></script><script src="contrib/auto-render.min.js"></script></head>'
        f'<body class="card">{back}</body></html>'
    )

    def serve(route):
        path = route.request.url.split("card.test/", 1)[1]
        if path == "card.html":
            return route.fulfill(body=card, content_type="text/html")
        file = KATEX / path
        return route.fulfill(path=str(file)) if file.is_file() else route.fulfill(status=404)

    context = chromium.new_context(viewport={"width": 720, "height": 900})
    page = context.new_page()
    try:
        page.route("http://card.test/**", serve)
        page.goto("http://card.test/card.html")
        page.evaluate("""() => renderMathInElement(document.body, {delimiters: [
            {left: '\\\\[', right: '\\\\]', display: true}, {left: '\\\\(', right: '\\\\)', display: false}], throwOnError: false})""")
        assert page.locator(".katex").count() >= 3
        assert page.locator(".katex-error").count() == 0
        text = page.inner_text("body")
        assert "\\(" not in text and "Key points" in text and "From LLM Architecture" in text and "In the handbook" in text
        page.screenshot(path=str(test_output / "anki-card.png"), full_page=True)
    finally:
        context.close()
        db.close()
