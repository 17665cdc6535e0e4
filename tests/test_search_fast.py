"""The search block's fast paths agree with the plain definitions they stand for.

``_fold`` skips the CamelCase split when a text has no lower-upper-lower-lower run and keeps word runs
instead of replacing the others; ``joined_forms`` skips scans a text cannot match; the vocabulary finds
each glossary name's joined forms once. Each is compared, on many generated texts, with the
straightforward version.
"""

from __future__ import annotations

import html
import random
import re
import sys

from builder.search import (
    _CAMEL_JOIN,
    _CAMEL_WORD,
    _HYPHENATED,
    _fold,
    _terms_block,
    default_vocabulary,
    joined_forms,
)

_ATOMS = ["a", "b", "Z", "Q", "LoRA", "FlashAttention", "DeepSpeed", "aBcd", "xYz", "-", "--", "_", "__", " ", "  ", "\n",
          "\t", "(", ")", "?", "top-p", "re-ranking", "Llama-3", "é", "ß", "İ", "ſ", "\u00a0", "\u2028", "1", "42", "·"]


def _texts(seed: int, count: int = 4000) -> list[str]:
    rnd = random.Random(seed)
    return ["".join(rnd.choice(_ATOMS) for _ in range(rnd.randint(0, 14))) for _ in range(count)]


def _reference_fold(text: str) -> str:
    return " ".join(re.sub(r"[\W_]+", " ", _CAMEL_JOIN.sub(" ", text)).split()).casefold()


def _reference_joined(texts: list[str]) -> list[str]:
    words = (m.group(0) for t in texts for pattern in (_HYPHENATED, _CAMEL_WORD) for m in pattern.finditer(t))
    return list(dict.fromkeys(w.replace("-", "").casefold() for w in words))


def test_no_word_character_is_white_space() -> None:
    # _fold keeps the runs of word characters; splitting on white space gives the same words only so.
    word = re.compile(r"[^\W_]")
    assert not [c for c in map(chr, range(sys.maxunicode + 1)) if c.isspace() and word.match(c)]


def test_fold_matches_reference() -> None:
    for text in _texts(1):
        assert _fold(text) == _reference_fold(text)


def test_joined_forms_match_reference() -> None:
    texts = _texts(2)
    for i in range(0, len(texts), 3):
        assert joined_forms(texts[i : i + 3]) == _reference_joined(texts[i : i + 3])


def test_terms_block_matches_reference() -> None:
    vocabulary = default_vocabulary()
    names = [name for slug_names in vocabulary._names.values() for name in slug_names]
    rnd = random.Random(3)
    for _ in range(1500):
        texts = tuple(
            " ".join(rnd.choice(names + _ATOMS) for _ in range(rnd.randint(1, 6))) for _ in range(rnd.randint(1, 3))
        )
        other = vocabulary.other_names(texts)
        folded = {_reference_fold(n) for n in other}
        expected = other + [w for w in _reference_joined([*texts, *other]) if w not in folded]
        block = _terms_block(vocabulary, texts)
        assert block == (_terms_block_text(expected) if expected else "")


def _terms_block_text(names: list[str]) -> str:
    return f'<div class="hb-search-terms" hidden><p>{html.escape(" · ".join(names), quote=False)}</p></div>'
