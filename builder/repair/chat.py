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
    return _SPEAKER.sub("", text)


def clean_question(text: str) -> str:
    """A question reads as plain text: no ``Q:`` label, no bold wrapper around the whole of it."""
    text = text.strip()
    if label := _QUESTION_LABEL.match(text):
        text = text[label.end() :]
    m = _BOLD_WRAP.match(text)
    return m.group(1).strip() if m else text
