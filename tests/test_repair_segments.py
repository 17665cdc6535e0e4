"""The fast paths of the repair stage agree with the plain line-by-line rules they stand for.

``split_code``, ``find_spans`` and the steps' whole-text pre-checks are written for speed (one regex
scan, ``str.find``); here each is compared, on many generated texts, with the straightforward
definition: a line lexer, a character-by-character span scanner, and each step's own line test.
"""

from __future__ import annotations

import random
import re
import sys

import pytest

from builder.hazards import code_line_ranges
from builder.parse.lines import split_lines
from builder.repair import markdown, whitespace
from builder.repair.math import find_spans
from builder.repair.segments import _FENCE_LINE, fence_lines, has_fence, on_prose, split_code

_ATOMS = ["\n", "\n", "\n", " ", "  ", "\t", "```", "````", "~~~", "``", "-", "*", "1.", "2)", "|", "| a | b |",
          "x", "word", "$", "$$", "\\", "`", "\u00a0", "\u200b", "\x0b", "\r", "\u2028", "A" * 45, ">", "#", "<"]


def _texts(seed: int, count: int = 3000, atoms: list[str] = _ATOMS) -> list[str]:
    rnd = random.Random(seed)
    return ["".join(rnd.choice(atoms) for _ in range(rnd.randint(0, 18))) for _ in range(count)]


def _reference_split(text: str) -> list[tuple[bool, str]]:
    """Line by line: a fence line opens a block, a line of only a fence at least as long closes it."""
    fence_re = re.compile(r"^\s*(`{3,}|~{3,})")
    out: list[tuple[bool, str]] = []
    chunk: list[str] = []
    fence: str | None = None
    for line in text.split("\n"):
        m = fence_re.match(line)
        if fence is None and m:
            if chunk:
                out.append((False, "\n".join(chunk)))
            chunk, fence = [line], m.group(1)
            continue
        chunk.append(line)
        if fence is not None and m and m.group(1).startswith(fence) and line.strip() == m.group(1):
            out.append((True, "\n".join(chunk)))
            chunk, fence = [], None
    if chunk:
        out.append((fence is not None, "\n".join(chunk)))
    return out


def _reference_spans(line: str) -> list[tuple[int, int, str, bool]]:
    """Pandoc's ``$`` rules, one character at a time."""
    masked = re.sub(r"(`+).+?\1", lambda m: " " * len(m.group(0)), line)
    spans, i = [], 0
    while i < len(masked):
        if masked[i] != "$" or (i and masked[i - 1] == "\\"):
            i += 1
            continue
        if masked.startswith("$$", i):
            end = masked.find("$$", i + 2)
            if end > i + 2:
                spans.append((i, end + 2, line[i + 2 : end], True))
                i = end + 2
                continue
            i += 2
            continue
        j = i + 1
        if j >= len(masked) or masked[j].isspace():
            i += 1
            continue
        close, k = -1, j
        while k < len(masked):
            if masked[k] == "$" and masked[k - 1] != "\\":
                if not masked[k - 1].isspace() and not (k + 1 < len(masked) and masked[k + 1].isdigit()):
                    close = k
                break
            k += 1
        if close > j:
            spans.append((i, close + 1, line[j:close], False))
            i = close + 1
        else:
            i = k if k > i else i + 1
    return spans


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_split_code_is_the_line_lexer(seed):
    for text in _texts(seed):
        chunks = list(split_code(text))
        assert chunks == _reference_split(text), text
        assert "\n".join(c for _, c in chunks) == text


@pytest.mark.parametrize("seed", [11, 12, 13])
def test_fence_lines_finds_what_the_fence_regex_finds(seed):
    atoms = [*_ATOMS, "~~~~", "`````", " ```", "\u3000", "\x1c", "a```", "~~"]
    for text in _texts(seed, atoms=atoms):
        expected = [(m.start(), m.end(), m.group(1)) for m in _FENCE_LINE.finditer(text)]
        assert list(fence_lines(text)) == expected, repr(text)


