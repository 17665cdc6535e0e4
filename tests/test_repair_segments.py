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
from builder.repair.segments import fence_lines, has_fence, on_prose, split_code

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


# The straightforward form of a fence line: tried at every line start.
_FENCE_LINE_AT_LINE_START = re.compile(r"^[^\S\n]*(`{3,}|~{3,})[^\n]*", re.MULTILINE)


@pytest.mark.parametrize("seed", [11, 12, 13])
def test_fence_lines_finds_what_the_fence_regex_finds(seed):
    atoms = [*_ATOMS, "~~~~", "`````", " ```", "\u3000", "\x1c", "a```", "~~"]
    for text in _texts(seed, atoms=atoms):
        expected = [(m.start(), m.end(), m.group(1)) for m in _FENCE_LINE_AT_LINE_START.finditer(text)]
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


def _scheme_words_back_from_colons(text: str) -> list[int]:
    """Where ``script`` or ``data`` (any case) starts when it ends, but for white space, at a colon:
    the plain reading, colon by colon, of what the scan of the reversed text finds."""
    starts = []
    for colon in (i for i, c in enumerate(text) if c == ":"):
        end = colon
        while end and text[end - 1] != "\n" and text[end - 1].isspace():  # [^\S\n]*, as re reads \s
            end -= 1
        for word in ("script", "data"):
            start = end - len(word)
            if start >= 0 and re.fullmatch(word, text[start:end], re.I):
                starts.append(start)
    return starts


@pytest.mark.parametrize("seed", [27, 28])
def test_the_reversed_scan_finds_the_scheme_words_the_colon_by_colon_reading_does(seed):
    from builder.hazards import _MARK, trigger_positions

    atoms = ["\n", " ", "\t", "\u2003", ":", "script", "SCRIPT", "ſcript", "scrİpt", "data", "DaTa", "java", "x", "t",
             "a", "ata", "pt", "<", "{{"]
    for text in _texts(seed, 6000, atoms):
        expected = sorted([m.start() for m in _MARK.finditer(text)] + _scheme_words_back_from_colons(text))
        assert trigger_positions(text) == expected, repr(text)


# Fast paths of the repair steps, each against the plain form it replaces.

@pytest.mark.parametrize("seed", [17, 18])
def test_a_line_start_search_is_the_multiline_caret_search(seed):
    for body in (r"[^\S\n]*[-*+][^\S\n]*$", r" {1,3}(?:[-*+]|\d+[.)])[^\S\n]", r"x\n[ab]+$", r"(?!-)\S{2}"):
        fast, plain = markdown.AtLineStart(body), re.compile("^" + body, re.MULTILINE)
        for text in _texts(seed, 2000, _ATOMS + ["ab", " - ", "xx"]):
            assert fast.search(text) == bool(plain.search(text)), (body, text)


def test_other_ascii_space_is_every_ascii_character_the_pattern_matches():
    assert set(whitespace.OTHER_ASCII_SPACE) == {chr(c) for c in range(128) if whitespace._OTHER_SPACE.match(chr(c))}


@pytest.mark.parametrize("seed", [19, 20])
def test_collapse_inline_and_clean_question_are_their_regex_forms(seed):
    from builder.repair import chat

    atoms = _ATOMS + ["\u2003", "\x1c", "\u3000", "\x85", "\u200b", "Q:", "q 3.", "**", "**Q1:**", "What?"]
    for text in _texts(seed, 4000, atoms):
        plain = re.sub(r"\s+", " ", whitespace._ZERO_WIDTH.sub("", whitespace._NBSP.sub(" ", text))).strip()
        assert whitespace.collapse_inline(text) == plain, repr(text)
        label_gone = chat._QUESTION_LABEL.sub("", text.strip())
        m = chat._BOLD_WRAP.match(label_gone)
        assert chat.clean_question(text) == (m.group(1).strip() if m else label_gone), repr(text)


