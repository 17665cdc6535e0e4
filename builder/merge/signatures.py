"""A question reduced to the concept it asks about: its ``Signature``.

ASCII, lowercase, first sentence only, follow-up clauses dropped ("… and why does it matter?"),
synonyms and acronyms rewritten to one token (the ``rewrite`` rules of
``builder/data/merge_rules.yml``: "Low-Rank Adaptation" → ``lora``, "top-p"/"nucleus" → ``topp``;
and any "words (ACR)" whose initials spell the acronym → ``acr``; acronyms are contracted, never
expanded, so LoRA and QLoRA share no token), "difference between X and Y" → "X vs Y", question
words and articles dropped, a trailing setting after a preposition dropped ("… in LLMs", "… in
deployment"), words stemmed (plurals, -ing, -ation, -ed). Words left in parentheses are *asides*
(an acronym, a library, a synonym) and weigh ``ASIDE_WEIGHT``; generic words ("model",
"mechanism", "key") weigh ``FILLER_WEIGHT``; every other word weighs 1.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Iterable

from builder.merge.acronyms import PARENS, contract_acronyms
from builder.merge.rules import MergeRules, default_rules, stem

FILLER_WEIGHT = 0.15
"""Weight of a generic word (``fillers`` in the rules) relative to a concept word."""
ASIDE_WEIGHT = 0.35
"""Weight of a word that appears only inside parentheses."""


@dataclass(frozen=True)
class Signature:
    """What a question asks, as weighted word stems (first-seen order) and a comparison flag."""

    tokens: tuple[tuple[str, float], ...]
    comparison: bool = False

    @property
    def text(self) -> str:
        """Readable form for debugging: fillers in ``()``, asides in ``[]``, comparisons marked."""
        parts = []
        for tok, w in self.tokens:
            parts.append(tok if w == 1.0 else f"[{tok}]" if w == ASIDE_WEIGHT else f"({tok})")
        return ("vs: " if self.comparison else "") + " ".join(parts)


_LEAD = re.compile(r"^\s*(?:\[(?:easy|medium|hard|basic|intermediate|advanced|expert)\]\s*)?"
                   r"(?:q\s*\d*\s*[:.)]\s*)?(?:question\s*:\s*)?")
_INLINE_ANSWER = re.compile(r"([?.!])\s+a\s*:\s.*$")
_EG = re.compile(r"\(\s*(?:e\.?g|for example|such as)\b[^)]*\)|,?\s*\be\.g\.?,?\s.*$")
_SENTENCE_END = re.compile(r"[?!]\s+(?=\S)|\.\s+(?=[a-z(])")
_PUNCT = str.maketrans(dict.fromkeys("\"'`*_#~|\\/-+=:;!?<>[]{}&^%$@\u2018\u2019\u201c\u201d,", " "))
_COMPARE = (
    re.compile(r"^(?:.*?\b)?differences? between (.+?) and (.+)$"),
    re.compile(r"^(?:how )?(?:does |do |is |are )?(.+?) (?:differ|different) from (.+)$"),
    re.compile(r"^(.+?) compared? (?:to|with) (.+)$"),
)
_VERSUS = re.compile(r"\bvs\.?(?=\s|$)|\bversus\b")
_FULL_STOP = re.compile(r"(?<![0-9])\.|\.(?![0-9])")  # not a decimal point
_TOKEN = re.compile(r"[A-Za-z0-9]+(?:\.[0-9]+)*")
_PREPOSITIONS = frozenset({"in", "for", "during", "within", "across", "on", "with", "under"})


def _words(tokens: Iterable[str], rules: MergeRules) -> list[tuple[str, str]]:
    """``(lowercase word, stem)`` of each token; a canonical token (``rewrite`` output) is not
    stemmed."""
    out = []
    for token in tokens:
        lower = token.lower()
        out.append((lower, lower if lower != token or lower in rules.canonical else stem(lower)))
    return out


def _ascii(text: str) -> str:
    if text.isascii():  # NFKD leaves ASCII as it is
        return text
    out = []
    for ch in unicodedata.normalize("NFKD", text):
        if ord(ch) < 128:
            out.append(ch)
        elif not unicodedata.combining(ch):
            out.append(" ")
    return "".join(out)


def _clean(question: str, rules: MergeRules) -> str:
    """Lowercased ASCII text of the first sentence, follow-ups, markup and examples removed,
    then the ``rewrite`` rules applied."""
    text = _ascii(question).lower().replace("**", " ").replace("`", " ")
    text = " ".join(text.split())
    text = _LEAD.sub("", text)
    text = _INLINE_ANSWER.sub(r"\1", text)
    text = _VERSUS.sub(" vs ", text)
    text = _EG.sub(" ", text)
    text = text.replace('"', " ").replace("'", " ")
    first = _SENTENCE_END.split(text, maxsplit=1)[0]
    if _TOKEN.search(first):
        text = first
    text = text.strip(" .?!")
    for tail in rules.tails:
        text = tail.sub("", text)
    text = text.translate(_PUNCT)
    text = " ".join(_FULL_STOP.sub(" ", text).split())
    for pattern, replacement in rules.rewrite:
        text = pattern.sub(replacement, text)
    return " ".join(text.split())


def _without_setting(words: list[tuple[str, str]], context: frozenset[str]) -> list[tuple[str, str]]:
    """``words`` without a trailing setting after a preposition ("… in LLM deployment"), which only
    names the context; repeatedly, for "… in NLP in LLMs". At least one word stays before it."""
    while True:
        end = len(words)
        while end > 0 and words[end - 1][1] in context:
            end -= 1
        if not (1 < end < len(words) and words[end - 1][0] in _PREPOSITIONS):
            return words
        words = words[: end - 1]  # the setting and its preposition


def signature(question: str, rules: MergeRules | None = None) -> Signature:
    """Reduce ``question`` to the concept it asks about (see the module docstring)."""
    rules = rules or default_rules()
    text = _clean(question, rules)
    for pattern in _COMPARE:
        m = pattern.match(text)
        if m:
            text = f"{m.group(1)} vs {m.group(2)}"
            break
    text = contract_acronyms(text)
    asides = " ".join(PARENS.findall(text))
    main = PARENS.sub(" ", text).replace("(", " ").replace(")", " ")
    comparison = "vs" in main.split()

    main_words = _without_setting(_words(_TOKEN.findall(main), rules), rules.context)
    stopwords, fillers = rules.stopwords, rules.fillers
    weights: dict[str, float] = {}
    for word, stemmed in main_words:
        if word in stopwords or stemmed in stopwords:
            continue
        weight = FILLER_WEIGHT if stemmed in fillers else 1.0
        weights[stemmed] = max(weights.get(stemmed, 0.0), weight)
    for word, stemmed in _words(_TOKEN.findall(asides), rules):
        if word in stopwords or stemmed in stopwords or stemmed in weights:
            continue
        weights[stemmed] = FILLER_WEIGHT if stemmed in fillers else ASIDE_WEIGHT
    if not weights:  # nothing but stop words: fall back to every word, so it still matches itself
        for word, stemmed in _words(_TOKEN.findall(text), rules):
            weights.setdefault(stemmed, 1.0)
    return Signature(tuple(weights.items()), comparison)
