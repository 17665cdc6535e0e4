"""Undo mis-decoding: UTF-8 that was read as Mac Roman or Windows-1252 (``‚Äî`` → ``—``, ``üß†`` → ``🧠``).

ftfy repairs most of it. Mac Roman has one loss ftfy cannot see: the lead byte ``0xF0`` of every
four-byte character (emoji) decodes to the Apple logo, a private-use character that was dropped on
the way, so ``🧠`` (F0 9F A7 A0) arrives as ``üß†`` (9F A7 A0). ``restore_macroman_emoji`` puts the
lead byte back where the three bytes that remain can only be the tail of an emoji; ftfy's own
heuristics also leave short runs such as ``‚ö°`` (⚡) alone, so a run of three or more non-ASCII
characters that re-encodes to valid UTF-8 is decoded here too.
"""

from __future__ import annotations

import re

import ftfy
from ftfy.badness import is_bad

_CONFIG = ftfy.TextFixerConfig(uncurl_quotes=False, fix_latin_ligatures=False, fix_character_width=False, explain=False)
_MAC_ROMAN_RUN = re.compile(r"[^\x00-\x7f]{3,}")


def _macroman_bytes(run: str) -> bytes | None:
    try:
        return run.encode("mac_roman")
    except UnicodeEncodeError:
        return None


def _decode_with_lost_leads(raw: bytes) -> str | None:
    """Decode ``raw`` as UTF-8 where 4-byte sequences may have lost their 0xF0 lead; None if it isn't."""
    out: list[str] = []
    i = 0
    while i < len(raw):
        b = raw[i]
        if 0x90 <= b <= 0xBF and i + 2 < len(raw) and all(0x80 <= c <= 0xBF for c in raw[i + 1 : i + 3]):
            char = bytes([0xF0, b, raw[i + 1], raw[i + 2]]).decode("utf-8", errors="strict")
            out.append(char)
            i += 3
            continue
        width = 2 if 0xC2 <= b <= 0xDF else 3 if 0xE0 <= b <= 0xEF else 4 if 0xF0 <= b <= 0xF4 else 0
        if not width:
            return None
        try:
            out.append(raw[i : i + width].decode("utf-8", errors="strict"))
        except UnicodeDecodeError:
            return None
        i += width
    return "".join(out)


def restore_macroman_emoji(text: str) -> str:
    def fix(m: re.Match[str]) -> str:
        raw = _macroman_bytes(m.group(0))
        if raw is None or not any(b >= 0x80 for b in raw):
            return m.group(0)
        decoded = _decode_with_lost_leads(raw)
        return decoded if decoded is not None else m.group(0)

    return _MAC_ROMAN_RUN.sub(fix, text)


def fix_mojibake(text: str) -> str:
    if text.isascii():
        return text
    text = restore_macroman_emoji(text)
    # ftfy is thorough but slow; its own badness test says when there is anything left for it to do.
    return ftfy.fix_text(text, _CONFIG) if is_bad(text) else text
