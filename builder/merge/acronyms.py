"""Acronyms spelled out beside their words: "words (ACR)" and "ACR (words)".

A signature contracts such a pair to the acronym alone (``contract_acronyms``), and a canonical
wording that names one is preferred (``names_acronym``). The test is the same for both: the
initials of the words spell the acronym (``spells``).
"""

from __future__ import annotations

import re
from typing import Sequence

PARENS = re.compile(r"\(([^()]*)\)")
"""A parenthesis with no parenthesis inside; group 1 is what it holds."""
_ACRONYM = re.compile(r"[A-Za-z][A-Za-z0-9]{1,7}")
_DIGITS = re.compile(r"[0-9]")
_ALNUM = re.compile(r"[A-Za-z0-9]+")
_LOWER_ALNUM = re.compile(r"[a-z0-9]+")
_SKIPPABLE = frozenset({"of", "to", "for", "from", "and", "the", "a", "an", "in", "on", "with"})


def spells(acronym: str, words: Sequence[str]) -> bool:
    """Whether the initials of ``words`` spell ``acronym`` (stop words optional; same first and
    last letter, the acronym's letters in order, at most two initials left over)."""
    for skip in (False, True):
        initials = "".join(w[0] for w in words if w and not (skip and w in _SKIPPABLE))
        if not initials or initials[0] != acronym[:1] or initials[-1] != acronym[-1:]:
            continue
        if len(initials) > len(acronym) + 2:
            continue
        it = iter(initials)
        if all(ch in it for ch in acronym):
            return True
    return False


def contract_acronyms(text: str) -> str:
    """"words (ACR)" → "ACR", and "ACR (words)" → "ACR", when the initials spell the acronym.

    Contracting (never expanding) keeps "GQA" and "MQA" apart. Other parentheses stay, to become
    asides.
    """
    out = ""
    rest = text
    while (m := PARENS.search(rest)) is not None:
        before, inner = rest[: m.start()], m.group(1).strip()
        words = before.split()
        if _ACRONYM.fullmatch(inner):  # "words (ACR)"
            acronym = _DIGITS.sub("", inner.lower())
            for k in range(min(len(words), len(acronym) + 3), 1, -1):
                tail = [w.lower() for w in words[-k:]]
                if len(acronym) >= 2 and tail[0][:1] == acronym[:1] and spells(acronym, tail):
                    before = " ".join(words[:-k]) + " " + inner.upper() + " "
                    inner = ""
                    break
        else:  # "ACR (words)"
            expansion = [w.lower() for w in inner.split()]
            acronym = _DIGITS.sub("", words[-1].lower()) if words else ""
            if len(expansion) >= 2 and len(acronym) >= 2 and spells(acronym, expansion):
                inner = ""
        out += before + (f" ({inner}) " if inner else " ")
        rest = rest[m.end():]
    return out + rest


def names_acronym(question: str) -> bool:
    """Whether ``question`` spells out an acronym next to it: "words (ACR)" or "ACR (words)"."""
    for m in PARENS.finditer(question):
        inner = m.group(1).strip()
        words = _ALNUM.findall(question[: m.start()].lower())
        if _ACRONYM.fullmatch(inner):
            acronym = _DIGITS.sub("", inner.lower())
            if any(spells(acronym, words[-k:]) for k in range(2, min(len(words), len(acronym) + 3) + 1)):
                return True
        elif words:
            acronym = _DIGITS.sub("", words[-1])
            if len(acronym) >= 2 and spells(acronym, _LOWER_ALNUM.findall(inner.lower())):
                return True
    return False
