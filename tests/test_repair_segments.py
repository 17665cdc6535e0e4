"""The fast paths of the repair stage agree with the plain rules they stand for.

The mojibake and chat steps' pre-checks are written for speed; here each is compared, on many
generated texts, with the straightforward definition it stands for.
"""

from __future__ import annotations

import random
import re
import sys

import pytest

from builder.repair import whitespace

_ATOMS = ["\n", "\n", "\n", " ", "  ", "\t", "```", "````", "~~~", "``", "-", "*", "1.", "2)", "|", "| a | b |",
          "x", "word", "$", "$$", "\\", "`", "\u00a0", "\u200b", "\x0b", "\r", "\u2028", "A" * 45, ">", "#", "<"]


def _texts(seed: int, count: int = 3000, atoms: list[str] = _ATOMS) -> list[str]:
    rnd = random.Random(seed)
    return ["".join(rnd.choice(atoms) for _ in range(rnd.randint(0, 18))) for _ in range(count)]


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
