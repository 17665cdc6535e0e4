"""Chat residue inside questions and answers: speaker prefixes and Q:/A: labels a copy left behind."""

from __future__ import annotations

import re

_SPEAKER = re.compile(
    r"^\s*(?:[^\w\s]{1,3}\s*)?\**\s*(?:you (?:asked|said)|(?:chatgpt|gemini|claude|assistant)\s+(?:said|replied))\s*:?\s*\**\s*$",
    re.IGNORECASE | re.MULTILINE,
)
_QUESTION_LABEL = re.compile(r"^\s*(?:\*\*)?\s*Q\s*\d*\s*[:.]\s*(?:\*\*)?\s*", re.IGNORECASE)
_BOLD_WRAP = re.compile(r"^\*\*(.+)\*\*$")


def strip_speaker_lines(text: str) -> str:
    """Remove lines that only name a chat speaker ("ChatGPT said:") left inside an answer."""
    if not names_a_verb(text):
        return text  # no speaker line
    return _SPEAKER.sub("", text)


def fold_verb_letters(text: str) -> str:
    """``text`` lowered so that every character IGNORECASE lets stand for a letter of "said", "asked"
    or "replied" is that letter. In ASCII, lower() does it; outside ASCII, three characters do not lower
    to theirs (a test checks all of Unicode): "ſ" (s), "ı" (i) and "İ", which lowers to "i" and a
    combining dot. Dropping every combining dot may let a verb appear that the pattern would not see,
    which only costs the pattern's scan; never the reverse."""
    lowered = text.lower()
    if text.isascii():
        return lowered
    return lowered.replace("ſ", "s").replace("ı", "i").replace("\u0307", "")


def names_a_verb(text: str) -> bool:
    """Whether ``text`` may hold "said", "asked" or "replied" as the caseless pattern finds them
    (str.find: many times faster than a caseless regex); False only where it surely does not."""
    lowered = fold_verb_letters(text)
    return "said" in lowered or "asked" in lowered or "replied" in lowered


def clean_question(text: str) -> str:
    """A question reads as plain text: no ``Q:`` label, no bold wrapper around the whole of it."""
    text = text.strip()
    if label := _QUESTION_LABEL.match(text):  # anchored at the start: one match, not a scan
        text = text[label.end() :]
    m = _BOLD_WRAP.match(text)
    return m.group(1).strip() if m else text