def test_the_verb_fold_covers_every_character_ignorecase_lets_stand_for_a_letter_of_the_verbs():
    from builder.repair import chat

    letters = "".join(sorted(set("saidaskedreplied")))
    any_letter = re.compile(f"[{letters}]", re.IGNORECASE)
    for c in (chr(c) for c in range(sys.maxunicode + 1)):
        if any_letter.fullmatch(c):
            letter = next(x for x in letters if re.fullmatch(x, c, re.IGNORECASE))
            assert chat.fold_verb_letters(c) == letter, (letter, hex(ord(c)))


@pytest.mark.parametrize("seed", [21, 22])
def test_names_a_verb_finds_every_verb_the_caseless_pattern_does(seed):
    from builder.repair import chat

    verb = re.compile(r"said|asked|replied", re.IGNORECASE)
    atoms = ["x", " ", "S", "s", "ſ", "A", "a", "İ", "I", "ı", "i", "D", "d", "K", "k", "e", "E", "R", "p", "L",
             "said", "ASKED", "RePlied", "é", "\u0307"]
    for text in _texts(seed, 6000, atoms):
        if verb.search(text):
            assert chat.names_a_verb(text), repr(text)
        elif text.isascii():
            assert not chat.names_a_verb(text), repr(text)


@pytest.mark.parametrize("seed", [23, 24])
def test_the_math_pre_checks_are_the_regex_and_line_tests_they_replace(seed):
    from builder.repair import math

    atoms = _ATOMS + ["=", "√", "∑", "Σ", "AA", "ab", "abab", " AA\n", "x1x1", "Q", "QQ", " ", "\u2003", "_"]
    doubled_end = re.compile(r"(?<=\s)([A-Za-z]\w{0,3})\1$")
    for text in _texts(seed, 6000, atoms):
        plain = "$" in text or "\\" in text or bool(re.search(r"[=√∑Σ]|\s([A-Za-z]\w{0,3})\1\n", text))
        assert math.may_hold_math(text) == plain, repr(text)
        lines = text.split("\n")
        rejoins = any(
            doubled_end.search(line.rstrip()) and any(later.strip() for later in lines[i + 1 :])
            for i, line in enumerate(lines)
        )
        if rejoins:
            assert math.may_rejoin(text), repr(text)
        if not math.may_rejoin(text):
            report = math.MathReport()
            assert math._rejoin_doubled(list(lines), report) == lines and not report.counts, repr(text)
        if "$" not in text:
            report = math.MathReport()
            emptied = [line if line.strip() else "" for line in lines]
            assert math._dedupe_fragments(list(lines), report) == emptied and not report.counts, repr(text)


def test_unicode_to_tex_is_the_character_by_character_mapping():
    from builder.repair.plainmath import GREEK, SYMBOLS, unicode_to_tex

    def plain(text: str) -> str:
        out = []
        for ch in text:
            tex = GREEK.get(ch, SYMBOLS.get(ch, ch))
            out.append(tex + " " if tex != ch and tex[0] == "\\" else tex)
        return "".join(out)

    every = "".join([*GREEK, *SYMBOLS, "a", " ", "_", "\\", "x", "²", "é"])
    assert unicode_to_tex(every) == plain(every)
    for text in _texts(25, 2000, list(every)):
        assert unicode_to_tex(text) == plain(text)


def test_repair_skips_the_math_step_only_where_it_has_nothing_to_do():
    from collections import Counter

    from builder.repair import ANSWER_STEPS, _answer_steps_reporting

    for text in _texts(26, 3000, _ATOMS + ["=", "x = y", "AA\nA b", "$x$", "$\\frac{a$", "\\alpha"]):
        tally, problems = Counter(), []
        plain = text
        for step in ANSWER_STEPS.values():
            plain = step(plain)
        assert _answer_steps_reporting(text, 1, "t.txt", tally, problems) == plain, repr(text)