def test_text_without_a_fence_is_one_prose_chunk_and_its_step_runs_once():
    assert not has_fence("a ``inline`` b\n~~ x")
    assert list(split_code("")) == [(False, "")]
    assert list(split_code("a\nb")) == [(False, "a\nb")]
    assert on_prose(str.upper, "a\nb") == "A\nB"
    assert on_prose(str.upper, "a\n```\nb\n```\nc") == "A\n```\nb\n```\nC"


@pytest.mark.parametrize("seed", [4, 5])
def test_the_parser_and_the_repair_stage_agree_on_what_is_code(seed):
    for text in _texts(seed):
        ranges = code_line_ranges(text)
        in_code = {n for first, last in ranges for n in range(first, last + 1)}
        assert in_code == {i for i, line in enumerate(split_lines(text)) if line.code}, text


@pytest.mark.parametrize("seed", [6, 7])
def test_find_spans_follows_pandocs_rules_as_a_character_scan_does(seed):
    atoms = ["$", "$", "$$", "\\", "a", " ", "1", "`", "``", "x", "\t", "²", "\\$", "{", "}"]
    for line in _texts(seed, 5000, atoms):
        assert [(s.start, s.end, s.tex, s.display) for s in find_spans(line)] == _reference_spans(line), line


def _any_line(test: re.Pattern[str], text: str) -> bool:
    return any(test.match(line) for line in text.split("\n"))


def _three_short_plain(text: str) -> bool:
    run = 0
    for line in text.split("\n"):
        plain = line.strip() and len(line) <= markdown._SHORT and not markdown._MARKDOWN_LINE.match(line)
        run = run + 1 if plain else 0
        if run >= 3:
            return True
    return False


@pytest.mark.parametrize("seed", [8, 9])
def test_whole_text_pre_checks_see_exactly_what_the_line_tests_see(seed):
    atoms = _ATOMS + ["   - x", " 1. y", "    - z", "- ", "+\t", "b" * 50, "c" * 46]
    for text in _texts(seed, 4000, atoms):
        assert bool(markdown._ANY_EMPTY_BULLET.search(text)) == _any_line(markdown._EMPTY_BULLET, text), text
        indented = any((m := markdown._ITEM.match(line)) and m.group(1) for line in text.split("\n"))
        assert bool(markdown._ANY_INDENTED_ITEM.search(text)) == bool(indented), text
        assert bool(markdown._THREE_PLAIN_SHORT_LINES.search(text)) == _three_short_plain(text), text


# What normalise_whitespace changes, as one pattern: a special space, white space ending a line, a
# run of blank lines, or a line break at either end.
_UNTIDY = re.compile("[\u00a0\u2007\u202f\u200b\u200c\u2060\ufeff]|[^\\S\n]$|\n\n\n|\\A\n|\n\\Z", re.MULTILINE)


@pytest.mark.parametrize("seed", [10, 11])
def test_a_tidy_text_is_what_normalise_whitespace_leaves_unchanged(seed):
    atoms = _ATOMS + ["\u2003", "\x1c", "\u3000", "\f", "\u2007", "\ufeff", " \n", "\t\n"]
    for text in _texts(seed, 6000, atoms):
        assert whitespace.untidy(text) == bool(_UNTIDY.search(text)), repr(text)
        if not _UNTIDY.search(text):
            assert whitespace.normalise_whitespace(text) == text, text
    assert whitespace.normalise_whitespace("a \nb") == "a\nb"
    assert whitespace.normalise_whitespace("a\n\n\n\nb\n") == "a\n\nb"


def test_whitespace_the_line_end_check_knows_is_all_of_pythons():
    # ``[^\S\n]`` must be every character ``str.rstrip`` removes except the line break itself
    spaces = {chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()} - {"\n"}
    assert {c for c in spaces if re.fullmatch(r"[^\S\n]", c)} == spaces


