"""Undo mis-decoding: UTF-8 that was read as Mac Roman or Windows-1252 (``‚Äî`` → ``—``, ``üß†`` → ``🧠``).

ftfy repairs most of it. Mac Roman has one loss ftfy cannot see: the lead byte ``0xF0`` of every
four-byte character (emoji) decodes to the Apple logo, a private-use character that was dropped on
the way, so ``🧠`` (F0 9F A7 A0) arrives as ``üß†`` (9F A7 A0). ``restore_macroman_emoji`` puts the
lead byte back where the three bytes that remain can only be the tail of an emoji; ftfy's own
heuristics also leave short runs such as ``‚ö°`` (⚡) alone, so a run of three or more non-ASCII
characters that re-encodes to valid UTF-8 is decoded here too.

ftfy's ``is_bad`` (one large regex, tried at every position) says whether ftfy has anything to do;
``might_be_bad`` is an exact, cheaper pre-test read off that regex by Python's own regex parser: each
of its alternatives needs, at fixed positions, characters from small sets of non-ASCII characters,
so a text that lacks one of each set for every alternative cannot match it.
"""

from __future__ import annotations

import re
from re import _parser as _sre_parser  # type: ignore[attr-defined]
from re import _constants as _sre  # type: ignore[attr-defined]

import ftfy
from ftfy.badness import BADNESS_RE, is_bad

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


def _required_sets(op: object, arg: object) -> frozenset[str] | None:
    """The characters one regex item matches, when it is a plain set of non-ASCII characters."""
    if op is _sre.LITERAL:
        return frozenset(chr(arg)) if arg > 0x7F else None  # type: ignore[operator]
    if op is not _sre.IN:
        return None
    chars: set[str] = set()
    for kind, value in arg:  # type: ignore[attr-defined]
        if kind is _sre.LITERAL:
            chars.add(chr(value))
        elif kind is _sre.RANGE:
            chars.update(map(chr, range(value[0], value[1] + 1)))
        else:
            return None  # a negated set or a category (\s, \w) can match anything
    return frozenset(chars) if chars and min(map(ord, chars)) > 0x7F else None


def alternative_needs(pattern: re.Pattern[str]) -> tuple[tuple[frozenset[str], ...], ...] | None:
    """For each top-level alternative of ``pattern``, the character sets a match of it must take one
    character from (items that must occur once, outside any repeat or group); None when some
    alternative needs no non-ASCII character, or the pattern is not a plain alternation."""
    if pattern.flags & re.IGNORECASE:
        return None  # case folding would let characters outside the sets match
    parsed = list(_sre_parser.parse(pattern.pattern, pattern.flags))
    if len(parsed) != 1 or parsed[0][0] is not _sre.BRANCH:
        return None
    needs = []
    for alternative in parsed[0][1][1]:
        sets = tuple(s for op, arg in alternative for s in [_required_sets(op, arg)] if s)
        if not sets:
            return None
        needs.append(sets)
    return tuple(needs)


def _gate(needs: tuple[tuple[frozenset[str], ...], ...] | None) -> tuple[re.Pattern[str], re.Pattern[str], dict[str, list[tuple[frozenset[str], ...]]]] | None:
    """A search for the smallest needed set of each alternative (most texts have none of them), one
    for every needed character, and the alternatives each gate character keys."""
    if needs is None:
        return None
    keyed: dict[str, list[tuple[frozenset[str], ...]]] = {}
    for sets in needs:
        for char in min(sets, key=len):
            keyed.setdefault(char, []).append(sets)

    def char_class(chars: set[str] | frozenset[str]) -> re.Pattern[str]:
        return re.compile("[" + "".join(re.escape(c) for c in sorted(chars)) + "]")

    return char_class(set(keyed)), char_class(frozenset().union(*(s for sets in needs for s in sets))), keyed


_GATE = _gate(alternative_needs(BADNESS_RE))


def might_be_bad(text: str) -> bool:
    """False only when ftfy's ``is_bad(text)`` is surely False (see the module docstring)."""
    if _GATE is None:
        return True
    gate, needed, keyed = _GATE
    keys = set(gate.findall(text))
    if not keys:
        return False
    present = set(needed.findall(text))
    return any(all(not s.isdisjoint(present) for s in sets) for key in keys for sets in keyed[key])


def fix_mojibake(text: str) -> str:
    if text.isascii():
        return text
    text = restore_macroman_emoji(text)
    # ftfy is thorough but slow; its own badness test says when there is anything left for it to do.
    return ftfy.fix_text(text, _CONFIG) if might_be_bad(text) and is_bad(text) else text
