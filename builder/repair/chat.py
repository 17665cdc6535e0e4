"""Chat residue inside questions and answers: speaker prefixes and Q:/A: labels a copy left behind."""

from __future__ import annotations

import re

_SPEAKER = re.compile(
    r"^\s*(?:[^\w\s]{1,3}\s*)?\**\s*(?:you (?:asked|said)|(?:chatgpt|gemini|claude|assistant)\s+(?:said|replied))\s*:?\s*\**\s*$",
    re.IGNORECASE | re.MULTILINE,
)
# Every speaker line names "said", "asked" or "replied" (any case, as _SPEAKER's IGNORECASE reads it).
# The characters outside ASCII that IGNORECASE lets stand for a letter of these verbs where lower()
# does not give that letter (a test checks all of Unicode); folded first, lower() finds every verb.
VERB_FOLD = str.maketrans({"ſ": "s", "ı": "i", "İ": "i"})
_QUESTION_LABEL = re.compile(r"^\s*(?:\*\*)?\s*Q\s*\d*\s*[:.]\s*(?:\*\*)?\s*", re.IGNORECASE)
_BOLD_WRAP = re.compile(r"^\*\*(.+)\*\*$")


def strip_speaker_lines(text: str) -> str:
    """Remove lines that only name a chat speaker ("ChatGPT said:") left inside an answer."""
    if not names_a_verb(text):
        return text  # no speaker line
    return _SPEAKER.sub("", text)


def names_a_verb(text: str) -> bool:
    """Whether ``text`` holds "said", "asked" or "replied" as a caseless regex would find them (str.find
    on the lowered text: many times faster than the regex)."""
    # In ASCII, IGNORECASE folds only ASCII letters onto ASCII ones: lower() says the same.
    lowered = text.lower() if text.isascii() else text.translate(VERB_FOLD).lower()
    return "said" in lowered or "asked" in lowered or "replied" in lowered


def clean_question(text: str) -> str:
    """A question reads as plain text: no ``Q:`` label, no bold wrapper around the whole of it."""
    text = text.strip()
    if label := _QUESTION_LABEL.match(text):  # anchored at the start: one match, not a scan
        text = text[label.end() :]
    m = _BOLD_WRAP.match(text)
    return m.group(1).strip() if m else text