def _mojibake_atoms() -> list[str]:
    """Every character ftfy's badness regex names, some ASCII and the usual clean non-ASCII text."""
    from builder.repair.mojibake import _GATE

    assert _GATE is not None, "ftfy's badness regex is no longer a plain alternation: the pre-test is off"
    named = sorted(frozenset().union(*(s for sets in (x for v in _GATE[2].values() for x in v) for s in sets)))
    return named + list("aZ ,.?!\n\t") + ["\u00a0", "–", "—", "→", "“", "”", "’", "×", "é", "🧠", "ï", "Â "]


@pytest.mark.parametrize("seed", [10, 11, 12])
def test_might_be_bad_is_never_false_where_ftfy_sees_mojibake(seed):
    from ftfy.badness import is_bad

    from builder.repair.mojibake import might_be_bad

    atoms = _mojibake_atoms()
    rnd = random.Random(seed)
    texts = ["".join(rnd.choice(atoms) for _ in range(rnd.randint(0, 6))) for _ in range(20000)]
    texts += _texts(seed, 2000, atoms)
    bad = [t for t in texts if is_bad(t)]
    assert len(bad) > 1000  # the generated texts do reach the regex's alternatives
    assert all(might_be_bad(t) for t in bad)
    assert any(not might_be_bad(t) for t in texts if not t.isascii())  # and the pre-test does rule some out


def test_every_alternative_of_ftfys_badness_regex_has_a_needed_set():
    from ftfy.badness import BADNESS_RE

    from builder.repair.mojibake import alternative_needs

    needs = alternative_needs(BADNESS_RE)
    assert needs is not None  # else every non-ASCII text goes to is_bad: right, but slow
    assert alternative_needs(re.compile("a[é]|b")) is None  # "b" needs no non-ASCII character
    assert alternative_needs(re.compile("x[éè]y|ü", re.IGNORECASE)) is None
    assert alternative_needs(re.compile("x[éè]y|üç")) == ((frozenset("éè"),), (frozenset("ü"), frozenset("ç")))


@pytest.mark.parametrize("seed", [13, 14])
def test_speaker_lines_fast_path_removes_what_the_pattern_does(seed):
    from builder.repair import chat

    atoms = ["\n", " ", "said", "SAID", "Said", "ſaid", "ASKED", "replied", "you ", "You ", "YOU ", "asked",
             "ChatGPT ", "claude ", "Assistant ", "CLAUDE REPLIED", ":", "**", "🤖 ", "> ", "x", "saıd", "aſked"]
    for text in _texts(seed, 4000, atoms):
        assert chat.strip_speaker_lines(text) == chat._SPEAKER.sub("", text), text


# The hazard scan's first look, as one pattern over the whole text: every line it matches on is looked at.
_HAZARD_TRIGGER = re.compile(r"[<$]|\{[{%:]|%\}|\{[^}\n]*=|8<|script[^\S\n]*:|data[^\S\n]*:|\\frac", re.I)


@pytest.mark.parametrize("seed", [15, 16])
def test_hazard_triggers_fall_on_exactly_the_lines_the_one_pattern_finds(seed):
    from builder.hazards import trigger_positions

    atoms = ["\n", " ", "\t", "\u2003", ":", "script", "SCRIPT", "ſcript", "data", "DaTa", "java", "x", "<", "$",
             "{", "}", "{{", "%", "%}", "=", "8", "8<", "\\frac", "\\FRAC", "t", "a", "<script>", "{: onclick"]
    for text in _texts(seed, 6000, atoms):
        lines = {text.count("\n", 0, m.start()) for m in _HAZARD_TRIGGER.finditer(text)}
        positions = trigger_positions(text)
        assert positions == sorted(positions)
        assert {text.count("\n", 0, p) for p in positions} == lines, repr(text)


def test_only_t_and_a_end_the_scheme_words_under_ignorecase():
    from builder.hazards import _LAST_LETTERS

    ends = {chr(c) for c in range(sys.maxunicode + 1) if re.fullmatch("[ta]", chr(c), re.I)}
    assert ends == set(_LAST_LETTERS)
