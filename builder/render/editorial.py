"""The handbook's own words on a topic page: key points above the answers, and corrections where a
source's answer says something wrong.

Both are marked as the handbook's (a label, their own style), never mixed into a source's text: the
source's words stay as they are, and a correction stands beside the phrase it corrects.

A correction is placed while the answer is still the source's Markdown: a private-use character marks
where the phrase starts and where the note goes, the answer is made inert and its terms linked as any
other, and only then are the marks replaced by the handbook's HTML (which the escaping must not touch).
The note goes at the end of the phrase's sentence (so the sentence reads whole), in a table row at the
end of its last cell, and after the block for a phrase inside fenced code.
"""

from __future__ import annotations

import html
import re
from typing import Callable, Sequence

from builder.editorial import Editorial, PlacedCorrection
from builder.markdown_text import split_code
from builder.render.markdown import demote_headings, escape_html_in_prose
from builder.tabs import Answer

KEY_POINTS_LABEL = "Key points"
CORRECTION_LABEL = "Correction"

_START, _NOTE, _END = "\ue000", "\ue001", "\ue002"  # private-use: no source text holds them
_MARK = re.compile(f"{_START}(\\d+){_END}|{_NOTE}(\\d+){_END}")
_SENTENCE_END = re.compile(r"[.!?](?=\s|$)")
# Inline Markdown a <mark> around the phrase could cut in two; such a phrase gets its note only.
_INLINE_MARKUP = re.compile(r"[*_`$\[\]|]")


def key_points_markdown(points: Sequence[str]) -> str:
    """The key points as one inert Markdown list, converted once, for the page (the Anki note takes it from there)."""
    return "\n".join(f"- {escape_html_in_prose(point)}" for point in points)


def key_points_html(points: Sequence[str], convert: Callable[[str], str]) -> str:
    """The entry's key points as HTML, labelled as the handbook's (empty when none); ``convert`` makes
    HTML of their inert Markdown list (``AnswerHtml.key_points``)."""
    if not points:
        return ""
    return (
        '<div class="hb-keypoints">\n'
        f'<p class="hb-keypoints__label"><strong>{KEY_POINTS_LABEL}</strong> <span class="hb-ours">by the handbook</span></p>\n'
        f"{convert(key_points_markdown(points))}\n"
        "</div>"
    )


def _note_html(correction: PlacedCorrection) -> str:
    c = correction.correction
    correct = escape_html_in_prose(c.correct)
    reference = html.escape(c.reference, quote=False)
    return (
        f'<span class="hb-correction" role="note"><strong>{CORRECTION_LABEL}</strong> <span class="hb-ours">by the handbook</span> '
        f'{correct} <span class="hb-correction__source">Source: {reference}</span></span>'
    )


def _note_at(text: str, end: int, in_code: bool) -> tuple[int, str]:
    """Where the note after a phrase ending at ``end`` goes, and what stands around it there."""
    line_start = text.rfind("\n", 0, end) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    if in_code:
        # after the closing fence (or the end of an unclosed block), as a paragraph of its own
        chunks_end = _code_block_end(text, end)
        indent = re.match(r"[ \t]*", text[text.rfind("\n", 0, chunks_end - 1) + 1 :]).group(0)
        return chunks_end, f"\n\n{indent}"  # the note then ends with a line break of its own
    row = text[line_start:line_end]
    if row.lstrip().startswith("|"):
        # inside the row's last cell: before its closing pipe, or at the end of a row without one
        closing = line_start + len(row.rstrip()) - 1
        if text[closing] == "|" and closing >= end:
            return max(end, len(text[:closing].rstrip())), " "
        return line_end, " "
    sentence = _SENTENCE_END.search(text, end, line_end)
    return (sentence.end() if sentence else line_end), " "


def _code_block_end(text: str, position: int) -> int:
    offset = 0
    for is_code, chunk in split_code(text):
        stop = offset + len(chunk)
        if is_code and offset <= position <= stop:
            return stop
        offset = stop + 1
    return len(text)


def _in_code(text: str, position: int) -> bool:
    offset = 0
    for is_code, chunk in split_code(text):
        stop = offset + len(chunk)
        if offset <= position <= stop:
            return is_code
        offset = stop + 1
    return False


def mark_corrections(answer: str, corrections: Sequence[PlacedCorrection]) -> str:
    """``answer`` with private-use marks where each correction's phrase starts and where its note goes."""
    inserts: list[tuple[int, int, str]] = []  # (position, order, text)
    for n, placed in enumerate(corrections):
        in_code = _in_code(answer, placed.start)
        phrase = answer[placed.start : placed.end]
        if not in_code and not _INLINE_MARKUP.search(phrase):
            inserts.append((placed.start, 1, f"{_START}{n}{_END}"))
            inserts.append((placed.end, 0, f"{_NOTE}-{_END}"))  # closes the <mark>
        at, around = _note_at(answer, placed.end, in_code)
        note = f"{_NOTE}{n}{_END}"
        inserts.append((at, 2, f"{around}{note}\n" if around.startswith("\n") else note))
    out: list[str] = []
    pos = 0
    for at, _, piece in sorted(inserts, key=lambda t: (t[0], t[1])):
        out += [answer[pos:at], piece]
        pos = at
    return "".join(out) + answer[pos:]


def fill_corrections(markdown: str, corrections: Sequence[PlacedCorrection]) -> str:
    """The marks of ``mark_corrections`` replaced by the handbook's HTML, once the answer is escaped."""
    markdown = markdown.replace(f"{_NOTE}-{_END}", "</mark>")

    def piece(m: re.Match[str]) -> str:
        if m.group(1) is not None:
            return '<mark class="hb-corrected">'
        return " " + _note_html(corrections[int(m.group(2))])

    return _MARK.sub(piece, markdown)


def answer_corrections(notes: Editorial | None, answer: Answer) -> list[PlacedCorrection]:
    """The corrections recorded for any of the questions that gave ``answer``, each place once (the
    first recorded there)."""
    placed: dict[tuple[int, str], PlacedCorrection] = {}
    for c in notes.corrections if notes else ():
        if c.item in answer.items:
            placed.setdefault((c.start, c.correction.phrase), c)
    return list(placed.values())


def corrected_answer(answer: Answer, corrections: Sequence[PlacedCorrection], link: Callable[[str], str] = lambda text: text) -> str:
    """One distinct answer as inert Markdown, headings demoted, with the handbook's corrections beside
    the phrases they correct; ``link`` adds the page's own links once the source's text is inert."""
    text = mark_corrections(answer.text, corrections) if corrections else answer.text
    body = demote_headings(link(escape_html_in_prose(text))) or "*The source gives no answer to this question.*"
    return fill_corrections(body, corrections) if corrections else body
